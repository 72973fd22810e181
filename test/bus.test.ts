import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../server/bus/index.js';
import type { Topic } from '../server/bus/topics.js';
import { busKinds, createTestBus, redisUrl } from './support/services.js';

const topic = <P = { n: number }>(name: string) => name as Topic<P>;
const TENANT_A = '11111111-1111-4111-8111-111111111111';
const TENANT_B = '22222222-2222-4222-8222-222222222222';

/** Collects what a subscription receives. */
function collector<P>() {
  const received: P[] = [];
  return { received, onMessage: (p: P) => void received.push(p) };
}

const settle = async (check: () => boolean, ms = 2_000) => {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
};

describe.each(busKinds)('the %s bus', (kind) => {
  const buses: Bus[] = [];
  const make = (prefix?: string) => {
    const bus = createTestBus(kind, prefix);
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });

  it('delivers a publish to a subscriber, in order, and stops after unsubscribe', async () => {
    const bus = make();
    const c = collector<{ n: number }>();
    const off = await bus.subscribe(TENANT_A, topic('logs:balance-sync'), c.onMessage);
    for (let n = 1; n <= 5; n++) await bus.publish(TENANT_A, topic('logs:balance-sync'), { n });
    await settle(() => c.received.length === 5);
    expect(c.received).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
    off();
    await bus.publish(TENANT_A, topic('logs:balance-sync'), { n: 6 });
    await new Promise((r) => setTimeout(r, 100));
    expect(c.received).toHaveLength(5);
  });

  // sharded pub/sub has no patterns: the cluster bus refuses them (test below)
  const patterns = kind !== 'redis-cluster';

  it.skipIf(!patterns)('matches a pattern by prefix, and only by prefix', async () => {
    const bus = make();
    const c = collector<{ n: number }>();
    await bus.subscribe(TENANT_A, topic('logs:etl:*'), c.onMessage);
    await bus.publish(TENANT_A, topic('logs:etl:workflow456'), { n: 1 });
    await bus.publish(TENANT_A, topic('logs:etl:'), { n: 2 });
    await bus.publish(TENANT_A, topic('logs:etlx'), { n: 3 });
    await bus.publish(TENANT_A, topic('logs:balance-sync'), { n: 4 });
    await bus.publish(TENANT_A, topic('logs:etl:a:b'), { n: 5 });
    await settle(() => c.received.length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.received.map((p) => p.n).sort()).toEqual([1, 2, 5]);
  });

  it.skipIf(!patterns)('prefixes every topic with the tenant: a wildcard in tenant B sees nothing of tenant A', async () => {
    const bus = make();
    const a = collector<{ n: number }>();
    const b = collector<{ n: number }>();
    await bus.subscribe(TENANT_A, topic('*'), a.onMessage);
    await bus.subscribe(TENANT_B, topic('*'), b.onMessage);
    await bus.publish(TENANT_A, topic('logs:x'), { n: 1 });
    await bus.publish(TENANT_A, topic('service-status'), { n: 2 });
    await settle(() => a.received.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.received).toHaveLength(2);
    expect(b.received).toEqual([]);
    await expect(bus.publish('', topic('x'), { n: 0 })).rejects.toThrow(/invalid tenant/);
    await expect(bus.subscribe('a:*', topic('x'), () => {})).rejects.toThrow(/invalid tenant/);
  });
  it('prefixes every topic with the tenant: a subscriber in tenant B never hears tenant A on the same topic', async () => {
    const bus = make();
    const a = collector<{ n: number }>();
    const b = collector<{ n: number }>();
    await bus.subscribe(TENANT_A, topic('service-status'), a.onMessage);
    await bus.subscribe(TENANT_B, topic('service-status'), b.onMessage);
    await bus.publish(TENANT_A, topic('service-status'), { n: 1 });
    await settle(() => a.received.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.received).toEqual([{ n: 1 }]);
    expect(b.received).toEqual([]);
  });

  it('counts what it receives: messages, and bytes when they cross a wire', async () => {
    const bus = make();
    const c = collector<{ n: number }>();
    const before = bus.received();
    await bus.subscribe(TENANT_A, topic('counted'), c.onMessage);
    for (let n = 1; n <= 3; n++) await bus.publish(TENANT_A, topic('counted'), { n });
    await settle(() => c.received.length === 3);
    const after = bus.received();
    expect(after.messages - before.messages).toBe(3);
    if (kind === 'memory') expect(after.bytes).toBe(0);
    else expect(after.bytes - before.bytes).toBeGreaterThanOrEqual(3 * JSON.stringify({ n: 1 }).length);
  });

  it('unsubscribing around close is quiet: no stray rejection from a command the closing connection drops', async () => {
    const bus = make();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const offs = await Promise.all([topic('logs:a'), topic(patterns ? 'logs:*' : 'logs:c'), topic('logs:b')].map((t) => bus.subscribe(TENANT_A, t, () => {})));
      // an app stopping: its feeds unsubscribe, the bus closes at once, a late stream ends after
      offs[0]!();
      offs[1]!();
      await bus.close();
      offs[2]!();
      await new Promise((r) => setTimeout(r, 100));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

describe.skipIf(!redisUrl)('two buses on one Redis', () => {
  it('a subscriber on one receives what the other publishes, patterns included', async () => {
    const prefix = `pbtest:shared:${Date.now()}:`;
    const [one, two] = [createTestBus('redis', prefix), createTestBus('redis', prefix)];
    try {
      const exact = collector<{ n: number }>();
      const pattern = collector<{ n: number }>();
      await one.subscribe(TENANT_A, topic('logs:etl:w1'), exact.onMessage);
      await one.subscribe(TENANT_A, topic('logs:etl:*'), pattern.onMessage);
      await two.publish(TENANT_A, topic('logs:etl:w1'), { n: 1 });
      await two.publish(TENANT_A, topic('logs:etl:w2'), { n: 2 });
      await settle(() => exact.received.length === 1 && pattern.received.length === 2);
      expect(exact.received).toEqual([{ n: 1 }]);
      expect(pattern.received).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe.skipIf(!busKinds.includes('redis-cluster'))('the Redis Cluster bus (sharded pub/sub)', () => {
  it('topics spread over every shard, each heard by another instance; patterns are refused with a clear error', async () => {
    const prefix = `pbtest:cluster:${Date.now()}:`;
    const [one, two] = [createTestBus('redis-cluster', prefix), createTestBus('redis-cluster', prefix)];
    try {
      // 30 topics hash to slots on all three masters: each one's subscriber connection hears its own
      const names = Array.from({ length: 30 }, (_, i) => `log:shard-${i}`);
      const got = new Map<string, number[]>();
      await Promise.all(names.map((name) => one.subscribe(TENANT_A, topic(name), (p: { n: number }) => void got.set(name, [...(got.get(name) ?? []), p.n]))));
      for (const name of names) for (let n = 1; n <= 3; n++) await two.publish(TENANT_A, topic(name), { n });
      await settle(() => names.every((name) => got.get(name)?.length === 3), 10_000);
      for (const name of names) expect(got.get(name)).toEqual([1, 2, 3]);
      await expect(one.subscribe(TENANT_A, topic('logs:*'), () => {})).rejects.toThrow(/no pattern subscriptions/);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
