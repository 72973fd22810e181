import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { codeOf } from './support/people.js';
import { storeKinds } from './support/services.js';

const REPORT = /* GraphQL */ `
  mutation ($input: ServiceStatusInput!) { reportServiceStatus(input: $input) { key state } }
`;
const SAMPLES = /* GraphQL */ `
  query ($key: String!, $minutes: Int) {
    service(key: $key) { samples(minutes: $minutes) { at queueSize maxQueueSize processedCount processedPerMinute failedPerMinute } }
  }
`;

describe.each(storeKinds)('service history for sparklines on %s', (storeKind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ storeKind, config: { staleCheckIntervalMs: 50 } });
  });
  afterAll(() => t.close());

  const report = (token: string, input: Record<string, unknown>) => t.gql(REPORT, { input: { intervalSeconds: 60, state: 'RUNNING', ...input } }, token);
  const rows = async <T>(query: ReturnType<typeof sql>) => ((await t.store.db.execute(query)) as unknown as { rows: T[] }).rows;

  it('keeps one sample per minute with the latest and largest queue size, and throughput between minutes', async () => {
    const { token, tenantId } = await t.signUp('samples');
    // the three reports below share a minute: start them early in one
    await vi.waitFor(() => expect(new Date().getUTCSeconds()).toBeLessThan(40), { timeout: 30_000, interval: 200 });
    await report(token, { key: 'etl', queueSize: 40, processedCount: 400, failedCount: 2 });
    await report(token, { key: 'etl', queueSize: 90, processedCount: 450, failedCount: 2 });
    await report(token, { key: 'etl', queueSize: 10, processedCount: 500, failedCount: 3 });
    // earlier minutes, as if reported then (a gap of one minute between them)
    await t.store.db.execute(sql`
      insert into service_samples (tenant_id, key, minute, queue_size, max_queue_size, processed_count, failed_count)
      select ${tenantId}, 'etl', date_bin(interval '1 minute', now(), timestamptz '1970-01-01 00:00:00+00') - make_interval(mins => m), q, q, p, 1
      from (values (4, 5, 100), (3, 7, 160)) as v(m, q, p)`);
    const samples = (await t.gql(SAMPLES, { key: 'etl' }, token)).data.service.samples;
    expect(samples.map((s: any) => [s.queueSize, s.maxQueueSize, s.processedCount, s.processedPerMinute, s.failedPerMinute])).toEqual([
      [5, 5, 100, null, null],
      [7, 7, 160, 60, 0],
      // three minutes after the previous sample: (500 - 160) / 3 per minute
      [10, 90, 500, 340 / 3, 2 / 3],
    ]);
    const minutes = samples.map((s: any) => Date.parse(s.at));
    expect(minutes[2] - minutes[1]).toBe(3 * 60_000);
    // a window of two minutes has only the last sample, its throughput still from its predecessor
    expect((await t.gql(SAMPLES, { key: 'etl', minutes: 2 }, token)).data.service.samples.map((s: any) => s.processedPerMinute)).toEqual([340 / 3]);

    // a counter that went back (a restart) gives no throughput rather than a negative one
    await t.store.db.execute(sql`update service_samples set processed_count = 20 where tenant_id = ${tenantId} and minute = date_bin(interval '1 minute', now(), timestamptz '1970-01-01 00:00:00+00')`);
    expect((await t.gql(SAMPLES, { key: 'etl', minutes: 2 }, token)).data.service.samples[0].processedPerMinute).toBeNull();

    const bad = await t.gql(SAMPLES, { key: 'etl', minutes: 5000 }, token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'minutes' });
  });

  it('stays bounded: a new minute trims samples older than 24 hours, and deleting the service removes its samples', async () => {
    const { token, tenantId } = await t.signUp('bounded');
    await t.store.db.execute(sql`
      insert into service_samples (tenant_id, key, minute, queue_size, max_queue_size) values
        (${tenantId}, 'sync', now() - interval '25 hours', 1, 1), (${tenantId}, 'sync', now() - interval '23 hours', 2, 2)`);
    await report(token, { key: 'sync', queueSize: 3 });
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from service_samples where tenant_id = ${tenantId}`))[0]!.n).toBe(2);
    expect((await t.gql('mutation { deleteService(key: "sync") }', {}, token)).data.deleteService).toBe(true);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from service_samples where tenant_id = ${tenantId}`))[0]!.n).toBe(0);
  });

  it('STALE keeps the last real state visible; the list filters by state and text', async () => {
    const { token } = await t.signUp('stale');
    await report(token, { key: 'balance-sync', name: 'Balance sync', state: 'DEGRADED', intervalSeconds: 1, message: 'retrying' });
    await report(token, { key: 'discovery', name: 'Account discovery', state: 'IDLE' });
    await report(token, { key: 'etl-orders', name: 'Orders ETL' });
    await vi.waitFor(
      async () => {
        const service = (await t.gql('{ service(key: "balance-sync") { state reportedState staleSince stale message } }', {}, token)).data.service;
        expect(service).toMatchObject({ state: 'STALE', reportedState: 'DEGRADED', stale: true, message: 'retrying' });
        expect(Date.parse(service.staleSince)).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 100 },
    );
    const keys = async (args: string) => (await t.gql(`{ services(${args}) { key reportedState } }`, {}, token)).data.services.map((s: any) => s.key);
    expect(await keys('states: [STALE]')).toEqual(['balance-sync']);
    // a silent service is not listed under the state it last reported
    expect(await keys('states: [DEGRADED]')).toEqual([]);
    expect(await keys('states: [IDLE, RUNNING]')).toEqual(['discovery', 'etl-orders']);
    expect(await keys('search: "ETL"')).toEqual(['etl-orders']);
    expect(await keys('search: "discovery", states: [IDLE]')).toEqual(['discovery']);
    expect(await keys('search: "100%_"')).toEqual([]);
    expect((await t.gql('{ service(key: "discovery") { reportedState staleSince } }', {}, token)).data.service).toEqual({ reportedState: 'IDLE', staleSince: null });
  });

  it('tenant B sees none of tenant A’s services or samples, and cannot delete them', async () => {
    const a = await t.signUp('svc-a');
    const b = await t.signUp('svc-b');
    await report(a.token, { key: 'payments', queueSize: 7 });
    expect((await t.gql('{ services(search: "pay") { key } service(key: "payments") { key } }', {}, b.token)).data).toEqual({ services: [], service: null });
    expect(codeOf(await t.gql('mutation { deleteService(key: "payments") }', {}, b.token))).toBe('NOT_FOUND');
    expect((await t.gql(SAMPLES, { key: 'payments' }, a.token)).data.service.samples).toHaveLength(1);
  });
});
