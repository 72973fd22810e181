import { describe, expect, it } from 'vitest';
import { createBus } from '../server/bus/index.js';
import { startApp } from './support/app.js';
import { startPrivateRedisCluster } from './support/processes.js';
import { createTestStore, postgresUrl, redisClusterNodes } from './support/services.js';
import { sseClient, subscribe } from './support/sse.js';

const LOGS = 'subscription ($channel: String!, $after: String) { logs(channel: $channel, after: $after) { cursor channel message } }';
const PUBLISH = 'mutation ($channel: String!, $m: [LogEntryInput!]!) { publishLogs(channel: $channel, entries: $m) { cursors } }';
const STATUS = 'subscription { serviceStatus { kind key services { key queueSize } } }';
const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ level: 'INFO', message: `${prefix} ${i + 1}` }));
const messagesOf = (results: any[]) => results.map((r) => r.data?.logs?.message);

/**
 * Runs where a Redis Cluster runs (`.ci/run` always starts one and sets REDIS_CLUSTER_NODES);
 * the test starts a private 3-master cluster of its own so killing a master disturbs no other suite.
 */
describe.skipIf(redisClusterNodes.length === 0)('a Redis Cluster master killed mid-stream', () => {
  it('durable log streams (one channel and a wildcard) resume with no gap and no duplicate once the cluster recovers; serviceStatus ends with the server’s picture', async () => {
    const cluster = await startPrivateRedisCluster();
    const store = await createTestStore(postgresUrl ? 'postgres' : 'pglite');
    const prefix = 'pbfault:';
    const [busA, busB] = [0, 1].map(() => createBus({ redisClusterNodes: cluster.nodes, prefix, onError: () => {} })) as [ReturnType<typeof createBus>, ReturnType<typeof createBus>];
    const a = await startApp({ store, bus: busA });
    const b = await startApp({ store, bus: busB });
    try {
      const { token, tenantId } = await a.signUp('cluster-kill');
      const client = sseClient(b.url, token, false);
      const exact = subscribe(client, LOGS, { channel: 'faults:one', after: '0' });
      const wildcard = subscribe(client, LOGS, { channel: 'faults:*', after: '0' });
      const status = subscribe(client, STATUS);
      await expect.poll(() => b.app.holdings().subscriptions, { timeout: 20_000 }).toBe(3);
      const publish = async (prefixText: string) => {
        await a.gql(PUBLISH, { channel: 'faults:one', m: lines(`${prefixText} one`, 5) }, token);
        await a.gql(PUBLISH, { channel: 'faults:two', m: lines(`${prefixText} two`, 5) }, token);
      };
      await publish('before');
      await exact.waitFor(5, 20_000);
      await wildcard.waitFor(10, 20_000);

      // the master that owns the watched channel's topic goes away
      const victim = await cluster.masterOf(`${prefix}${tenantId}:log:faults:one`);
      await cluster.kill(victim);
      await expect.poll(() => cluster.anyOk(), { timeout: 20_000 }).toBe(false);
      await expect.poll(async () => (await fetch(`${a.url}/ready`)).status, { timeout: 20_000 }).toBe(503);
      // committed while the shard is down: stored, not delivered live
      await publish('during');
      await a.gql('mutation { reportServiceStatus(input: {key: "svc", state: RUNNING, intervalSeconds: 3600, queueSize: 7}) { key } }', {}, token);

      await cluster.restart(victim);
      await expect.poll(async () => (await fetch(`${a.url}/ready`)).status + (await fetch(`${b.url}/ready`)).status, { timeout: 30_000 }).toBe(400);
      await publish('after');

      const want = (channel: 'one' | 'two' | '*') =>
        ['before', 'during', 'after'].flatMap((p) => (channel === '*' ? [...lines(`${p} one`, 5), ...lines(`${p} two`, 5)] : lines(`${p} ${channel}`, 5))).map((l) => l.message);
      await exact.waitFor(15, 30_000);
      await wildcard.waitFor(30, 30_000);
      // nothing more arrives: no duplicates on a later sync
      await expect.poll(async () => (await new Promise((r) => setTimeout(r, 2_500)), exact.results.length + wildcard.results.length), { timeout: 10_000 }).toBe(45);
      expect(messagesOf(exact.results)).toEqual(want('one'));
      expect(messagesOf(wildcard.results)).toEqual(want('*'));
      const cursors = wildcard.results.map((r) => Number(r.data.logs.cursor));
      expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
      // latest-wins: after the outage the client's picture is the server's (the change made during it arrives)
      await expect.poll(() => JSON.stringify(status.results.at(-1)?.data.serviceStatus.services), { timeout: 20_000 }).toBe(JSON.stringify([{ key: 'svc', queueSize: 7 }]));
      client.dispose();
    } finally {
      await a.close();
      await b.close();
      await Promise.all([busA.close(), busB.close()]);
      await store.close();
      await cluster.stop();
    }
  }, 120_000);
});
