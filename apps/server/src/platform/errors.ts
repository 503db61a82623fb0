/**
 * One error type for the domain (STYLE.md): a stable string code, a message for people, details for machines.
 * The HTTP layer maps codes to statuses in one table (http/error-handler.ts); domain code never throws HTTP errors.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
