import net from 'node:net';
import { sql } from 'drizzle-orm';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createBus } from '../server/bus/index.js';
import { startApp } from './support/app.js';
import { startInstance, startPrivateRedis } from './support/processes.js';
import { createPostgresDatabase, createTestStore, postgresUrl } from './support/services.js';
import { sseClient, subscribe } from './support/sse.js';
import { startSite } from './support/targets.js';
import { createClient } from 'graphql-sse';

const LOGS = 'subscription ($after: String) { logs(channel: "faults", after: $after) { cursor message } }';
const PUBLISH = 'mutation ($m: [LogEntryInput!]!) { publishLogs(channel: "faults", entries: $m) { cursors } }';
const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ level: 'INFO', message: `${prefix} ${i + 1}` }));
const messagesOf = (results: any[]) => results.map((r) => r.data?.logs?.message);

const gqlAt = async (url: string, query: string, variables: Record<string, unknown>, token?: string) =>
  (await (
    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    })
  ).json()) as any;

async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Redis restarts mid-stream', () => {
  // nothing lost (logs): every entry committed after the cursor arrives exactly once, in order
  it('instances reconnect by themselves, /ready reports the outage, and live delivery resumes with no gap', async () => {
    const redis = await startPrivateRedis();
    const store = await createTestStore(postgresUrl ? 'postgres' : 'pglite');
    const [busA, busB] = [createBus({ redisUrl: redis.url, onError: () => {} }), createBus({ redisUrl: redis.url, onError: () => {} })];
    const a = await startApp({ store, bus: busA });
    const b = await startApp({ store, bus: busB });
    let restarted: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
    try {
      const { token } = await a.signUp('redis-restart');
      const client = sseClient(b.url, token, false);
      const sub = subscribe(client, LOGS);
      await new Promise((r) => setTimeout(r, 300));
      await a.gql(PUBLISH, { m: lines('before', 5) }, token);
      await sub.waitFor(5);

      await redis.kill();
      await until(async () => (await fetch(`${a.url}/ready`)).status === 503);
      const ready = await (await fetch(`${a.url}/ready`)).json();
      expect(ready.reasons[0]).toMatch(/^bus: /);
      // committed while the bus is down: stored, not delivered live
      await a.gql(PUBLISH, { m: lines('during', 5) }, token);

      restarted = await startPrivateRedis(redis.port);
      await until(async () => (await fetch(`${a.url}/ready`)).status === 200 && (await fetch(`${b.url}/ready`)).status === 200);
      await a.gql(PUBLISH, { m: lines('after', 5) }, token);
      await sub.waitFor(15, 20_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(messagesOf(sub.results)).toEqual([...lines('before', 5), ...lines('during', 5), ...lines('after', 5)].map((l) => l.message));
      client.dispose();
    } finally {
      await a.close();
      await b.close();
      await Promise.all([busA.close(), busB.close()]);
      await store.close();
      await restarted?.kill();
    }
  }, 60_000);
});

