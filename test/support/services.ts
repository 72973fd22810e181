import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { createBus, type Bus } from '../../server/bus/index.js';
import { createDb, type Store } from '../../server/db/client.js';

/** '' when Redis is not reachable (the suite is skipped; CI=true fails earlier). */
export const redisUrl = inject('redisUrl');
export const postgresUrl = inject('postgresUrl');
/** Redis Cluster seed nodes; empty when REDIS_CLUSTER_NODES is unset (the cluster suites skip). */
export const redisClusterNodes = inject('redisClusterNodes').split(',').filter(Boolean);

export type StoreKind = 'pglite' | 'postgres';
export type BusKind = 'memory' | 'redis' | 'redis-cluster';

export const storeKinds: StoreKind[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];
export const busKinds: BusKind[] = ['memory', ...(redisUrl ? (['redis'] as const) : []), ...(redisClusterNodes.length ? (['redis-cluster'] as const) : [])];

let template: Blob | undefined;

/** An empty PostgreSQL database of its own, dropped by `drop()`. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A migrated store of the given kind; PostgreSQL gets a database of its own. */
export async function createTestStore(kind: StoreKind = 'pglite'): Promise<Store & { databaseUrl?: string }> {
  if (kind === 'pglite') {
    template ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
    return createDb({ pgliteTemplate: template });
  }
  const database = await createPostgresDatabase();
  const store = await createDb({ databaseUrl: database.url });
  return {
    ...store,
    databaseUrl: database.url,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

/** A bus of the given kind; Redis buses get a namespace of their own so parallel files never cross. */
export function createTestBus(kind: BusKind = 'memory', prefix = `pbtest:${randomBytes(4).toString('hex')}:`): Bus {
  if (kind === 'redis-cluster') return createBus({ redisClusterNodes, prefix });
  return kind === 'redis' ? createBus({ redisUrl, prefix }) : createBus();
}
