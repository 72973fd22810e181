// `npm run bench`: the fan-out and ingest benchmark. One run measures the ceiling (bare
// node:http), plain Yoga (the docs' setup) and Pulseboard (in-process bus, Redis, Redis Cluster;
// for ingest, on PGlite and on PostgreSQL) with the same load generator and payload; prints the
// tables and writes bench/results/latest.json.
// Knobs (env): BENCH_SUBSCRIBERS (1000), BENCH_BURST_EVENTS (200), BENCH_STEADY_RATE (20),
// BENCH_STEADY_SECONDS (5), BENCH_BURST_PUBLISHERS (8: concurrent publishers of a burst), BENCH_IDLE (40000, capped by the file limit), BENCH_IDLE_HOLD_SECONDS
// (16), BENCH_SLOW_FRACTION (0.01), BENCH_UNICAST_CHANNELS (1000), BENCH_CHURN_RATE (500),
// BENCH_INGEST_PUBLISHERS (32), BENCH_INGEST_SECONDS (8), BENCH_INGEST_BATCH (100),
// BENCH_INGEST_INLINE (1: values inline in each call's document instead of variables), BENCH_SERVERS,
// BENCH_SCENARIOS (burst,steady,slow,unicast,churn,idle,ingest,ingest-batch),
// BENCH_REDIS_CLUSTER_NODES (a cluster to use; else one is started on free ports),
// BENCH_DATA_DIR (PGlite's directory for pulseboard-*: ':memory:'; `npm start` keeps ./data),
// BENCH_DATABASE_URL (an admin connection that may CREATE DATABASE, for pulseboard-postgres),
// BENCH_PROFILE=1 (servers run with --cpu-prof; profiles land in bench/results/profiles),
// BENCH_BUILT=1 (Pulseboard from `npm run build:server`'s build/ instead of tsx: profiles name lines).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import pg from 'pg';
import type { IngestTarget, Target } from './loadgen.js';
import { createBenchCluster } from './redis-cluster.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SUBSCRIBERS = env('BENCH_SUBSCRIBERS', 1000);
const BURST = env('BENCH_BURST_EVENTS', 200);
const RATE = env('BENCH_STEADY_RATE', 20);
const SECONDS = env('BENCH_STEADY_SECONDS', 5);
const IDLE = env('BENCH_IDLE', 40_000);
// a keep-alive round (SSE_KEEP_ALIVE_MS, 15 s) falls inside the event-loop window
const IDLE_HOLD_SECONDS = env('BENCH_IDLE_HOLD_SECONDS', 16);
const SLOW = env('BENCH_SLOW_FRACTION', 0.01);
const UNICAST = env('BENCH_UNICAST_CHANNELS', 1000);
const CHURN = env('BENCH_CHURN_RATE', 500);
const INGEST_PUBLISHERS = env('BENCH_INGEST_PUBLISHERS', 32);
const INGEST_SECONDS = env('BENCH_INGEST_SECONDS', 8);
const INGEST_BATCH = env('BENCH_INGEST_BATCH', 100);
const INGEST_INLINE = process.env.BENCH_INGEST_INLINE === '1';
const ALL_SERVERS = ['ceiling', 'plain-yoga', 'pulseboard-memory', 'pulseboard-redis', 'pulseboard-redis-cluster', 'pulseboard-postgres'];
const ALL_SCENARIOS = ['burst', 'steady', 'slow', 'unicast', 'churn', 'idle', 'ingest', 'ingest-batch'];
const SERVERS = (process.env.BENCH_SERVERS ?? ALL_SERVERS.join(',')).split(',');
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? ALL_SCENARIOS.join(',')).split(','));
// which server takes part in which: ingest compares the stores against plain Yoga (the ceiling
// has no GraphQL; a bus only adds a publish after the commit); PostgreSQL only ingests
const FANOUT = new Set(['ceiling', 'plain-yoga', 'pulseboard-memory', 'pulseboard-redis', 'pulseboard-redis-cluster']);
const INGEST = new Set(['plain-yoga', 'pulseboard-memory', 'pulseboard-postgres']);
/** `pulseboard-memory@baseline` and `pulseboard-memory #2` take part as pulseboard-memory does. */
const kindOf = (server: string) => server.split(/[@ ]/)[0]!;
const DATABASE_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PROFILE = process.env.BENCH_PROFILE === '1';
// the tsc build (`npm run build:server` first) instead of tsx: profiles then name real lines
const BUILT = process.env.BENCH_BUILT === '1';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const pin = (core: number) => (os.cpus().length >= 2 && hasTaskset() ? ['taskset', '-c', String(core)] : []);
function hasTaskset() {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Open files this process (and so each server and load generator it spawns) may hold: every
 * idle stream is a socket on both sides, so this caps the idle scenario on one process pair.
 */
function fileLimit(): number {
  const line = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return line && line[1] !== 'unlimited' ? Number(line[1]) : Infinity;
}
// room for the server's own files (store, bus connections, listeners) besides the streams
const IDLE_STREAMS = Math.min(IDLE, Math.floor((fileLimit() - 1_000) / 1_000) * 1_000);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function spawnPinned(core: number, args: string[], extraEnv: Record<string, string>, ipc = false): ChildProcess {
  const profile = PROFILE && core === 0 ? ['--cpu-prof', '--cpu-prof-dir', 'bench/results/profiles'] : [];
  // servers (core 0) collect garbage on SIGUSR2, for idle-memory readings; see gc-on-signal.cjs
  const gcOnSignal = core === 0 ? ['--expose-gc', '--require', './bench/gc-on-signal.cjs'] : [];
  const [cmd, ...rest] = [...pin(core), process.execPath, ...profile, ...gcOnSignal, '--import', 'tsx', ...args];
  // servers get an IPC channel too: gc-on-signal.cjs answers event-loop readings over it
  return spawn(cmd!, rest, { env: { ...process.env, ...extraEnv }, stdio: ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'ignore', 'inherit', 'ipc'] });
}

