import { GraphError } from './errors.js';

/** Throws Graph error 100 for a key the API does not know (providers.md §2.12: "unknown key"). */
export function rejectUnknownKeys(obj: Record<string, unknown>, allowed: Set<string>, param: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) {
      const text = `Unexpected key "${key}" on param "${param}".`;
      throw new GraphError(100, text, { message: `(#100) ${text}` });
    }
  }
}
