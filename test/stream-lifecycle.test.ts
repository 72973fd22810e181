import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/app.js';
import { hangUp, openRaw, until, type RawRequest } from './support/raw-http.js';
import { busKinds, createTestBus, redisUrl, type BusKind } from './support/services.js';
import { sseClient, subscribe } from './support/sse.js';

const LINES = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ level: 'INFO', message: `${prefix} ${i + 1}` }));
const PUBLISH = 'mutation ($channel: String!, $m: [LogEntryInput!]!) { publishLogs(channel: $channel, entries: $m) { cursors } }';

/** Every live root field, as a client subscribes to it (one needs a ticket id). */
const subscriptions = (ticketId: string) => [
  { query: 'subscription { logs(channel: "life", after: "0") { cursor message } }' },
  { query: 'subscription { logs(channel: "life:*") { cursor } }' },
  { query: 'subscription { serviceStatus { kind } }' },
  { query: 'subscription { incidents(after: "0") { cursor } }' },
  { query: 'subscription { ticketEvents { cursor kind } }' },
  { query: 'subscription ($id: ID!) { ticketEvents(ticketId: $id, after: "0") { cursor kind } }', variables: { id: ticketId } },
  { query: 'subscription { monitorChecks { ok } }' },
  { query: 'subscription { heartbeat(intervalMs: 100) }' },
];

const nothingHeld = { openStreams: 0, reservations: 0, subscriptions: 0, callersWithSlots: 0, feeds: 0, busSubscriptions: 0 };

async function setUp(busKind: BusKind, config = {}) {
  const prefix = `pbtest:life:${randomBytes(4).toString('hex')}:`;
  const bus = createTestBus(busKind, prefix);
  // cached credentials (and their per-tenant listeners) are released within a second of the last request
  const t = await startApp({ bus, config: { credentialCacheTtlMs: 1_000, ...config } });
  const admin = await t.signUp('life');
  const ticketId = (await t.gql('mutation { createTicket(input: {subject: "s", body: "b", customerName: "C", customerEmail: "c@example.com"}) { id } }', {}, admin.token)).data.createTicket.id as string;
  /** Redis channels of this app with a subscriber left (none on the in-process bus). */
  const redisChannels = async () => {
    if (busKind !== 'redis') return [];
    const redis = new Redis(redisUrl);
    try {
      return (await redis.pubsub('CHANNELS', `${prefix}*`)) as string[];
    } finally {
      redis.disconnect();
    }
  };
  const settled = async (what: string) => {
    await until(() => JSON.stringify(t.app.holdings()) === JSON.stringify(nothingHeld), `${what}: ${JSON.stringify(t.app.holdings())}`);
    await until(async () => (await redisChannels()).length === 0, `${what}: Redis channels ${(await redisChannels()).join(', ')}`);
  };
  const close = async () => {
    await t.close();
    await bus.close();
  };
  return { t, admin, ticketId, settled, close };
}

const streamRequest = (token: string, body: unknown, headers: Record<string, string> = {}): RawRequest => ({
  method: 'POST',
  path: '/graphql/stream',
  headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers },
  body: JSON.stringify(body),
});

