import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Store {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Resolves when the store answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball, for `pgliteTemplate`. */
  dump?: () => Promise<Blob>;
}

export interface CreateDbOptions {
  /** PostgreSQL URL; absent means embedded PGlite. */
  databaseUrl?: string;
  /** PGlite directory or ':memory:'. @default ':memory:' */
  dataDir?: string;
  /** Apply committed migrations before returning. @default true */
  migrate?: boolean;
  /** A PGlite data directory dump to start from (tests: skips initdb, about 3 s each). */
  pgliteTemplate?: Blob;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
// Any fixed number: instances starting together take turns migrating.
const MIGRATION_LOCK = 7_204_311;

/** Opens the store (PGlite or PostgreSQL) and applies the committed SQL migrations. */
export async function createDb({ databaseUrl, dataDir = ':memory:', migrate = true, pgliteTemplate }: CreateDbOptions = {}): Promise<Store> {
  const store = databaseUrl ? await openPostgres(databaseUrl) : await openPglite(dataDir, pgliteTemplate);
  if (migrate) await store.migrate();
  return { db: store.db, kind: store.kind, ping: store.ping, close: store.close, dump: 'dump' in store ? store.dump : undefined };
}

async function openPostgres(databaseUrl: string) {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5_000 });
  // an idle client losing its server must not crash the process; the next query reports it
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  return {
    db: db as unknown as Database,
    kind: 'postgres' as const,
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migrate(drizzle(client, { schema }), { migrationsFolder });
      } finally {
        // eslint-disable-next-line no-restricted-syntax -- a failed unlock means the connection broke, which releases the session lock itself
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string, template?: Blob) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (dataDir !== ':memory:') mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir === ':memory:' ? undefined : dataDir, { loadDataDir: template });
  const db = drizzle(client, { schema });
  let closed = false;
  return {
    db: db as unknown as Database,
    kind: 'pglite' as const,
    async migrate() {
      await migrate(db, { migrationsFolder });
    },
    dump: () => client.dumpDataDir('none'),
    async ping() {
      if (closed) throw new Error('store is closed');
      await db.execute(sql`select 1`);
    },
    async close() {
      closed = true;
      await client.close();
    },
  };
}
