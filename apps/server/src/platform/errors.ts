import type { z } from 'zod';

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

/**
 * Parses request input with `schema`, or throws `validation.failed` naming every problem (`path: message`), with
 * the issues as details for machines. `message` replaces the joined text where a route can say it better.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, message?: string): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('validation.failed', message ?? issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; '), { issues });
  }
  return parsed.data;
}
