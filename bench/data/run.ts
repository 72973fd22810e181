/**
 * The store at a year's data: seeds a tenant at 1x and 10x (sizes in ./seed.ts) on PostgreSQL
 * (a database of its own, `pulseboard_bench`, dropped and made anew) and PGlite, then times every
 * console screen's request through the real GraphQL API (in-process `yoga.fetch`, so resolvers,
 * loaders and auth are in the figure) and one retention pass.
 *
 *   npm run bench:data                              # both stores, 1x and 10x
 *   BENCH_STORES=postgres BENCH_SCALES=1 npm run bench:data
 *   BENCH_PLANS=1 npm run bench:data                # also EXPLAIN ANALYZE every statement a screen runs (PostgreSQL) into bench/data/plans/
 *
 * DATABASE_URL names the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test);
 * the bench works in its own database beside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { buildApp } from '../../server/app.js';
import { createBus } from '../../server/bus/index.js';
import { testConfig } from '../../server/config.js';
import { createDb, type Store } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { seed, sizesAt, type Seeded } from './seed.js';
import { screens } from './screens.js';

const stores = (process.env.BENCH_STORES ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];
const scales = (process.env.BENCH_SCALES ?? '1,10').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 40);
const withPlans = process.env.BENCH_PLANS === '1';
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BENCH_DB = 'pulseboard_bench';
const here = new URL('.', import.meta.url);

interface Figure {
  p50: number;
  p95: number;
}
type Results = Record<string, Record<string, Record<string, Figure>>>; // store -> scale -> screen -> figure

async function freshPostgres(): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.query(`create database ${BENCH_DB}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${BENCH_DB}`;
  return url.toString();
}

async function dropPostgres() {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.end();
}

function percentiles(ms: number[]): Figure {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)) };
}
const round = (n: number) => Math.round(n * 10) / 10;

/** Every statement the pg driver sends while `fn` runs (PostgreSQL only; for EXPLAIN). */
async function captureStatements(fn: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const seen: { text: string; values: unknown[] }[] = [];
  const original = pg.Client.prototype.query;
  (pg.Client.prototype as any).query = function (this: pg.Client, config: any, values?: any, cb?: any) {
    const text = typeof config === 'string' ? config : config?.text;
    const vals = (typeof config === 'object' && config?.values) || (Array.isArray(values) ? values : []);
    if (typeof text === 'string' && /^\s*(select|with|update|delete|insert)/i.test(text)) seen.push({ text, values: vals });
    return (original as any).call(this, config, values, cb);
  };
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}