describe.each(busKinds)('hang-ups leave nothing behind (%s bus)', (busKind) => {
  it('distinct mode: a client hanging up at any moment of setup, for every live field, leaves no stream, subscription, feed, slot or bus channel', async () => {
    const { t, admin, ticketId, settled, close } = await setUp(busKind);
    try {
      const delays = [0, 1, 2, 4, 7, 12, 20, 35, 60, 100];
      const all: Promise<void>[] = [];
      for (const operation of subscriptions(ticketId)) {
        for (const delay of delays) all.push(hangUp(t.url, streamRequest(admin.token, operation), delay));
        // GET, as an EventSource sends it
        const query = new URLSearchParams({ query: operation.query, ...(operation.variables ? { variables: JSON.stringify(operation.variables) } : {}) });
        all.push(hangUp(t.url, { method: 'GET', path: `/graphql/stream?${query}`, headers: { Accept: 'text/event-stream', Authorization: `Bearer ${admin.token}` } }, 5));
        // before the server could read the whole request
        all.push(hangUp(t.url, streamRequest(admin.token, operation), 0, { partial: true }));
      }
      // Yoga's own SSE on /graphql too
      for (const delay of [0, 5, 30]) {
        all.push(hangUp(t.url, { ...streamRequest(admin.token, subscriptions(ticketId)[0]), path: '/graphql' }, delay));
      }
      await Promise.all(all);
      await settled('after the hang-ups');
      // the caller's slots are free: it can still subscribe and receive
      const client = sseClient(t.url, admin.token, false);
      const sub = subscribe(client, 'subscription { logs(channel: "life") { message } }');
      await until(() => t.app.holdings().subscriptions === 1, 'the new subscription');
      await t.gql(PUBLISH, { channel: 'life', m: LINES('after', 1) }, admin.token);
      expect((await sub.waitFor(1))[0].data.logs.message).toBe('after 1');
      sub.dispose();
      client.dispose();
      await settled('after the last client left');
    } finally {
      await close();
    }
  }, 60_000);

  it('single connection mode: the stream hanging up while operations are being set up, and reservations never opened, release everything', async () => {
    const { t, admin, ticketId, settled, close } = await setUp(busKind, { sseReservationTtlMs: 1_000 });
    const auth = { authorization: `Bearer ${admin.token}` };
    try {
      for (const delay of [0, 2, 10, 40]) {
        const token = await (await fetch(`${t.url}/graphql/stream`, { method: 'PUT', headers: auth })).text();
        const stream = openRaw(t.url, { method: 'GET', path: '/graphql/stream', headers: { Accept: 'text/event-stream', 'x-graphql-event-stream-token': token, ...auth } });
        await until(() => stream.text().includes('200 OK'), 'the stream to open');
        const posts = subscriptions(ticketId).map((operation, i) =>
          fetch(`${t.url}/graphql/stream`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-graphql-event-stream-token': token, ...auth },
            body: JSON.stringify({ ...operation, extensions: { operationId: `op${i}` } }),
          }).then((r) => r.status),
        );
        setTimeout(() => stream.destroy(), delay);
        // each operation is accepted or refused cleanly, whatever the moment
        for (const status of await Promise.all(posts)) expect([202, 404]).toContain(status);
      }
      // reserved, operations started, but the stream never opened: the reservation expires and takes them with it
      const token = await (await fetch(`${t.url}/graphql/stream`, { method: 'PUT', headers: auth })).text();
      const statuses = await Promise.all(
        subscriptions(ticketId).map((operation, i) =>
          fetch(`${t.url}/graphql/stream`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-graphql-event-stream-token': token, ...auth },
            body: JSON.stringify({ ...operation, extensions: { operationId: `never${i}` } }),
          }).then((r) => r.status),
        ),
      );
      // accepted, or (on a machine slow enough that the reservation expired first) refused cleanly
      for (const status of statuses) expect([202, 404]).toContain(status);
      await settled('after the hang-ups and the expired reservation');
    } finally {
      await close();
    }
  }, 60_000);

  it('an operation stopped before its first event — or while it is still being set up — holds nothing, and its stream stays usable', async () => {
    const { t, admin, ticketId, close } = await setUp(busKind);
    const auth = { authorization: `Bearer ${admin.token}` };
    try {
      const token = await (await fetch(`${t.url}/graphql/stream`, { method: 'PUT', headers: auth })).text();
      const stream = openRaw(t.url, { method: 'GET', path: '/graphql/stream', headers: { Accept: 'text/event-stream', 'x-graphql-event-stream-token': token, ...auth } });
      await until(() => stream.text().includes('200 OK'), 'the stream to open');
      const headers = { 'content-type': 'application/json', 'x-graphql-event-stream-token': token, ...auth };
      for (const [i, operation] of subscriptions(ticketId).entries()) {
        const id = `stop${i}`;
        const started = fetch(`${t.url}/graphql/stream`, { method: 'POST', headers, body: JSON.stringify({ ...operation, extensions: { operationId: id } }) });
        // DELETE racing the POST (sent before it answered), and again after
        const stopped = fetch(`${t.url}/graphql/stream?operationId=${id}`, { method: 'DELETE', headers });
        expect((await started).status).toBe(202);
        expect((await stopped).status).toBe(200);
        await fetch(`${t.url}/graphql/stream?operationId=${id}`, { method: 'DELETE', headers });
      }
      await until(() => t.app.holdings().subscriptions === 0 && t.app.holdings().feeds === 0 && t.app.holdings().busSubscriptions === 0, `stopped operations: ${JSON.stringify(t.app.holdings())}`);
      expect(t.app.holdings()).toMatchObject({ openStreams: 1, reservations: 1 });
      // the stream still works for the next operation
      await fetch(`${t.url}/graphql/stream`, { method: 'POST', headers, body: JSON.stringify({ query: 'subscription { logs(channel: "life") { message } }', extensions: { operationId: 'live' } }) });
      await until(() => t.app.holdings().subscriptions === 1, 'the live operation');
      await t.gql(PUBLISH, { channel: 'life', m: LINES('still', 1) }, admin.token);
      await until(() => stream.text().includes('still 1'), 'the event on the stream');
      stream.destroy();
      await until(() => JSON.stringify(t.app.holdings()) === JSON.stringify(nothingHeld), `after the stream left: ${JSON.stringify(t.app.holdings())}`);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('a subscription asked for as one JSON answer', () => {
  // such a request is not watched for hang-ups (it cannot stream); the subscription must then
  // never start, or it would hold its feed for ever
  it('is refused on /graphql and holds nothing, whatever the field', async () => {
    const { t, admin, ticketId, settled, close } = await setUp('memory');
    try {
      for (const accept of ['application/json', 'application/graphql-response+json, application/json;q=0.9']) {
        for (const operation of subscriptions(ticketId)) {
          const response = await fetch(`${t.url}/graphql`, {
            method: 'POST',
            headers: { accept, 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
            body: JSON.stringify(operation),
          });
          expect(response.status).toBe(406);
          expect((await response.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
        }
      }
      await settled('after subscriptions asked for as JSON');
    } finally {
      await close();
    }
  }, 60_000);
});

describe('after every client is gone', () => {
  it('the heap is back within noise after rounds of hang-ups, stops and normal ends', async () => {
    const { t, admin, ticketId, settled, close } = await setUp('memory');
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const round = async () => {
      const all: Promise<void>[] = [];
      for (const operation of subscriptions(ticketId)) for (const delay of [0, 3, 15, 40]) all.push(hangUp(t.url, streamRequest(admin.token, operation), delay));
      const client = sseClient(t.url, admin.token, true);
      const subs = subscriptions(ticketId).map((op) => subscribe(client, op.query, op.variables));
      await until(() => t.app.holdings().subscriptions >= subs.length, 'the client subscriptions');
      subs.forEach((sub) => sub.dispose());
      client.dispose();
      await Promise.all(all);
      await settled('a round');
    };
    try {
      await round();
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 5; i++) await round();
      gc();
      // 5 rounds x 40 streams; a leak of even one small closure chain per stream would show
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(4_000_000);
    } finally {
      await close();
    }
  }, 90_000);
});

describe('feeds are shared and reference-counted', () => {
  it('a subscriber joining while the last one leaves gets a live feed, not one that just unsubscribed', async () => {
    const t = await startApp();
    try {
      const { tenantId } = await t.signUp('race');
      for (let round = 0; round < 20; round++) {
        const first = new AbortController();
        await t.app.streams.logs({ tenantId, pattern: 'race', signal: first.signal });
        const second = new AbortController();
        // the second joins; the first leaves before the second's join has resumed
        const joining = t.app.streams.logs({ tenantId, pattern: 'race', signal: second.signal });
        first.abort();
        const stream = await joining;
        const [entry] = await t.app.logs.publish(tenantId, 'race', LINES(`round ${round}`, 1) as never);
        const next = await Promise.race([stream.next(), new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
        expect((next as IteratorResult<{ seq: number }>)?.value?.seq).toBe(entry!.seq);
        second.abort();
        await until(() => t.app.holdings().feeds === 0, 'the feed to be released');
      }
      // and the other way round: the one leaving first had not finished joining
      const leaving = new AbortController();
      const staying = new AbortController();
      const a = t.app.streams.logs({ tenantId, pattern: 'race', signal: leaving.signal });
      const b = t.app.streams.logs({ tenantId, pattern: 'race', signal: staying.signal });
      leaving.abort();
      const [, stream] = await Promise.all([a, b]);
      const [entry] = await t.app.logs.publish(tenantId, 'race', LINES('last', 1) as never);
      expect(((await stream.next()).value as { seq: number }).seq).toBe(entry!.seq);
      staying.abort();
      await until(() => t.app.holdings().feeds === 0 && t.app.holdings().busSubscriptions === 0, 'everything released');
    } finally {
      await t.close();
    }
  });
});

describe('credentials are re-checked, not only told', () => {
  it('a stream whose service token is revoked ends within seconds even when the bus message announcing it is lost', async () => {
    const t = await startApp({ config: { credentialRecheckMs: 200 } });
    try {
      const admin = await t.signUp('recheck');
      const created = await t.gql('mutation { createServiceToken(name: "reader", channels: ["etl:*"]) { secret token { id } } }', {}, admin.token);
      const { secret, token } = created.data.createServiceToken;
      const client = sseClient(t.url, secret, false);
      const sub = subscribe(client, 'subscription { logs(channel: "etl:*") { message } }');
      await until(() => t.app.holdings().subscriptions === 1, 'the subscription');
      // revoked in the store with no bus message at all
      await t.store.db.execute(sql`update service_tokens set revoked_at = now() where id = ${token.id}`);
      await sub.done;
      expect(sub.results.at(-1).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      await until(() => t.app.holdings().subscriptions === 0, 'the slot to be released');
      client.dispose();
    } finally {
      await t.close();
    }
  });
});

describe('recovery without the bus', () => {
  it('serviceStatus resends a change whose bus message was lost, found by comparing with the store', async () => {
    const t = await startApp();
    try {
      const admin = await t.signUp('status-resync');
      await t.gql('mutation { reportServiceStatus(input: {key: "svc", state: RUNNING, intervalSeconds: 3600, queueSize: 1}) { key } }', {}, admin.token);
      const client = sseClient(t.url, admin.token, false);
      const sub = subscribe(client, 'subscription { serviceStatus { kind key services { key queueSize } } }');
      await sub.waitFor(1);
      // changed in the store with no bus message: a lost publish
      await t.store.db.execute(sql`update services set queue_size = 2, version = nextval('service_version_seq') where key = 'svc' and tenant_id = ${admin.tenantId}`);
      await sub.waitFor(2, 15_000);
      expect(sub.results[1].data.serviceStatus).toEqual({ kind: 'UPDATED', key: 'svc', services: [{ key: 'svc', queueSize: 2 }] });
      await t.store.db.execute(sql`delete from services where key = 'svc' and tenant_id = ${admin.tenantId}`);
      await sub.waitFor(3, 15_000);
      expect(sub.results[2].data.serviceStatus).toEqual({ kind: 'REMOVED', key: 'svc', services: [] });
      client.dispose();
    } finally {
      await t.close();
    }
  }, 40_000);

  it('a durable feed finds a lost last message by itself, without waiting for the next one', async () => {
    const t = await startApp();
    try {
      const admin = await t.signUp('lost-last');
      const client = sseClient(t.url, admin.token, false);
      const sub = subscribe(client, 'subscription { ticketEvents { kind } }');
      await until(() => t.app.holdings().subscriptions === 1, 'subscribed');
      // a ticket created by another instance whose bus message never arrived: straight into the store
      const tickets = (await import('../server/domain/tickets/tickets.js')).createTickets({ db: t.store.db, bus: createTestBus() });
      await tickets.create(admin.tenantId, { subject: 's', body: 'b', customerName: 'C', customerEmail: 'c@example.com' }, { kind: 'CUSTOMER' });
      await sub.waitFor(1, 15_000);
      expect(sub.results[0].data.ticketEvents.kind).toBe('CREATED');
      client.dispose();
    } finally {
      await t.close();
    }
  }, 40_000);
});

describe('bounded buffers', () => {
  it('a reserved stream that is never opened holds a bounded backlog: past it the reservation and its operations end', async () => {
    const t = await startApp({ config: { sseMaxBacklogBytes: 20_000 } });
    try {
      const admin = await t.signUp('backlog');
      const auth = { authorization: `Bearer ${admin.token}` };
      const token = await (await fetch(`${t.url}/graphql/stream`, { method: 'PUT', headers: auth })).text();
      const headers = { 'content-type': 'application/json', 'x-graphql-event-stream-token': token, ...auth };
      await fetch(`${t.url}/graphql/stream`, { method: 'POST', headers, body: JSON.stringify({ query: 'subscription { logs(channel: "bl") { message } }', extensions: { operationId: 'a' } }) });
      expect(t.app.holdings()).toMatchObject({ reservations: 1, subscriptions: 1 });
      for (let i = 0; i < 10; i++) await t.gql(PUBLISH, { channel: 'bl', m: LINES('x'.repeat(100), 50) }, admin.token);
      await until(() => JSON.stringify(t.app.holdings()) === JSON.stringify(nothingHeld), `the reservation to be released: ${JSON.stringify(t.app.holdings())}`);
      const late = await fetch(`${t.url}/graphql/stream`, { headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': token, ...auth } });
      expect(late.status).toBe(404);
      await late.body?.cancel();
    } finally {
      await t.close();
    }
  });
});

describe('metrics make leaks visible', () => {
  it('/metrics shows streams, subscriptions, slots, feeds by kind and bus subscriptions, back to zero when clients leave', async () => {
    const t = await startApp();
    try {
      const admin = await t.signUp('metrics');
      const client = sseClient(t.url, admin.token, false);
      const subs = [subscribe(client, 'subscription { logs(channel: "m") { message } }'), subscribe(client, 'subscription { serviceStatus { kind } }')];
      await until(() => t.app.holdings().subscriptions === 2, 'two subscriptions');
      const metrics = async () => (await fetch(`${t.url}/metrics`)).text();
      const during = await metrics();
      expect(during).toMatch(/^pulseboard_open_streams 2$/m);
      expect(during).toMatch(/^pulseboard_subscription_slots 2$/m);
      expect(during).toMatch(/^pulseboard_feeds\{kind="logs"\} 1$/m);
      expect(during).toMatch(/^pulseboard_feeds\{kind="serviceStatus"\} 1$/m);
      // the logs feed, the serviceStatus feed, and the tenant's token revocations and access changes (stream sessions)
      expect(during).toMatch(/^pulseboard_bus_subscriptions 4$/m);
      expect(during).toMatch(/^pulseboard_active_subscriptions\{field="logs"\} 1$/m);
      for (const sub of subs) sub.dispose();
      client.dispose();
      await until(() => t.app.holdings().openStreams === 0 && t.app.holdings().busSubscriptions === 0, 'clients gone');
      const after = await metrics();
      expect(after).toMatch(/^pulseboard_open_streams 0$/m);
      expect(after).toMatch(/^pulseboard_feeds\{kind="logs"\} 0$/m);
      expect(after).toMatch(/^pulseboard_bus_subscriptions 0$/m);
      expect(after).toMatch(/^pulseboard_active_subscriptions\{field="logs"\} 0$/m);
    } finally {
      await t.close();
    }
  });
});
