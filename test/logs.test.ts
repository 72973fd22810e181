import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type LogBatch } from '../server/bus/topics.js';
import { openLogStream } from '../server/streams/log-stream.js';
import { createLogFeeds } from '../server/streams/log-feed.js';
import { DomainError } from '../server/domain/shared/errors.js';
import type { LogLevel } from '../server/domain/logs/levels.js';
import { startApp, type TestApp } from './support/app.js';
import { createTestBus, createTestStore, postgresUrl, redisClusterNodes, redisUrl, type BusKind, type StoreKind } from './support/services.js';
import { sseClient, subscribe } from './support/sse.js';

const PUBLISH = /* GraphQL */ `
  mutation ($channel: String!, $entries: [LogEntryInput!]!) { publishLogs(channel: $channel, entries: $entries) { cursors count } }
`;
const LOGS = /* GraphQL */ `
  subscription ($channel: String!, $after: String, $minLevel: LogLevel) {
    logs(channel: $channel, after: $after, minLevel: $minLevel) { cursor channel level message fields }
  }
`;

/** The tenant's latest cursor: a subscription from here misses nothing published later, however slowly it starts. */
const headOf = async (app: TestApp, token: string): Promise<string> =>
  (await app.gql('{ logHistory(channel: "*", last: 1) { pageInfo { endCursor } } }', {}, token)).data.logHistory.pageInfo.endCursor ?? '0';

const lines = (prefix: string, n: number, level: LogLevel = 'INFO') => Array.from({ length: n }, (_, i) => ({ level, message: `${prefix} ${i + 1}` }));

const combos: [StoreKind, BusKind][] = [['pglite', 'memory']];
if (postgresUrl && redisUrl) combos.push(['postgres', 'redis']);
if (postgresUrl && redisClusterNodes.length) combos.push(['postgres', 'redis-cluster']);

