import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { addServiceToken, codeOf } from './support/people.js';
import { storedEntries } from './support/client-kit.js';

const PUBLISH = 'mutation ($c: String!, $m: String!) { publishLogs(channel: $c, entries: [{ level: INFO, message: $m }]) { count } }';
const HEARTBEAT = 'mutation ($k: String!) { reportServiceStatus(input: { key: $k, name: "job", state: RUNNING, intervalSeconds: 30 }) { key } }';

/** A POST to /graphql with the status and headers kept (t.gql drops them). */
async function post(t: TestApp, query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: { message: string; extensions: Record<string, any> }[] } };
}

/** `workers` loops of `calls` single-line publishes each, as fast as they go; every result. */
async function burst(t: TestApp, token: string, workers: number, calls: number, channel: (w: number) => string) {
  return (
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const results = [];
        for (let i = 0; i < calls; i++) results.push(await t.gql(PUBLISH, { c: channel(w), m: `w${w} ${i}` }, token));
        return results;
      }),
    )
  ).flat();
}

describe('publish budgets on default settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('a burst of 6 workers x 500 single-line calls on one token passes untouched, and its heartbeats with it', async () => {
    const admin = await t.signUp('burst');
    const token = await addServiceToken(t, admin.token, ['job:*']);
    let flooding = true;
    const heartbeats: string[] = [];
    const beating = (async () => {
      while (flooding) {
        heartbeats.push(codeOf(await t.gql(HEARTBEAT, { k: 'job:main' }, token)));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const results = await burst(t, token, 6, 500, (w) => `job:w${w}`);
    flooding = false;
    await beating;
    expect(results.map(codeOf).filter((code) => code !== 'none')).toEqual([]);
    expect(await storedEntries(t, admin.tenantId, 'job:*')).toHaveLength(3_000);
    expect(heartbeats.length).toBeGreaterThan(5);
    expect(heartbeats.filter((code) => code !== 'none')).toEqual([]);
  }, 180_000);
});

describe('publish budgets squeezed by config', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      config: {
        publishTokenEntriesPerSecond: 20,
        publishTokenBytesPerSecond: 2_000,
        publishTenantEntriesPerSecond: 30,
        publishTenantBytesPerSecond: 1_000_000,
        publishBurstSeconds: 1,
        statusReportsPerSecond: 2,
      },
    });
  });
  afterAll(() => t.close());

  it('past a budget: 429, Retry-After and RateLimit-* headers, TOO_MANY_REQUESTS naming the budget, counted by limit, nothing stored', async () => {
    const admin = await t.signUp('squeezed');
    const token = await addServiceToken(t, admin.token, ['*']);
    const many = (n: number, size = 1) => Array.from({ length: n }, (_, i) => ({ level: 'INFO', message: `${i}`.padEnd(size, '.') }));
    const batch = 'mutation ($c: String!, $e: [LogEntryInput!]!) { publishLogs(channel: $c, entries: $e) { count } }';

    const accepted = new Map<string, number>();
    /** Sends `entries` on `channel` (alternating `tokens`) until one is refused; that refusal. */
    const untilRefused = async (channel: string, entries: ReturnType<typeof many>, tokens = [token]) => {
      for (let i = 0; i < 50; i++) {
        const result = await post(t, batch, { c: channel, e: entries }, tokens[i % tokens.length]!);
        if (result.status !== 200) return result;
        accepted.set(channel, (accepted.get(channel) ?? 0) + result.body.data.publishLogs.count);
      }
      throw new Error(`nothing refused on ${channel}`);
    };
    const refill = () => new Promise((r) => setTimeout(r, 1_100)); // every bucket holds a second's worth

    // entries: the caller's 20 per second
    const refused = await untilRefused('e', many(5));
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', limit: 'token-entries', limitPerSecond: 20 });
    expect(refused.body.errors![0]!.extensions.retryAfterMs).toBeGreaterThan(0);
    expect(refused.body.errors![0]!.message).toMatch(/^Publish budget: at most 20 log entries per second per caller/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit-limit')).toBe('20');
    expect(Number(refused.headers.get('ratelimit-remaining'))).toBeLessThan(5);
    expect(Number(refused.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.data ?? null).toBeNull();

    // bytes: large lines exhaust the caller's 2,000 bytes before its entries
    await refill();
    const bytes = await untilRefused('b', many(1, 700));
    expect(bytes.status).toBe(429);
    expect(bytes.body.errors![0]!.extensions).toMatchObject({ limit: 'token-bytes', limitPerSecond: 2_000 });

    // tenant: two callers of one tenant share its 30 entries, each within its own 20
    await refill();
    const other = await addServiceToken(t, admin.token, ['*']);
    const tenant = await untilRefused('t', many(10), [token, other]);
    expect(tenant.status).toBe(429);
    expect(tenant.body.errors![0]!.extensions).toMatchObject({ limit: 'tenant-entries', limitPerSecond: 30 });

    // only what was accepted is stored
    const stored = await storedEntries(t, admin.tenantId);
    for (const channel of ['e', 'b', 't']) expect(stored.filter((e) => e.channel === channel)).toHaveLength(accepted.get(channel) ?? 0);

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    for (const limit of ['token-entries', 'token-bytes', 'tenant-entries']) {
      expect(metrics).toMatch(new RegExp(`^pulseboard_requests_rejected_total\\{limit="${limit}"\\} [1-9]`, 'm'));
    }
  }, 30_000);

  it('status reports have a budget of their own: a log flood refused does not refuse heartbeats, and their own limit is named', async () => {
    const admin = await t.signUp('own-budget');
    const token = await addServiceToken(t, admin.token, ['*']);
    const logs = await burst(t, token, 2, 30, () => 'flood');
    expect(logs.map(codeOf)).toContain('TOO_MANY_REQUESTS');
    const first = await post(t, HEARTBEAT, { k: 'svc' }, token);
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();

    let refused;
    for (let i = 0; i < 10 && !refused; i++) {
      const result = await post(t, HEARTBEAT, { k: 'svc' }, token);
      if (result.status !== 200) refused = result;
    }
    expect(refused!.status).toBe(429);
    expect(refused!.body.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', limit: 'status-reports', limitPerSecond: 2 });
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/^pulseboard_requests_rejected_total\{limit="status-reports"\} [1-9]/m);
  });
});
