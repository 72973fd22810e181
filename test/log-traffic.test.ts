import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../server/bus/index.js';
import { topics } from '../server/bus/topics.js';
import type { Store } from '../server/db/client.js';
import { createLogs } from '../server/domain/logs/logs.js';
import { startApp, type TestApp } from './support/app.js';
import { createTestBus, createTestStore, postgresUrl, redisClusterNodes, redisUrl } from './support/services.js';
import { sseClient, subscribe, type Subscription } from './support/sse.js';

const LOGS = /* GraphQL */ `
  subscription ($channel: String!, $after: String) { logs(channel: $channel, after: $after) { cursor channel message } }
`;
const CHANNELS = 100;
const ROUNDS = 10;
const PER_CALL = 2;
const channelName = (i: number) => `busy:${String(i).padStart(3, '0')}`;
const WATCHED = channelName(42);

/**
 * Three instances on one Redis and one PostgreSQL, a tenant publishing to 100 busy channels:
 * each instance receives from Redis only what its own subscribers watch — the one watching one
 * channel gets about that channel's bytes, not the tenant's — and every stream still gets
 * every entry once, in cursor order.
 */
const kinds = [...(redisUrl ? (['redis'] as const) : []), ...(redisClusterNodes.length ? (['redis-cluster'] as const) : [])];

describe.skipIf(!postgresUrl || kinds.length === 0).each(kinds)('log traffic follows the watchers (three instances on one %s)', (kind) => {
  let store: Store;
  let buses: Bus[];
  let probe: Bus;
  let apps: TestApp[];

  beforeAll(async () => {
    store = await createTestStore('postgres');
    const prefix = `pbtest:${randomBytes(4).toString('hex')}:`;
    buses = [0, 1, 2].map(() => createTestBus(kind, prefix));
    // counts the bytes Redis carries on the watched channel's own topic: the yardstick
    probe = createTestBus(kind, prefix);
    apps = [];
    for (const bus of buses) apps.push(await startApp({ store, bus }));
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await Promise.all([...buses, probe].map((bus) => bus.close()));
    await store.close();
  });

  it('the instance watching one of 100 busy channels receives at most 2x that channel’s bytes; a wildcard instance gets them all; nothing is lost or doubled', async () => {
    const [one, wildcard, publisher] = apps as [TestApp, TestApp, TestApp];
    const owner = await publisher.signUp('traffic');
    const clients = [sseClient(one.url, owner.token, false), sseClient(wildcard.url, owner.token, false)];
    const exact: Subscription = subscribe(clients[0]!, LOGS, { channel: WATCHED, after: '0' });
    const all: Subscription = subscribe(clients[1]!, LOGS, { channel: 'busy:*', after: '0' });
    await expect.poll(() => one.app.holdings().subscriptions + wildcard.app.holdings().subscriptions, { timeout: 20_000 }).toBe(2);
    await probe.subscribe(owner.tenantId, topics.logChannel(WATCHED), () => {});
    const before = buses.map((bus) => bus.received().bytes);
    const probeBefore = probe.received().bytes;

    for (let round = 0; round < ROUNDS; round++) {
      // a round's calls share one commit: one tenant message and one message per channel
      await Promise.all(
        Array.from({ length: CHANNELS }, (_, i) =>
          publisher.app.logs.publish(
            owner.tenantId,
            channelName(i),
            Array.from({ length: PER_CALL }, (_, k) => ({ level: 'INFO' as const, message: `round ${round} line ${k} ${'x'.repeat(80)}` })),
          ),
        ),
      );
    }

    const wanted = ROUNDS * PER_CALL;
    const got = await exact.waitFor(wanted, 30_000);
    const everything = await all.waitFor(wanted * CHANNELS, 60_000);
    // every entry once, in cursor order, on both instances
    const cursors = (results: { data: { logs: { cursor: string } } }[]) => results.map((r) => Number(r.data.logs.cursor));
    expect(got.every((r) => r.data.logs.channel === WATCHED)).toBe(true);
    expect(new Set(cursors(got)).size).toBe(wanted);
    expect(cursors(got)).toEqual([...cursors(got)].sort((a, b) => a - b));
    expect(new Set(cursors(everything)).size).toBe(wanted * CHANNELS);
    expect(cursors(everything)).toEqual([...cursors(everything)].sort((a, b) => a - b));

    await expect.poll(() => probe.received().bytes - probeBefore, { timeout: 10_000 }).toBeGreaterThan(0);
    const channelBytes = probe.received().bytes - probeBefore;
    const [oneBytes, wildcardBytes, publisherBytes] = buses.map((bus, i) => bus.received().bytes - before[i]!) as [number, number, number];
    console.log(`${kind}: bytes from Redis: channel ${channelBytes}, one-channel instance ${oneBytes} (${(oneBytes / channelBytes).toFixed(2)}x), wildcard instance ${wildcardBytes}, publisher ${publisherBytes}`);
    expect(oneBytes).toBeGreaterThanOrEqual(channelBytes);
    expect(oneBytes).toBeLessThanOrEqual(2 * channelBytes);
    // the wildcard instance does need the whole tenant; the publisher watches nothing
    expect(wildcardBytes).toBeGreaterThan(50 * channelBytes);
    expect(publisherBytes).toBe(0);

    // a commit whose bus messages never arrived (another instance, its Redis message lost):
    // both feeds find it in the store by themselves, the channel feed by its channel's head
    const lost = createLogs({ db: store.db, bus: createTestBus() });
    const [missed] = await lost.publish(owner.tenantId, WATCHED, [{ level: 'INFO', message: 'lost on the bus' }]);
    expect((await exact.waitFor(wanted + 1, 20_000)).at(-1).data.logs).toMatchObject({ cursor: String(missed!.seq), message: 'lost on the bus' });
    expect((await all.waitFor(wanted * CHANNELS + 1, 20_000)).at(-1).data.logs).toMatchObject({ cursor: String(missed!.seq) });

    exact.dispose();
    all.dispose();
    for (const client of clients) client.dispose();
    // the instances let go of the topics with their last watcher
    await expect.poll(() => one.app.streams.held().logs + wildcard.app.streams.held().logs, { timeout: 20_000 }).toBe(0);
  }, 120_000);
});
