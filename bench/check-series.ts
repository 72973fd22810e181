/**
 * How long a monitor's chart and uptime take with 30 days of checks, on PGlite and PostgreSQL.
 *
 *   npm run bench:series                       # PGlite; PostgreSQL too when DATABASE_URL is set
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:series -- --interval 10
 *
 * Seeds one monitor with a check every `--interval` seconds (default 60: 43,200 checks) over 30
 * days — 2 % failing without an answer, the rest answering in 20–320 ms — builds the hourly
 * rollup with the migration's own back-fill (the same rows live recording writes), then times
 * `checkSeries` for each range, the three uptime windows, and, as the baseline the rollup
 * replaces, one aggregate over the raw checks of 30 days with percentile_cont.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createDb, type Store } from '../server/db/client.js';
import { createCheckStats, type SeriesRange } from '../server/domain/monitors/check-stats.js';

const { values } = parseArgs({ options: { interval: { type: 'string', default: '60' }, runs: { type: 'string', default: '30' } } });
const interval = Number(values.interval);
const runs = Number(values.runs);
const checks = Math.floor((30 * 86_400) / interval);

async function seed(store: Store) {
  const db = store.db;
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: T[] }).rows;
  const [tenant] = await rows<{ id: string }>(sql`insert into tenants (name) values ('bench') returning id`);
  const [monitor] = await rows<{ id: string }>(sql`
    insert into monitors (tenant_id, name, kind, target, interval_seconds, timeout_ms, expected_status, next_check_at, paused)
    values (${tenant!.id}, 'bench', 'HTTP', 'http://bench.invalid/', ${interval}, 1000, '200-399', now(), true) returning id`);
  await db.execute(sql`
    insert into monitor_checks (tenant_id, monitor_id, ok, http_status, response_time_ms, duration_ms, error, checked_at)
    select ${tenant!.id}, ${monitor!.id}, i % 50 <> 0, case when i % 50 <> 0 then 200 end,
      case when i % 50 <> 0 then 20 + (i * 7919) % 300 end, 20 + (i * 7919) % 300,
      case when i % 50 = 0 then 'connection refused' end, now() - make_interval(secs => i * ${interval} + 1)
    from generate_series(0, ${checks - 1}) i`);
  const migration = readFileSync(new URL('../server/db/migrations/0005_screens.sql', import.meta.url), 'utf8');
  const backfill = migration.slice(migration.indexOf('-- Back-fill: hourly rollups')).split('--> statement-breakpoint');
  for (const statement of backfill.map((s) => s.trim()).filter(Boolean)) await db.execute(sql.raw(statement));
  await db.execute(sql`analyze`);
  return monitor!.id;
}

async function time(runs: number, fn: () => Promise<unknown>) {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  return `p50 ${at(0.5).toFixed(1).padStart(7)} ms   p95 ${at(0.95).toFixed(1).padStart(7)} ms`;
}

async function bench(label: string, store: Store) {
  const started = performance.now();
  const monitorId = await seed(store);
  console.log(`\n${label}: ${checks.toLocaleString('en')} checks over 30 days seeded and rolled up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const stats = createCheckStats({ db: store.db });
  for (const range of ['HOUR', 'DAY', 'WEEK', 'MONTH'] as SeriesRange[]) {
    console.log(`  checkSeries(${range.padEnd(5)})           ${await time(runs, () => stats.series(monitorId, range))}`);
  }
  console.log(`  uptimes 24 h / 7 d / 30 d        ${await time(runs, () => stats.uptimes([monitorId], [24, 168, 720]))}`);
  console.log(`  status page: 90 daily bars       ${await time(runs, () => stats.daily([monitorId], 90))}`);
  console.log(
    `  baseline: raw 30 d, 6 h buckets  ${await time(runs, () =>
      store.db.execute(sql`
        select date_bin(interval '6 hours', checked_at, timestamptz 'epoch'), count(*), avg(response_time_ms) filter (where ok),
          percentile_cont(0.95) within group (order by response_time_ms) filter (where ok)
        from monitor_checks where monitor_id = ${monitorId} and checked_at > now() - interval '30 days' group by 1`),
    )}`,
  );
}

console.log(`check series bench: interval ${interval} s, ${runs} runs each, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores`);
const pglite = await createDb();
try {
  await bench('PGlite (in memory)', pglite);
} finally {
  await pglite.close();
}
const url = process.env.DATABASE_URL;
if (url) {
  const name = `pb_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const own = new URL(url);
  own.pathname = `/${name}`;
  const store = await createDb({ databaseUrl: own.toString() });
  try {
    await bench('PostgreSQL', store);
  } finally {
    await store.close();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
}
