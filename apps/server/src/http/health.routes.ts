import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Database } from '../platform/db.js';
import { pendingMigrations } from '../platform/migrate.js';

/** `/healthz`: the process answers. `/readyz`: the database answers and every migration is applied. */
export async function healthRoutes(app: FastifyInstance, deps: { database: Database }): Promise<void> {
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' } }, async (_req, reply) => {
    try {
      await deps.database.db.execute(sql`select 1`);
      const pending = await pendingMigrations(deps.database.db);
      if (pending.length > 0) {
        return reply.code(503).send({ status: 'migrations_pending', pending });
      }
      return { status: 'ready', database: deps.database.kind };
    } catch (err) {
      return reply.code(503).send({ status: 'database_unreachable', message: err instanceof Error ? err.message : String(err) });
    }
  });
}
