import pino, { type Logger } from 'pino';

export type { Logger };

/** The process logger: JSON lines, one per event; Fastify shares the same instance. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
