import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The process logger; Fastify shares the same instance. JSON lines for machines, or readable lines
 * (pino-pretty) for a person at a terminal.
 */
export function createLogger(level: string, format: 'json' | 'pretty' = 'json'): Logger {
  const options = { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'pretty') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true } } });
  }
  return pino(options);
}