describe('Redis restarts mid-stream, for every durable and latest-wins stream', () => {
  // the same outage for incidents, ticket events and service status: 0 gaps, 0 duplicates, the same picture
  it('incidents and ticket events arrive once, in cursor order; serviceStatus ends with the server\'s picture', async () => {
    const redis = await startPrivateRedis();
    const store = await createTestStore(postgresUrl ? 'postgres' : 'pglite');
    const [busA, busB] = [createBus({ redisUrl: redis.url, onError: () => {} }), createBus({ redisUrl: redis.url, onError: () => {} })];
    const a = await startApp({ store, bus: busA });
    const b = await startApp({ store, bus: busB });
    let restarted: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
    try {
      const { token, tenantId } = await a.signUp('redis-every');
      let number = 0;
      const incident = async () => {
        const [row] = (
          (await store.db.execute(
            sql`insert into incidents (tenant_id, number, kind, title, status) values (${tenantId}, ${++number}, 'DOWN', ${`i${number}`}, 'OPEN') returning id`,
          )) as unknown as { rows: { id: string }[] }
        ).rows;
        await gqlAt(a.url, 'mutation ($id: ID!) { acknowledgeIncident(id: $id) { status } }', { id: row!.id }, token);
        await gqlAt(a.url, 'mutation ($id: ID!) { resolveIncident(id: $id) { status } }', { id: row!.id }, token);
      };
      const ticket = (await gqlAt(a.url, 'mutation { createTicket(input: {subject: "s", body: "b", customerName: "C", customerEmail: "c@example.com"}) { id } }', {}, token)).data.createTicket.id;
      const message = (body: string) => gqlAt(a.url, 'mutation ($id: ID!, $body: String!) { postTicketMessage(ticketId: $id, body: $body) { id } }', { id: ticket, body }, token);
      const report = (key: string, queueSize: number) =>
        gqlAt(a.url, 'mutation ($input: ServiceStatusInput!) { reportServiceStatus(input: $input) { key } }', { input: { key, state: 'RUNNING', intervalSeconds: 3600, queueSize } }, token);

      const client = sseClient(b.url, token, true);
      const incidents = subscribe(client, 'subscription { incidents { cursor kind } }');
      const tickets = subscribe(client, `subscription { ticketEvents(ticketId: "${ticket}") { cursor kind message { body } } }`);
      const status = subscribe(client, 'subscription { serviceStatus { kind key services { key queueSize } } }');
      await until(() => b.app.holdings().subscriptions === 3);
      await incident();
      await message('before');
      await report('svc', 1);
      await incidents.waitFor(2);
      await tickets.waitFor(1);

      await redis.kill();
      await until(async () => (await fetch(`${a.url}/ready`)).status === 503);
      // committed while the bus is down: stored, not delivered live
      await incident();
      await message('during');
      await report('svc', 2);
      await report('other', 7);

      restarted = await startPrivateRedis(redis.port);
      await until(async () => (await fetch(`${a.url}/ready`)).status === 200 && (await fetch(`${b.url}/ready`)).status === 200);
      await incident();
      await message('after');
      await incidents.waitFor(6, 20_000);
      const ticketEvents = () => tickets.results.map((r) => r.data.ticketEvents).filter((e) => e.kind === 'MESSAGE_POSTED');
      await until(() => ticketEvents().length >= 3, 20_000);

      const incidentCursors = incidents.results.map((r) => Number(r.data.incidents.cursor));
      expect(incidentCursors).toEqual([...incidentCursors].sort((x, y) => x - y));
      expect(new Set(incidentCursors).size).toBe(6);
      expect(incidents.results.map((r) => r.data.incidents.kind)).toEqual(['ACKNOWLEDGED', 'RESOLVED', 'ACKNOWLEDGED', 'RESOLVED', 'ACKNOWLEDGED', 'RESOLVED']);
      expect(ticketEvents().map((e) => e.message.body)).toEqual(['before', 'during', 'after']);

      // latest-wins: the subscriber's picture equals the server's once the bus is back
      const picture = () => {
        let services: Record<string, number> = {};
        for (const r of status.results) {
          const event = r.data.serviceStatus;
          if (event.kind === 'SNAPSHOT') services = {};
          if (event.kind === 'REMOVED') delete services[event.key];
          for (const service of event.services) services[service.key] = service.queueSize;
        }
        return services;
      };
      await until(() => JSON.stringify(picture()) === JSON.stringify({ svc: 2, other: 7 }), 20_000);
      client.dispose();
    } finally {
      await a.close();
      await b.close();
      await Promise.all([busA.close(), busB.close()]);
      await store.close();
      await restarted?.kill();
    }
  }, 90_000);
});

