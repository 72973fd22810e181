import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../server/db/client.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// set by .ci/run (scripts/redis-cluster.sh); unset locally, the cluster suites say so and skip
const REDIS_CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES ?? '';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || defaultPort) });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** One PGlite data directory with every migration applied, reused by every test store. */
async function pgliteTemplate(): Promise<string> {
  const migrations = join(import.meta.dirname, '../../server/db/migrations');
  const hash = createHash('sha256');
  for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql')).sort()) {
    hash.update(file).update(readFileSync(join(migrations, file)));
  }
  const dir = join(import.meta.dirname, '../../node_modules/.cache/pulseboard');
  const path = join(dir, `pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const store = await createDb();
    const blob = await store.dump!();
    writeFileSync(path, Buffer.from(await blob.arrayBuffer()));
    await store.close();
  }
  return path;
}

export default async function setup(project: TestProject) {
  const ci = process.env.CI === 'true';
  const [redis, postgres, template] = await Promise.all([reachable(REDIS_URL, 6379), reachable(PG_URL, 5432), pgliteTemplate()]);
  const missing = [!redis && `Redis at ${REDIS_URL}`, !postgres && `PostgreSQL at ${PG_URL}`].filter(Boolean);
  if (missing.length && ci) {
    throw new Error(`CI=true and ${missing.join(' and ')} not reachable: integration suites cannot run`);
  }
  if (missing.length) {
    console.log(`[pulseboard] skipping integration suites that need ${missing.join(' and ')} (not reachable; CI=true makes this an error)`);
  }
  let cluster = '';
  if (REDIS_CLUSTER_NODES) {
    const seed = REDIS_CLUSTER_NODES.split(',')[0]!;
    if (await reachable(`redis://${seed}`, 6379)) cluster = REDIS_CLUSTER_NODES;
    else if (ci) throw new Error(`CI=true and the Redis Cluster at ${REDIS_CLUSTER_NODES} is not reachable`);
  }
  if (!cluster) console.log('[pulseboard] skipping the Redis Cluster suites: REDIS_CLUSTER_NODES is not set (scripts/redis-cluster.sh starts one; .ci/run always does)');
  project.provide('redisUrl', redis ? REDIS_URL : '');
  project.provide('redisClusterNodes', cluster);
  project.provide('postgresUrl', postgres ? PG_URL : '');
  project.provide('pgliteTemplate', template);
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** comma-separated host:port seeds, '' when no cluster is reachable */
    redisClusterNodes: string;
    postgresUrl: string;
    pgliteTemplate: string;
  }
}