interface EventLoopReading {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The server's event-loop delay since the last reset (and a reset, when asked). */
function eventLoop(child: ChildProcess, reset = false): Promise<EventLoopReading> {
  return new Promise((resolve) => {
    const onMessage = (m: any) => {
      if (m?.probe !== 'eventLoop') return;
      child.off('message', onMessage);
      resolve(m as EventLoopReading);
    };
    child.on('message', onMessage);
    child.send({ probe: 'eventLoop', reset });
  });
}

/** utime + stime of a process, in ms, and its RSS in bytes, from /proc. */
function usage(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  return { cpuMs: (ticks * 1000) / 100, rss };
}

/** RSS after a full collection in the server (twice: what the first frees, the second may return). */
async function settledRss(pid: number): Promise<number> {
  for (let i = 0; i < 2; i++) {
    process.kill(pid, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 500));
  }
  return usage(pid).rss;
}

/** The pid of the node process (taskset execs in place, so it is the child's own pid). */
const pidOf = (child: ChildProcess) => child.pid!;

async function waitHealthy(port: number, path = '/health') {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const ok = await fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server on ${port} did not come up`);
}

/** A database of its own for a pulseboard-postgres run, dropped by the returned function. */
async function createBenchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pulseboard_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: DATABASE_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(DATABASE_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: DATABASE_ADMIN_URL });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

const PUBLISH_DOCUMENT = 'mutation ($c: String!, $e: [LogEntryInput!]!, $k: String) { publishLogs(channel: $c, entries: $e, idempotencyKey: $k) { count } }';

/**
 * An ingest call of `entries` 180-byte lines, each call with an idempotency key of its own, as
 * the client kit sends them (plain Yoga takes the argument and ignores it).
 */
function ingestTarget(port: number, headers: Record<string, string>, entries: number): IngestTarget {
  const lines = Array.from({ length: entries }, (_, i) => ({ level: 'INFO', message: `line ${i} ${'x'.repeat(172)}` }));
  // BENCH_INGEST_INLINE=1: the values written into the document, so every call's text differs
  // (no parse cache helps, on either server)
  const inline = `mutation { publishLogs(channel: "ingest:a", entries: [${lines.map((l) => `{level: INFO, message: ${JSON.stringify(`${l.message} __N__`)}}`).join(', ')}], idempotencyKey: "bench-__N__") { count } }`;
  const body = INGEST_INLINE ? JSON.stringify({ query: inline }) : JSON.stringify({ query: PUBLISH_DOCUMENT, variables: { c: 'ingest:a', e: lines, k: 'bench-__N__' } });
  return { port, path: '/graphql', headers, body, entries };
}


let cluster: Awaited<ReturnType<typeof createBenchCluster>> | undefined;

/**
 * `<server>@baseline` runs Pulseboard from the checkout in BENCH_BASELINE_DIR (say, a
 * `git worktree` of the commit before a change), so before and after share one run's machine.
 */
const BASELINE_DIR = process.env.BENCH_BASELINE_DIR;

async function startServer(server: string): Promise<{ child: ChildProcess; target: Target; ingest: (entries: number) => IngestTarget; cleanup?: () => Promise<void> }> {
  const [name, variant] = server.split('@') as [string, string | undefined];
  if (variant !== undefined && (variant !== 'baseline' || !BASELINE_DIR)) throw new Error(`${server}: only <server>@baseline, with BENCH_BASELINE_DIR set`);
  const root = variant ? BASELINE_DIR! : '.';
  const port = await freePort();
  if (name === 'ceiling') {
    const child = spawnPinned(0, ['bench/servers/ceiling.ts'], { PORT: String(port) });
    await waitHealthy(port);
    return {
      child,
      target: { port, subscribeRequest: `GET /stream?channel=__CHANNEL__ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`, publishPath: '/publish', publishHeaders: {}, publishBody: '{"channel":"__CHANNEL__","message":"__MESSAGE__"}' },
      ingest: () => {
        throw new Error('the ceiling has no publishLogs');
      },
    };
  }
  const sse = (auth: string) => {
    // the channel as a variable, as a client would send it: one document for every channel
    const body = JSON.stringify({ query: 'subscription ($channel: String!) { logs(channel: $channel) { cursor message } }', variables: { channel: '__CHANNEL__' } });
    return `POST /graphql/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\n${auth}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  if (name === 'plain-yoga') {
    const child = spawnPinned(0, ['bench/servers/plain-yoga.ts'], { PORT: String(port) });
    await waitHealthy(port, '/health');
    return {
      child,
      target: {
        port,
        subscribeRequest: sse(''),
        publishPath: '/graphql',
        publishHeaders: {},
        publishBody: JSON.stringify({ query: 'mutation ($c: String!, $m: String!) { publishLogs(channel: $c, entries: [{level: INFO, message: $m}]) { count } }', variables: { c: '__CHANNEL__', m: '__MESSAGE__' } }),
      },
      ingest: (entries) => ingestTarget(port, {}, entries),
    };
  }
  const database = name === 'pulseboard-postgres' ? await createBenchDatabase() : undefined;
  const child = spawnPinned(0, [BUILT ? `${root}/build/server/index.js` : `${root}/server/index.ts`], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: process.env.BENCH_DATA_DIR ?? ':memory:',
    LOG_LEVEL: 'error',
    MAX_STREAMS_PER_CALLER: '1000000',
    MAX_STREAMS_PER_TENANT: '1000000',
    // the publish budgets stay at their defaults: nothing here may be refused on them
    LOG_SUBSCRIPTION_BUFFER: '100000',
    REDIS_URL: name === 'pulseboard-redis' ? REDIS_URL : '',
    REDIS_CLUSTER_NODES: name === 'pulseboard-redis-cluster' ? (cluster ??= await createBenchCluster()).nodes : '',
    DATABASE_URL: database ? database.url : '',
  });
  await waitHealthy(port);
  const gql = async (query: string, token?: string) =>
    (await (await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) })).json()) as any;
  const jwt = (await gql(`mutation { register(input: {email: "bench-${Date.now()}@example.com", password: "bench-password", name: "Bench", tenantName: "Bench"}) { token } }`)).data.register.token;
  const secret = (await gql('mutation { createServiceToken(name: "bench", channels: ["*"]) { secret } }', jwt)).data.createServiceToken.secret;
  return {
    child,
    target: {
      port,
      subscribeRequest: sse(`Authorization: Bearer ${jwt}\r\n`),
      publishPath: '/graphql',
      publishHeaders: { authorization: `Bearer ${secret}` },
      publishBody: JSON.stringify({ query: 'mutation ($c: String!, $m: String!) { publishLogs(channel: $c, entries: [{level: INFO, message: $m}]) { count } }', variables: { c: '__CHANNEL__', m: '__MESSAGE__' } }),
    },
    ingest: (entries) => ingestTarget(port, { authorization: `Bearer ${secret}` }, entries),
    cleanup: database?.drop,
  };
}