describe.skipIf(!postgresUrl)('instances as processes', () => {
  it('an instance killed mid-stream: its clients reconnect to the other and resume without loss', async () => {
    const database = await createPostgresDatabase();
    const redis = await startPrivateRedis();
    const env = { DATABASE_URL: database.url, REDIS_URL: redis.url, JWT_SECRET: 'k'.repeat(40) };
    const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    try {
      const token = (await gqlAt(a.url, 'mutation { register(input: {email: "kill@example.com", password: "kill-switch-42", name: "K", tenantName: "K"}) { token } }', {})).data.register.token;
      // the client goes to A first and to B once A is gone, always resuming after its last cursor
      const urls = [a.url, b.url];
      let attempt = 0;
      const request = { query: LOGS, variables: { after: null as string | null } };
      const received: string[] = [];
      const client = createClient({
        url: () => `${urls[Math.min(attempt++, 1)]}/graphql/stream`,
        headers: () => ({ authorization: `Bearer ${token}` }),
        retryAttempts: 20,
        retry: () => new Promise((r) => setTimeout(r, 200)),
      });
      client.subscribe<any>(request, {
        next: (r) => {
          received.push(r.data.logs.message);
          request.variables.after = r.data.logs.cursor;
        },
        error: () => {},
        complete: () => {},
      });
      await new Promise((r) => setTimeout(r, 500));
      await gqlAt(b.url, PUBLISH, { m: lines('one', 5) }, token);
      await until(() => received.length === 5);

      a.child.kill('SIGKILL');
      await a.exited;
      await gqlAt(b.url, PUBLISH, { m: lines('two', 5) }, token);
      await new Promise((r) => setTimeout(r, 300));
      await gqlAt(b.url, PUBLISH, { m: lines('three', 5) }, token);
      await until(() => received.length >= 15);
      await new Promise((r) => setTimeout(r, 300));
      expect(received).toEqual([...lines('one', 5), ...lines('two', 5), ...lines('three', 5)].map((l) => l.message));
      client.dispose();
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
      await redis.kill();
      await database.drop();
    }
  }, 90_000);

  it('SIGTERM: in-flight mutations finish, open streams end with SHUTTING_DOWN (no complete), the process exits within the grace period', async () => {
    const database = await createPostgresDatabase();
    const site = await startSite({ delayMs: 1_500 });
    const instance = await startInstance({ DATABASE_URL: database.url, SHUTDOWN_GRACE_MS: '4000', MONITOR_ALLOW_PRIVATE: 'true' });
    try {
      const token = (await gqlAt(instance.url, 'mutation { register(input: {email: "term@example.com", password: "kill-switch-42", name: "T", tenantName: "T"}) { token } }', {})).data.register.token;
      const monitor = (await gqlAt(instance.url, `mutation { createMonitor(input: {name: "slow", url: "${site.url}", intervalSeconds: 3600}) { id } }`, {}, token)).data.createMonitor.id;
      const sub = subscribe(sseClient(instance.url, token, false), 'subscription { heartbeat(intervalMs: 60000) }');
      await sub.waitFor(1);

      const inFlight = gqlAt(instance.url, `mutation { runMonitorCheck(id: "${monitor}") { ok responseTimeMs } }`, {}, token);
      await new Promise((r) => setTimeout(r, 300));
      const sentAt = Date.now();
      instance.child.kill('SIGTERM');
      const result = await inFlight;
      expect(result.data.runMonitorCheck.ok).toBe(true);
      expect(result.data.runMonitorCheck.responseTimeMs).toBeGreaterThanOrEqual(1_400);
      // the stream was told why, then ended without `complete`, so a client reconnects elsewhere
      await expect(sub.done).rejects.toBeTruthy();
      expect(sub.results.at(-1).errors[0].extensions).toEqual({ code: 'SHUTTING_DOWN', retryAfterMs: 1000 });
      expect(await instance.exited).toBe(0);
      expect(Date.now() - sentAt).toBeLessThan(6_000);
    } finally {
      instance.child.kill('SIGKILL');
      await site.close();
      await database.drop();
    }
  }, 60_000);
});

describe('a stalled client', () => {
  // nothing lost (logs): the stalled subscriber is ended with SLOW_CONSUMER and resumes from the store
  it('neither grows server memory without bound nor slows other subscribers', async () => {
    const t = await startApp({ config: { logSubscriptionBuffer: 200 } });
    try {
      const { token } = await t.signUp('stall');
      // a raw socket that subscribes and then never reads
      const url = new URL(t.url);
      const stalled = net.connect(Number(url.port), url.hostname);
      stalled.pause();
      const body = JSON.stringify({ query: 'subscription { logs(channel: "faults") { message fields } }' });
      stalled.write(
        `POST /graphql/stream HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      const healthy = subscribe(sseClient(t.url, token, false), 'subscription { logs(channel: "faults") { message } }');
      await new Promise((r) => setTimeout(r, 300));

      const pad = 'x'.repeat(4_000);
      v8.setFlagsFromString('--expose_gc');
      const gc = vm.runInNewContext('gc') as () => void;
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const batches = 60;
      for (let i = 0; i < batches; i++) {
        await t.gql('mutation ($m: [LogEntryInput!]!) { publishLogs(channel: "faults", entries: $m) { count } }', { m: Array.from({ length: 100 }, (_, k) => ({ level: 'INFO', message: `${i}-${k}`, fields: { pad } })) }, token);
      }
      await healthy.waitFor(batches * 100, 30_000);
      expect(healthy.results).toHaveLength(batches * 100);
      const stats = (await t.gql('{ gatewayStats { eventsDropped } }', {}, token)).data.gatewayStats;
      expect(stats.eventsDropped).toBe(1);
      // 6,000 entries of ~4 KB (24 MB) went to a reader that took none: what the server holds for it is bounded
      // held for the stalled reader, it would be 24 MB of strings plus objects; what remains after GC
      // is this process's own clients and caches (the test runs client and server in one process)
      gc();
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(20_000_000);
      stalled.destroy();
    } finally {
      await t.close();
    }
  }, 60_000);
});