describe.each(combos)('logs on %s with the %s bus', (storeKind, busKind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['signUp']>>;
  beforeAll(async () => {
    t = await startApp({ storeKind, busKind });
    admin = await t.signUp('logs');
  });
  afterAll(() => t.close());

  const publish = (channel: string, entries: unknown[], token = admin.token) => t.gql(PUBLISH, { channel, entries }, token);
  const stored = async (tenantId: string) =>
    Number(((await t.store.db.execute(sql`select count(*)::int as n from log_entries where tenant_id = ${tenantId}`)) as any).rows[0].n);

  it('publish -> receive, with the cursors the mutation returned', async () => {
    const client = sseClient(t.url, admin.token, false);
    const sub = subscribe(client, LOGS, { channel: 'balance-sync', after: await headOf(t, admin.token) });
    const result = await publish('balance-sync', [
      { level: 'INFO', message: 'sync started', fields: { accounts: 3 } },
      { level: 'WARN', message: 'slow bank' },
    ]);
    expect(result.errors).toBeUndefined();
    const received = await sub.waitFor(2);
    expect(received.map((r) => r.data.logs)).toEqual([
      { cursor: result.data.publishLogs.cursors[0], channel: 'balance-sync', level: 'INFO', message: 'sync started', fields: { accounts: 3 } },
      { cursor: result.data.publishLogs.cursors[1], channel: 'balance-sync', level: 'WARN', message: 'slow bank', fields: null },
    ]);
    client.dispose();
  });

  it('a wildcard matches every channel with the prefix, in cursor order; minLevel filters', async () => {
    const client = sseClient(t.url, admin.token, true);
    const from = await headOf(t, admin.token);
    const all = subscribe(client, LOGS, { channel: 'etl:*', after: from });
    const errors = subscribe(client, LOGS, { channel: 'etl:*', minLevel: 'ERROR', after: from });
    await publish('etl:workflow1', [{ level: 'INFO', message: 'w1 a' }, { level: 'ERROR', message: 'w1 b' }]);
    await publish('etlx', [{ level: 'ERROR', message: 'not etl:' }]);
    await publish('etl:workflow2', [{ level: 'FATAL', message: 'w2 a' }, { level: 'DEBUG', message: 'w2 b' }]);
    await all.waitFor(4);
    await errors.waitFor(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(all.results.map((r) => r.data.logs.message)).toEqual(['w1 a', 'w1 b', 'w2 a', 'w2 b']);
    expect(errors.results.map((r) => `${r.data.logs.level} ${r.data.logs.message}`)).toEqual(['ERROR w1 b', 'FATAL w2 a']);
    client.dispose();
  });

  it('a subscriber that disconnects, misses 500 entries and resumes with after receives exactly those 500 in order', async () => {
    const first = sseClient(t.url, admin.token, false);
    const live = subscribe(first, LOGS, { channel: 'discovery', after: await headOf(t, admin.token) });
    await publish('discovery', lines('before', 3));
    const seen = await live.waitFor(3);
    const lastCursor = seen[2].data.logs.cursor;
    live.dispose();
    first.dispose();

    for (let i = 0; i < 5; i++) await publish('discovery', lines(`missed ${i}`, 100));
    await publish('other-channel', lines('noise', 10));

    const second = sseClient(t.url, admin.token, true);
    const resumed = subscribe(second, LOGS, { channel: 'discovery', after: lastCursor });
    const replayed = await resumed.waitFor(500);
    expect(replayed.map((r) => r.data.logs.message)).toEqual(
      Array.from({ length: 5 }, (_, b) => Array.from({ length: 100 }, (_, i) => `missed ${b} ${i + 1}`)).flat(),
    );
    // then live, continuing without a gap
    await publish('discovery', lines('after', 2));
    await resumed.waitFor(502);
    expect(resumed.results.slice(500).map((r) => r.data.logs.message)).toEqual(['after 1', 'after 2']);
    const cursors = resumed.results.map((r) => Number(r.data.logs.cursor));
    expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1]!)).toBe(true);
    second.dispose();
  });

  it('racing publishers on one channel: every subscriber gets every entry once, in cursor order', async () => {
    const channel = 'race';
    const client = sseClient(t.url, admin.token, true);
    const live = subscribe(client, LOGS, { channel, after: await headOf(t, admin.token) });
    const start = await publish(channel, [{ level: 'INFO', message: 'start' }]);
    const startCursor = start.data.publishLogs.cursors[0];

    const publishers = 6;
    const batches = 15;
    let resumed: ReturnType<typeof subscribe> | undefined;
    await Promise.all(
      Array.from({ length: publishers }, async (_, p) => {
        for (let b = 0; b < batches; b++) {
          const r = await publish(channel, lines(`p${p} b${b}`, 3));
          expect(r.errors).toBeUndefined();
          // a subscriber resuming from the start while the race is on
          if (p === 0 && b === 5) resumed = subscribe(client, LOGS, { channel, after: startCursor });
        }
      }),
    );
    const total = publishers * batches * 3;
    await live.waitFor(total + 1);
    await resumed!.waitFor(total);
    await new Promise((r) => setTimeout(r, 200));

    const check = (results: any[]) => {
      const cursors = results.map((r) => Number(r.data.logs.cursor));
      expect(new Set(cursors).size).toBe(cursors.length);
      expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
      return results.map((r) => r.data.logs.message);
    };
    const liveMessages = check(live.results).slice(1);
    const resumedMessages = check(resumed!.results);
    expect(liveMessages).toHaveLength(total);
    expect(resumedMessages).toEqual(liveMessages);
    // each publisher's own batches stay in its order
    for (let p = 0; p < publishers; p++) {
      const mine = liveMessages.filter((m) => m.startsWith(`p${p} `));
      expect(mine).toEqual(Array.from({ length: batches }, (_, b) => [1, 2, 3].map((i) => `p${p} b${b} ${i}`)).flat());
    }
    client.dispose();
  });

  it('concurrent publish calls committed together: each call gets its own entries, cursors are unique and contiguous, channels agree', async () => {
    const owner = await t.signUp('group-commit');
    const channels = ['gc:a', 'gc:b', 'gc:c'];
    // live streams on exact channels (two on one), a wildcard, and a channel nobody publishes to
    const patterns = ['gc:a', 'gc:b', 'gc:b', 'gc:*', 'gc:d'];
    const operation = new AbortController();
    const streams = await Promise.all(patterns.map((pattern) => t.app.streams.logs({ tenantId: owner.tenantId, pattern, signal: operation.signal })));
    const calls = Array.from({ length: 40 }, (_, i) => ({ channel: channels[i % 3]!, entries: lines(`call${i}`, 1 + (i % 4)) }));
    const results = await Promise.all(calls.map((c) => t.app.logs.publish(owner.tenantId, c.channel, c.entries)));

    results.forEach((stored, i) => {
      expect(stored.map((e) => e.message)).toEqual(calls[i]!.entries.map((e) => e.message));
      expect(stored.every((e) => e.channel === calls[i]!.channel)).toBe(true);
      // one call's entries are contiguous
      expect(stored.map((e) => e.seq - stored[0]!.seq)).toEqual(stored.map((_, k) => k));
    });
    const seqs = results.flat().map((e) => e.seq).sort((a, b) => a - b);
    const total = calls.reduce((n, c) => n + c.entries.length, 0);
    expect(seqs).toEqual(Array.from({ length: total }, (_, k) => k + 1));
    expect(await stored(owner.tenantId)).toBe(total);

    const listed = await t.app.logs.channels(owner.tenantId);
    for (const channel of channels) {
      const last = Math.max(...results.flat().filter((e) => e.channel === channel).map((e) => e.seq));
      expect(listed.find((c) => c.channel === channel)?.lastSeq).toBe(last);
    }

    // commits mix channels in one batch: each stream gets exactly its channel's entries, in cursor order
    const all = results.flat().sort((a, b) => a.seq - b.seq);
    for (const [i, pattern] of patterns.entries()) {
      const want = all.filter((e) => (pattern.endsWith('*') ? e.channel.startsWith('gc:') : e.channel === pattern)).map((e) => e.seq);
      const got: number[] = [];
      while (got.length < want.length) got.push(((await streams[i]!.next()).value as { seq: number }).seq);
      expect(got).toEqual(want);
    }
    // the stream on a quiet channel got nothing: the next entry it sees is the first on gc:d
    const [marker] = await t.app.logs.publish(owner.tenantId, 'gc:d', lines('marker', 1));
    expect(((await streams[4]!.next()).value as { seq: number }).seq).toBe(marker!.seq);
    for (const stream of streams) await stream.return();
    operation.abort();
  });

  it('publish calls made in the same turn of the event loop share one commit and one bus message, even a few awaits apart', async () => {
    const owner = await t.signUp('same-turn');
    const messages: LogBatch[] = [];
    const unsubscribe = await t.bus.subscribe(owner.tenantId, topics.logs(), (batch) => void messages.push(batch as LogBatch));
    const first = t.app.logs.publish(owner.tenantId, 'turn:a', lines('a', 2));
    // a request handler reaches publish after several awaits of its own
    for (let i = 0; i < 5; i++) await Promise.resolve();
    const second = t.app.logs.publish(owner.tenantId, 'turn:b', lines('b', 1));
    const [a, b] = await Promise.all([first, second]);
    expect(b[0]!.seq).toBe(a[1]!.seq + 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(messages.map((m) => m.entries.map((e) => e.message))).toEqual([['a 1', 'a 2', 'b 1']]);
    unsubscribe();
  });

  it('odd text is stored as text: a lone surrogate becomes U+FFFD, emoji and quotes survive', async () => {
    const message = `half \ud83d pair 😀 "quoted" \\ back`;
    const stored = await t.app.logs.publish(admin.tenantId, 'odd-text', [{ level: 'INFO', message, fields: { note: 'ok' } }]);
    const history = await t.app.logs.history(admin.tenantId, { channel: 'odd-text', last: 1 });
    expect(history.entries.map((e) => e.seq)).toEqual([stored[0]!.seq]);
    expect(history.entries[0]).toMatchObject({ message: `half \ufffd pair 😀 "quoted" \\ back`, fields: { note: 'ok' } });
  });

  it('a token publishing outside its patterns is FORBIDDEN and stores nothing', async () => {
    const created = await t.gql('mutation { createServiceToken(name: "etl", channels: ["etl:*"]) { secret } }', {}, admin.token);
    const secret = created.data.createServiceToken.secret;
    const before = await stored(admin.tenantId);
    const refused = await publish('balance-sync', lines('sneaky', 2), secret);
    expect(refused.errors![0]).toMatchObject({ message: 'Not allowed to call publishLogs: this service token covers only etl:*', extensions: { code: 'FORBIDDEN', tokenPatterns: ['etl:*'] } });
    expect(await stored(admin.tenantId)).toBe(before);
    const allowed = await publish('etl:nightly', lines('ok', 2), secret);
    expect(allowed.data.publishLogs.count).toBe(2);
  });

  it.each([
    ['an invalid channel', 'has space', lines('x', 1), 'Invalid channel "has space"'],
    ['a pattern as a publish channel', 'etl:*', lines('x', 1), 'Invalid channel "etl:*"'],
    ['an empty channel', '', lines('x', 1), 'Invalid channel ""'],
    ['an empty batch', 'ok', [], 'entries must not be empty'],
    ['a batch over the limit', 'ok', lines('x', 1001), 'At most 1000 entries per publishLogs call, got 1001'],
    ['a message over the size limit', 'ok', [{ level: 'INFO', message: 'x'.repeat(16_385) }], 'entries[0].message is longer than 16384 bytes'],
    ['fields that are not an object', 'ok', [{ level: 'INFO', message: 'x', fields: [1, 2] }], 'entries[0].fields must be a JSON object'],
    ['a NUL in a message', 'ok', [{ level: 'INFO', message: 'a\u0000b' }], 'entries[0].message must not contain NUL (U+0000)'],
    ['a NUL in fields', 'ok', [{ level: 'INFO', message: 'x', fields: { k: ['a\u0000'] } }], 'entries[0].fields must not contain NUL (U+0000) or unpaired surrogates'],
    ['an unpaired surrogate in a fields key', 'ok', [{ level: 'INFO', message: 'x', fields: { 'k\ud800': 1 } }], 'entries[0].fields must not contain NUL (U+0000) or unpaired surrogates'],
  ])('%s is BAD_USER_INPUT naming the problem, and nothing is stored', async (_name, channel, entries, message) => {
    const before = await stored(admin.tenantId);
    const result = await publish(channel, entries);
    expect(result.errors?.[0]?.message).toContain(message);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await stored(admin.tenantId)).toBe(before);
  });

  it('an unknown level is refused by the schema, and nothing is stored', async () => {
    const before = await stored(admin.tenantId);
    const result = await publish('ok', [{ level: 'LOUD', message: 'x' }]);
    expect(result.errors?.[0]?.message).toContain('Value "LOUD" does not exist in "LogLevel" enum');
    expect(await stored(admin.tenantId)).toBe(before);
  });

  it('a subscription to an invalid channel says what a channel may contain', async () => {
    const client = sseClient(t.url, admin.token, false);
    for (const channel of ['a*b', '**', 'x y*']) {
      const sub = subscribe(client, LOGS, { channel });
      await sub.done;
      expect(sub.results[0].errors[0].message).toContain('a channel is 1–200 characters of letters, digits and _ . : -');
      expect(sub.results[0].errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    client.dispose();
  });

  it('tenant isolation with wildcards: a tenant subscribing to * sees only its own channels', async () => {
    const other = await t.signUp('other-tenant');
    const client = sseClient(t.url, other.token, false);
    const sub = subscribe(client, LOGS, { channel: '*', after: await headOf(t, other.token) });
    await publish('balance-sync', lines('tenant A secret', 3));
    await t.gql(PUBLISH, { channel: 'mine', entries: lines('tenant B', 1) }, other.token);
    await sub.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.results.map((r) => r.data.logs.message)).toEqual(['tenant B 1']);
    // nor through history, or by resuming from tenant A's cursors
    const history = await t.gql('{ logHistory(channel: "*") { edges { node { message } } } }', {}, other.token);
    expect(history.data.logHistory.edges.map((e: any) => e.node.message)).toEqual(['tenant B 1']);
    client.dispose();
  });

  it('logHistory pages back with before, filters by level and searches case-insensitively', async () => {
    const { token } = await t.signUp('history');
    const published = await t.gql(
      PUBLISH,
      { channel: 'hist', entries: [...lines('page', 5), { level: 'ERROR', message: 'Boom: Disk FULL' }, ...lines('page tail', 2)] },
      token,
    );
    const cursors = published.data.publishLogs.cursors;
    const HISTORY = /* GraphQL */ `
      query ($before: String, $last: Int, $search: String, $minLevel: LogLevel) {
        logHistory(channel: "hist", before: $before, last: $last, search: $search, minLevel: $minLevel) {
          edges { cursor node { message cursor } }
          pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
        }
      }
    `;
    const latest = await t.gql(HISTORY, { last: 3 }, token);
    expect(latest.data.logHistory.edges.map((e: any) => e.node.message)).toEqual(['Boom: Disk FULL', 'page tail 1', 'page tail 2']);
    expect(latest.data.logHistory.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: false, startCursor: cursors[5], endCursor: cursors[7] });
    const older = await t.gql(HISTORY, { last: 10, before: latest.data.logHistory.pageInfo.startCursor }, token);
    expect(older.data.logHistory.edges.map((e: any) => e.node.message)).toEqual(lines('page', 5).map((l) => l.message));
    expect(older.data.logHistory.pageInfo.hasPreviousPage).toBe(false);
    const found = await t.gql(HISTORY, { search: 'disk full' }, token);
    expect(found.data.logHistory.edges.map((e: any) => e.node.message)).toEqual(['Boom: Disk FULL']);
    const errorsOnly = await t.gql(HISTORY, { minLevel: 'WARN' }, token);
    expect(errorsOnly.data.logHistory.edges.map((e: any) => e.node.cursor)).toEqual([cursors[5]]);
    const percent = await t.gql(HISTORY, { search: '%' }, token);
    expect(percent.data.logHistory.edges).toEqual([]);
  });

  it('a cursor older than retention ends with CURSOR_EXPIRED and the cursor to resume from', async () => {
    const { token } = await t.signUp('retention');
    await t.gql('mutation { updateLogRetention(maxEntriesPerChannel: 5, maxAgeHours: 24) { maxEntriesPerChannel } }', {}, token);
    const published = await t.gql(PUBLISH, { channel: 'kept', entries: lines('entry', 20) }, token);
    const cursors: string[] = published.data.publishLogs.cursors;
    await t.app.retention.runPass({ force: true });

    const client = sseClient(t.url, token, false);
    const expired = subscribe(client, LOGS, { channel: 'kept', after: cursors[2] });
    await expired.done;
    // resumeAfter is what to pass as after; oldestCursor is its deprecated first name
    expect(expired.results[0].errors[0]).toMatchObject({ extensions: { code: 'CURSOR_EXPIRED', resumeAfter: cursors[14], oldestCursor: cursors[14] } });

    const resumed = subscribe(client, LOGS, { channel: 'kept', after: expired.results[0].errors[0].extensions.resumeAfter });
    const got = await resumed.waitFor(5);
    expect(got.map((r) => r.data.logs.message)).toEqual(['entry 16', 'entry 17', 'entry 18', 'entry 19', 'entry 20']);
    client.dispose();
  });
});