/** SIGKILL, or SIGTERM and a wait when profiling (the profile is written on a clean exit). */
async function stopServer(child: ChildProcess) {
  if (!PROFILE) return void child.kill('SIGKILL');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  child.kill('SIGKILL');
}

function loadgen() {
  const child = spawnPinned(1, ['bench/loadgen.ts'], {}, true);
  let id = 0;
  const waiting = new Map<number, (v: any) => void>();
  child.on('message', (m: any) => waiting.get(m.id)?.(m));
  return {
    send: (command: object): Promise<any> =>
      new Promise((resolve, reject) => {
        const myId = ++id;
        waiting.set(myId, (m) => (m.error ? reject(new Error(m.error)) : resolve(m.result)));
        child.send({ ...command, id: myId });
      }),
    pid: child.pid!,
    kill: () => child.kill(),
  };
}

/** A scenario's window on the monotonic clock --cpu-prof stamps samples with, for profile-summary. */
function printWindow(scenario: string, fromUs: bigint) {
  if (PROFILE) console.log(`\n${scenario} window (µs): ${fromUs} ${process.hrtime.bigint() / 1000n}`);
}

const results: Record<string, any> = {};
const loadAtStart = os.loadavg();
for (const [index, name] of SERVERS.entries()) {
  const has = (scenario: string) => SCENARIOS.has(scenario) && (scenario.startsWith('ingest') ? INGEST : FANOUT).has(kindOf(name));
  if (!ALL_SCENARIOS.some(has)) continue;
  // a server named twice (before/after, alternated against drift) gets a row per run
  const key = SERVERS.indexOf(name) === index ? name : `${name} #${SERVERS.slice(0, index + 1).filter((n) => n === name).length}`;
  process.stdout.write(`\n${key}: `);
  let { child, target, ingest, cleanup } = await startServer(name);
  let pid = pidOf(child);
  let gen = loadgen();
  // what a server measured before a scenario failed is kept beside the failure
  const rows: any = {};
  try {
    // ingest first, on a fresh server: publish calls only, 32 publishers in a closed loop
    for (const [scenario, entries] of [['ingest', 1], ['ingest-batch', INGEST_BATCH]] as const) {
      if (!has(scenario)) continue;
      const before = usage(pid);
      const fromUs = process.hrtime.bigint() / 1000n;
      const row = await gen.send({ cmd: 'ingest', target: ingest(entries), concurrency: INGEST_PUBLISHERS, seconds: INGEST_SECONDS, warmupSeconds: 1 });
      printWindow(scenario, fromUs);
      row.serverCpuMsPer1000Entries = ((usage(pid).cpuMs - before.cpuMs) / Math.max(1, row.servedEntries)) * 1000;
      rows[scenario] = row;
      process.stdout.write(`${scenario} ${Math.round(entries === 1 ? row.callsPerSecond : row.entriesPerSecond)}${entries === 1 ? ' calls' : ' entries'}/s (${row.refused} refused, ${row.failed} failed) `);
    }
    if (has('burst') || has('steady')) {
      // broadcast: capacity (burst) and latency (steady open-loop)
      await gen.send({ cmd: 'open', target, count: SUBSCRIBERS });
      if (has('burst')) {
        const before = usage(pid);
        const genBefore = usage(gen.pid);
        const fromUs = process.hrtime.bigint() / 1000n;
        const burst = await gen.send({ cmd: 'burst', events: BURST, timeoutMs: 60_000 });
        printWindow('burst', fromUs);
        const after = usage(pid);
        // the load generator keeps up while its core is not saturated: its CPU share of the burst
        const loadgenCpuShare = (usage(gen.pid).cpuMs - genBefore.cpuMs) / (burst.seconds * 1000);
        rows.burst = { ...burst, serverCpuMsPer1000: ((after.cpuMs - before.cpuMs) / Math.max(1, burst.received)) * 1000, loadgenCpuShare };
        process.stdout.write(`burst ${Math.round(burst.deliveriesPerSecond)}/s `);
      }
      if (has('steady')) {
        rows.steady = await gen.send({ cmd: 'steady', rate: RATE, seconds: SECONDS });
        process.stdout.write(`steady p99 ${rows.steady.p99} ms `);
      }
      await gen.send({ cmd: 'close' });
    }

    if (has('slow')) {
      // slow consumers: SLOW of the clients stop reading while the rest are measured
      await gen.send({ cmd: 'open', target, count: SUBSCRIBERS, slowFraction: SLOW });
      rows.slow = await gen.send({ cmd: 'burst', events: BURST, timeoutMs: 60_000 });
      process.stdout.write(`slow ${Math.round(rows.slow.deliveriesPerSecond)}/s `);
      await gen.send({ cmd: 'close' });
    }

    if (has('unicast')) {
      // unicast: one subscriber on each of UNICAST channels, each event to one of them
      await gen.send({ cmd: 'open', target, count: UNICAST, channels: UNICAST });
      const before = usage(pid);
      const fromUs = process.hrtime.bigint() / 1000n;
      rows.unicast = await gen.send({ cmd: 'burst', events: UNICAST * 2, timeoutMs: 60_000, channels: UNICAST });
      printWindow('unicast', fromUs);
      const after = usage(pid);
      rows.unicast.serverCpuMsPer1000 = ((after.cpuMs - before.cpuMs) / Math.max(1, rows.unicast.received)) * 1000;
      process.stdout.write(`unicast ${Math.round(rows.unicast.deliveriesPerSecond)}/s `);
      await gen.send({ cmd: 'close' });
    }

    if (has('churn')) {
      // churn: subscribe/complete at CHURN per second
      const before = usage(pid);
      rows.churn = await gen.send({ cmd: 'churn', target, rate: CHURN, seconds: 5 });
      const after = usage(pid);
      rows.churn.serverCpuMsPer1000 = ((after.cpuMs - before.cpuMs) / Math.max(1, rows.churn.attempted - rows.churn.failed)) * 1000;
      process.stdout.write(`churn ${Math.round(rows.churn.perSecond)}/s (${rows.churn.failed} failed) `);
    }

    if (has('idle')) {
      // idle hold: memory per open stream, on a fresh server, so heap the earlier scenarios
      // grew (and freed) does not absorb the new streams and flatter the figure
      gen.kill();
      await stopServer(child);
      await cleanup?.();
      ({ child, target, ingest, cleanup } = await startServer(name));
      pid = pidOf(child);
      gen = loadgen();
      const before = await settledRss(pid);
      const opened = await gen.send({ cmd: 'open', target, count: IDLE_STREAMS, sampleEvery: 1_000_000 });
      await new Promise((r) => setTimeout(r, 1_000));
      const after = await settledRss(pid);
      // event-loop delay while the streams sit idle (keep-alives and timers only), after the
      // forced collections above, which would otherwise be the worst "delay" in the window
      await eventLoop(child, true);
      await new Promise((r) => setTimeout(r, IDLE_HOLD_SECONDS * 1_000));
      const loop = await eventLoop(child);
      rows.idle = {
        requested: IDLE,
        fileLimit: fileLimit(),
        streams: opened.opened,
        openMs: opened.ms,
        rssPerStreamBytes: Math.round((after - before) / opened.opened),
        rssMB: Math.round(after / 1e6),
        eventLoop: { holdSeconds: IDLE_HOLD_SECONDS, ...loop },
      };
      process.stdout.write(`idle ${opened.opened} streams ${rows.idle.rssPerStreamBytes} B/stream, event loop p99 ${loop.p99Ms.toFixed(1)} ms`);
      await gen.send({ cmd: 'close' });
    }
    results[key] = rows;
  } catch (error) {
    results[key] = { ...rows, error: (error as Error).message };
    process.stdout.write(`failed: ${(error as Error).message}`);
  } finally {
    gen.kill();
    await stopServer(child);
    await cleanup?.();
  }
}