async function writePlans(databaseUrl: string, scale: number, screen: string, statements: { text: string; values: unknown[] }[]) {
  const dir = new URL('./plans/', here);
  mkdirSync(dir, { recursive: true });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const out: string[] = [];
  try {
    for (const { text, values } of statements) {
      const readOnly = /^\s*(select|with)/i.test(text) && !/\b(insert|update|delete)\b/i.test(text);
      await client.query('begin');
      try {
        const plan = await client.query(`explain (analyze, buffers, costs off, summary on) ${text}`, values as unknown[]);
        out.push(`-- ${text.replace(/\s+/g, ' ').trim()}\n-- params: ${JSON.stringify(values).slice(0, 300)}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
      } catch (error) {
        out.push(`-- ${text.replace(/\s+/g, ' ').trim()}\n-- (not explained: ${(error as Error).message})\n`);
      } finally {
        // writes explained with ANALYZE ran: undo them
        await client.query(readOnly ? 'commit' : 'rollback');
      }
    }
  } finally {
    await client.end();
  }
  writeFileSync(new URL(`./${scale}x-${screen}.txt`, dir), out.join('\n'));
}

async function benchOne(kind: 'postgres' | 'pglite', scale: number, results: Results) {
  const sizes = sizesAt(scale);
  const databaseUrl = kind === 'postgres' ? await freshPostgres() : undefined;
  const store: Store = await createDb({ databaseUrl });
  const bus = createBus();
  const config = testConfig({ allowSignup: true, ...(databaseUrl ? { databaseUrl } : {}) });
  const app = await buildApp({ config, store, bus, logger: createLogger('error') });
  const started = performance.now();
  try {
    const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
      const response = await app.yoga.fetch('http://bench.local/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors).slice(0, 400)}`);
      return body.data;
    };
    const registered = await gql(
      'mutation ($i: RegisterInput!) { register(input: $i) { token user { id } } }',
      { i: { email: `bench-${scale}@bench.invalid`, password: 'correct horse battery staple', name: 'Admin', tenantName: `Bench ${scale}x` } },
    );
    const token: string = registered.register.token;
    const adminId: string = registered.register.user.id;
    const tenantId: string = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).tid;
    let last = performance.now();
    const seeded: Seeded = await seed(store.db, tenantId, adminId, sizes, (what) => {
      const now = performance.now();
      process.stderr.write(`  [${kind} ${scale}x] ${what} (+${((now - last) / 1000).toFixed(1)} s)\n`);
      last = now;
    });
    const seedSeconds = (performance.now() - started) / 1000;
    const figures: Record<string, Figure> = {};
    for (const screen of screens(seeded)) {
      const call = () => gql(screen.query, screen.variables, token);
      await call();
      await call();
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await call();
        ms.push(performance.now() - t0);
      }
      figures[screen.name] = percentiles(ms);
      if (withPlans && kind === 'postgres') await writePlans(databaseUrl!, scale, screen.name, await captureStatements(call));
    }
    // retention: the first pass deletes the fixed expired slice; the passes after it find nothing
    // (before issue 22 the app had only the log prune: the bench runs on that code too, for comparison)
    const legacy = app as unknown as { retention?: typeof app.retention; logs: { prune(): Promise<unknown> } };
    const pass = () => (legacy.retention ? legacy.retention.runPass({ force: true }) : legacy.logs.prune());
    const t0 = performance.now();
    const firstPass = await pass();
    figures['retention pass (deletes the expired slice)'] = { p50: round(performance.now() - t0), p95: round(performance.now() - t0) };
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t1 = performance.now();
      await pass();
      idle.push(performance.now() - t1);
    }
    figures['retention pass (nothing expired)'] = percentiles(idle);
    if (withPlans && kind === 'postgres') await writePlans(databaseUrl!, scale, 'retention', await captureStatements(pass));
    process.stderr.write(`  [${kind} ${scale}x] seeded in ${seedSeconds.toFixed(0)} s; first retention pass: ${JSON.stringify(firstPass)}\n`);
    (results[kind] ??= {})[`${scale}x`] = figures;
  } finally {
    await app.stop(0);
    await bus.close();
    await store.close();
    if (kind === 'postgres') await dropPostgres();
  }
}

function table(results: Results): string {
  const lines: string[] = [];
  for (const [kind, byScale] of Object.entries(results)) {
    const one = byScale['1x'];
    const ten = byScale['10x'];
    lines.push(`\n**${kind}**\n`, '| screen | p50 1x | p95 1x | p50 10x | p95 10x | p95 10x / 1x |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const screen of Object.keys(one ?? ten ?? {})) {
      const a = one?.[screen];
      const b = ten?.[screen];
      const ratio = a && b ? (b.p95 / Math.max(a.p95, 0.1)).toFixed(2) : '';
      lines.push(`| ${screen} | ${a?.p50 ?? ''} | ${a?.p95 ?? ''} | ${b?.p50 ?? ''} | ${b?.p95 ?? ''} | ${ratio} |`);
    }
  }
  return lines.join('\n');
}

const results: Results = {};
const began = performance.now();
for (const kind of stores) for (const scale of scales) await benchOne(kind, scale, results);
const minutes = (performance.now() - began) / 60_000;
const out = table(results);
console.log(out);
console.log(`\n${runs} runs per screen; ${minutes.toFixed(1)} min in all; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on 2 cores`);
mkdirSync(new URL('./results/', here), { recursive: true });
writeFileSync(new URL('./results/latest.json', here), JSON.stringify({ at: new Date().toISOString(), runs, minutes, results }, null, 2));
writeFileSync(new URL('./results/latest.md', here), `${out}\n`);