describe('leaving', () => {
  it.each([false, true])('a subscriber that disconnects while nothing is happening releases its feed and stream (singleConnection=%s)', async (single) => {
    const t = await startApp();
    try {
      const { token } = await t.signUp('leaver');
      const client = sseClient(t.url, token, single);
      const sub = subscribe(client, LOGS, { channel: 'idle' });
      await expect.poll(() => t.app.holdings().subscriptions, { timeout: 20_000 }).toBe(1);
      expect(t.app.streams.held().logs).toBe(1);
      sub.dispose();
      client.dispose();
      await expect.poll(() => t.app.streams.held().logs + t.app.openStreams(), { timeout: 20_000 }).toBe(0);
      expect(t.app.streams.held().logs).toBe(0);
      expect(t.app.openStreams()).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('slow consumers', () => {
  it('a subscriber that keeps up is never ended by one commit larger than its buffer', async () => {
    // 12 publishers × 100 entries can land in one group commit: more than a 1,000-entry buffer
    // arriving at once, for a subscriber that had taken everything before it
    const t = await startApp({ config: { logSubscriptionBuffer: 10 } });
    try {
      const admin = await t.signUp('keeps-up');
      for (const singleConnection of [false, true]) {
        const client = sseClient(t.url, admin.token, singleConnection);
        const sub = subscribe(client, LOGS, { channel: 'big' });
        await expect.poll(() => t.app.holdings().subscriptions, { timeout: 20_000 }).toBe(1);
        await t.gql(PUBLISH, { channel: 'big', entries: lines(`batch ${singleConnection}`, 25) }, admin.token);
        const received = await sub.waitFor(25);
        expect(received.map((r) => r.errors?.[0]?.extensions?.code ?? r.data.logs.message)).toEqual(lines(`batch ${singleConnection}`, 25).map((l) => l.message));
        sub.dispose();
        client.dispose();
        await expect.poll(() => t.app.holdings().subscriptions, { timeout: 20_000 }).toBe(0);
      }
    } finally {
      await t.close();
    }
  });

  it('SLOW_CONSUMER carries a cursor from which resuming loses nothing', async () => {
    const store = await createTestStore();
    const bus = createTestBus();
    const t = await startApp({ store, bus, ownDeps: true });
    try {
      const { tenantId } = await t.signUp('slow');
      const operation = new AbortController();
      const stream = await openLogStream({ logs: t.app.logs, feeds: createLogFeeds({ bus, logs: t.app.logs }), tenantId, pattern: 'slow', bufferLimit: 10, signal: operation.signal });
      await t.app.logs.publish(tenantId, 'slow', lines('e', 3));
      const firstTwo: any[] = [(await stream.next()).value, (await stream.next()).value];
      expect(firstTwo.map((e) => e.message)).toEqual(['e 1', 'e 2']);
      // the consumer stops pulling; 40 more arrive
      for (let i = 0; i < 4; i++) await t.app.logs.publish(tenantId, 'slow', lines(`more ${i}`, 10));
      await new Promise((r) => setTimeout(r, 100));
      const events: any[] = [];
      for await (const event of stream) events.push(event);
      const end = events.at(-1);
      expect(end).toBeInstanceOf(DomainError);
      expect(end.code).toBe('SLOW_CONSUMER');
      const resumeAfter = end.extensions.resumeAfter;
      const deliveredBeforeEnd = [...firstTwo, ...events.slice(0, -1)].map((e) => e.message);

      const resumed = await t.app.streams.logs({ tenantId, pattern: 'slow', after: Number(resumeAfter), signal: operation.signal });
      const rest: string[] = [];
      for (let i = 0; i < 43 - deliveredBeforeEnd.length; i++) rest.push(((await resumed.next()).value as any).message);
      operation.abort();
      const all = [...deliveredBeforeEnd, ...rest];
      expect(all).toEqual([...lines('e', 3), ...[0, 1, 2, 3].flatMap((i) => lines(`more ${i}`, 10))].map((l) => l.message));
    } finally {
      await t.close();
    }
  });
});

const sharedBusKinds = [...(redisUrl ? (['redis'] as const) : []), ...(redisClusterNodes.length ? (['redis-cluster'] as const) : [])];
describe.skipIf(sharedBusKinds.length === 0).each(sharedBusKinds)('across instances on one %s', (kind) => {
  it('publish on A, live subscribers on B receive; a resume on B replays what A stored', async () => {
    const store = await createTestStore(postgresUrl ? 'postgres' : 'pglite');
    const prefix = `pbtest:logs:${Date.now()}:`;
    const [busA, busB] = [createTestBus(kind, prefix), createTestBus(kind, prefix)];
    const a = await startApp({ store, bus: busA });
    const b = await startApp({ store, bus: busB });
    try {
      const admin = await a.signUp('across');
      const client = sseClient(b.url, admin.token, true);
      const live = subscribe(client, LOGS, { channel: 'etl:*', after: await headOf(a, admin.token) });
      const first = await a.gql(PUBLISH, { channel: 'etl:one', entries: lines('from A', 3) }, admin.token);
      expect((await live.waitFor(3)).map((r) => r.data.logs.message)).toEqual(['from A 1', 'from A 2', 'from A 3']);
      live.dispose();
      client.dispose();
      await a.gql(PUBLISH, { channel: 'etl:one', entries: lines('while away', 4) }, admin.token);
      const reconnected = sseClient(b.url, admin.token, true);
      const resumed = subscribe(reconnected, LOGS, { channel: 'etl:*', after: first.data.publishLogs.cursors[2] });
      expect((await resumed.waitFor(4)).map((r) => r.data.logs.message)).toEqual(lines('while away', 4).map((l) => l.message));
      reconnected.dispose();
    } finally {
      await a.close();
      await b.close();
      await Promise.all([busA.close(), busB.close()]);
      await store.close();
    }
  });
});