cluster?.stop();

const ceiling = results.ceiling;
const ratio = (v: number | undefined, c: number | undefined) => (v && c ? (v / c).toFixed(2) : '—');
const cell = (value: unknown, format: (v: any) => string | number = String) => (value === undefined ? '—' : format(value));
const fanout = Object.entries(results).filter(([name, r]) => FANOUT.has(kindOf(name)) && (r.error || ALL_SCENARIOS.some((s) => !s.startsWith('ingest') && r[s])));
const idleOf = (r: any) => (r?.idle ? `${r.idle.streams.toLocaleString('en')}${r.idle.streams < IDLE ? ` of ${IDLE.toLocaleString('en')}, file limit ${r.idle.fileLimit.toLocaleString('en')}` : ''}` : `${IDLE_STREAMS}`);
const lines: string[] = [];
if (fanout.length) lines.push(
  '',
  `| server | deliveries/s (burst) | × ceiling | p50 / p99 ms at ${RATE * SUBSCRIBERS}/s | received / expected | CPU ms per 1000 | × ceiling | with ${SLOW * 100}% stalled, deliveries/s | unicast (${UNICAST} channels) deliveries/s | churn subscribe+complete/s (target ${CHURN}) | RSS per idle stream (${idleOf(ceiling)} open) | × ceiling | event-loop delay p99 / max ms, idle | load generator CPU (burst) |`,
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...fanout.map(([name, r]) =>
    r.error && !r.burst
      ? `| ${name} | failed: ${r.error} | | | | | | | | | | | | |`
      : [
          name,
          cell(r.burst?.deliveriesPerSecond, Math.round),
          ratio(r.burst?.deliveriesPerSecond, ceiling?.burst?.deliveriesPerSecond),
          cell(r.steady, (s) => `${s.p50} / ${s.p99}`),
          cell(r.steady, (s) => `${s.received} / ${s.expected}`),
          cell(r.burst?.serverCpuMsPer1000, (v) => v.toFixed(1)),
          ratio(r.burst?.serverCpuMsPer1000, ceiling?.burst?.serverCpuMsPer1000),
          cell(r.slow?.deliveriesPerSecond, Math.round),
          cell(r.unicast, (u) => `${Math.round(u.deliveriesPerSecond)} (${u.received}/${u.expected})`),
          cell(r.churn, (c) => `${Math.round(c.perSecond)} (${c.failed} failed)`),
          cell(r.idle?.rssPerStreamBytes, (v) => `${(v / 1024).toFixed(1)} KB`),
          ratio(r.idle?.rssPerStreamBytes, ceiling?.idle?.rssPerStreamBytes),
          cell(r.idle?.eventLoop, (l) => `${l.p99Ms.toFixed(1)} / ${l.maxMs.toFixed(1)}`),
          cell(r.burst?.loadgenCpuShare, (v) => `${Math.round(v * 100)}%`),
        ].join(' | ').replace(/^/, '| ').concat(' |'),
  ),
);
const yoga = results['plain-yoga'];
const ingested = Object.entries(results).filter(([name, r]) => INGEST.has(kindOf(name)) && (r.ingest || r['ingest-batch'] || r.error));
if (ingested.length) {
  lines.push(
    '',
    `| server | single-entry publish calls/s (${INGEST_PUBLISHERS} publishers) | × plain Yoga | batched ingest entries/s (${INGEST_BATCH} per call) | × plain Yoga | server CPU ms per 1,000 entries (single / batched) | refused / failed |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...ingested.map(([name, r]) =>
      r.error
        ? `| ${name} | failed: ${r.error} | | | | | |`
        : [
            name,
            cell(r.ingest?.callsPerSecond, Math.round),
            ratio(r.ingest?.callsPerSecond, yoga?.ingest?.callsPerSecond),
            cell(r['ingest-batch']?.entriesPerSecond, Math.round),
            ratio(r['ingest-batch']?.entriesPerSecond, yoga?.['ingest-batch']?.entriesPerSecond),
            `${cell(r.ingest?.serverCpuMsPer1000Entries, (v) => v.toFixed(0))} / ${cell(r['ingest-batch']?.serverCpuMsPer1000Entries, (v) => v.toFixed(1))}`,
            `${(r.ingest?.refused ?? 0) + (r['ingest-batch']?.refused ?? 0)} / ${(r.ingest?.failed ?? 0) + (r['ingest-batch']?.failed ?? 0)}`,
          ].join(' | ').replace(/^/, '| ').concat(' |'),
    ),
  );
}
console.log(lines.join('\n'));
// every event accounted for: a scenario that fell short says by how much, and whether the
// publishes themselves failed or the deliveries went missing
const shortfalls = Object.entries(results).flatMap(([name, r]) =>
  Object.entries(r as Record<string, any>)
    .filter(([, row]) => row && typeof row === 'object' && 'expected' in row && row.received < row.expected)
    .map(([scenario, row]) => `${name} ${scenario}: ${row.expected - row.received} of ${row.expected} deliveries missing (${row.publishFailures ?? 0} publishes failed)`),
);
const failed = Object.entries(results).filter(([, r]) => r.error).map(([name, r]) => `${name}: ${r.error}`);
if (failed.length) console.log(`\nfailed (rows above are what ran before the failure):\n${failed.join('\n')}`);
console.log(shortfalls.length ? `\nmissing:\n${shortfalls.join('\n')}` : '\nevery event accounted for: received = expected in every scenario');
// ingest: nothing refused, nothing failed
const unserved = Object.entries(results).flatMap(([name, r]) =>
  ['ingest', 'ingest-batch'].filter((s) => r[s] && (r[s].refused || r[s].failed)).map((s) => `${name} ${s}: ${r[s].refused} refused, ${r[s].failed} failed`),
);
if (unserved.length) console.log(`\ningest calls not served:\n${unserved.join('\n')}`);
// only a run of every server replaces the committed figures (and keeps a dated copy beside
// them); partial runs go to scratch.json
const at = new Date().toISOString();
const full = ALL_SCENARIOS.every((s) => SCENARIOS.has(s)) && ALL_SERVERS.every((name) => SERVERS.includes(name));
const outs = full ? ['bench/results/latest.json', `bench/results/${at.slice(0, 10)}.json`] : ['bench/results/scratch.json'];
mkdirSync('bench/results', { recursive: true });
const record = JSON.stringify(
  {
    at,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 1e9), node: process.version, pinned: pin(0).length > 0, loadAverage: { atStart: loadAtStart, atEnd: os.loadavg() } },
    knobs: { SUBSCRIBERS, BURST, RATE, SECONDS, IDLE, IDLE_STREAMS, IDLE_HOLD_SECONDS, SLOW, UNICAST, CHURN, INGEST_PUBLISHERS, INGEST_SECONDS, INGEST_BATCH },
    scenarios: [...SCENARIOS],
    results,
  },
  null,
  2,
);
for (const out of outs) writeFileSync(out, record);
console.log(`\nwrote ${outs.join(', ')} (load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')})`);
process.exit(0);
