import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../server/db/client.js';
import { RESPONSE_TIME_BINS } from '../server/domain/monitors/histogram.js';
import { startApp, type TestApp } from './support/app.js';
import { addMember, addServiceToken, codeOf } from './support/people.js';
import { countingStore } from './support/counting-store.js';
import { createTestStore, storeKinds } from './support/services.js';
import { closedPort, startSite } from './support/targets.js';

// checks run when a test runs them: the scheduler's tick never comes during a test
const config = { monitorAllowPrivate: true, monitorMinIntervalSeconds: 1, monitorTickMs: 3_600_000 };
const CREATE = /* GraphQL */ `
  mutation ($input: MonitorInput!) { createMonitor(input: $input) { id } }
`;
const RUN = /* GraphQL */ `
  mutation ($id: ID!) { runMonitorCheck(id: $id) { ok httpStatus error responseTimeMs durationMs } }
`;
const SERIES = /* GraphQL */ `
  query ($id: ID!, $range: CheckSeriesRange!) {
    monitor(id: $id) {
      checkSeries(range: $range) {
        range bucketSeconds from to
        buckets { start count failures uptime avgResponseTimeMs p95ResponseTimeMs minResponseTimeMs maxResponseTimeMs }
        summary { count failures uptime avgResponseTimeMs p95ResponseTimeMs minResponseTimeMs maxResponseTimeMs }
      }
    }
  }
`;

/** A monitor the scheduler leaves alone (checks only when a test runs one). */
async function manualMonitor(t: TestApp, token: string, url: string, extra: Record<string, unknown> = {}) {
  const created = await t.gql(CREATE, { input: { name: 'api', url, intervalSeconds: 3600, ...extra } }, token);
  if (!created.data) throw new Error(JSON.stringify(created.errors));
  const id = created.data.createMonitor.id as string;
  await t.store.db.execute(sql`update monitors set next_check_at = now() + interval '1 hour' where id = ${id}`);
  return id;
}

/** The statements of the migration that back-fill hourly rollups from stored checks. */
function rollupBackfill(): string[] {
  const migration = readFileSync(new URL('../server/db/migrations/0005_screens.sql', import.meta.url), 'utf8');
  const tail = migration.slice(migration.indexOf('-- Back-fill: hourly rollups'));
  return tail.split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean);
}

const rows = async <T>(store: Store, query: ReturnType<typeof sql>) => ((await store.db.execute(query)) as unknown as { rows: T[] }).rows;

describe.each(storeKinds)('monitor charts on %s', (storeKind) => {
  let t: TestApp;
  let site: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    t = await startApp({ storeKind, config });
    site = await startSite();
  });
  afterAll(async () => {
    await site.close();
    await t.close();
  });

  it('a check that got no answer has no response time; one that answered keeps its time', async () => {
    const { token } = await t.signUp('no-answer');
    const refused = await manualMonitor(t, token, `http://127.0.0.1:${await closedPort()}/`);
    const failing = await startSite({ status: 503 });
    try {
      const down = (await t.gql(RUN, { id: refused }, token)).data.runMonitorCheck;
      expect(down).toMatchObject({ ok: false, httpStatus: null, error: 'connection refused', responseTimeMs: null });
      expect(down.durationMs).toBeGreaterThanOrEqual(0);
      const answered = (await t.gql(RUN, { id: await manualMonitor(t, token, failing.url) }, token)).data.runMonitorCheck;
      expect(answered).toMatchObject({ ok: false, httpStatus: 503 });
      expect(answered.responseTimeMs).toBeGreaterThanOrEqual(0);
      expect(answered.durationMs).toBe(answered.responseTimeMs);
      // the chart never shows the refused check as a fast answer
      const series = (await t.gql(SERIES, { id: refused, range: 'HOUR' }, token)).data.monitor.checkSeries;
      expect(series.summary).toMatchObject({ count: 1, failures: 1, uptime: 0, avgResponseTimeMs: null, p95ResponseTimeMs: null });
    } finally {
      await failing.close();
    }
  });

  it('checkSeries buckets live checks on the server: every bucket present, failures counted, times from successes only', async () => {
    const { token } = await t.signUp('series');
    const flaky = await startSite();
    try {
      const id = await manualMonitor(t, token, flaky.url);
      for (const status of [200, 200, 500, 200]) {
        flaky.behaviour.status = status;
        await t.gql(RUN, { id }, token);
      }
      for (const [range, bucketSeconds, buckets] of [['HOUR', 60, 61], ['DAY', 900, 97], ['WEEK', 3600, 169], ['MONTH', 21600, 121]] as const) {
        const series = (await t.gql(SERIES, { id, range }, token)).data.monitor.checkSeries;
        expect(series.bucketSeconds, range).toBe(bucketSeconds);
        // one more bucket than the span holds: the first starts on a whole bucket before the span
        expect(series.buckets.length, range).toBeGreaterThanOrEqual(buckets - 1);
        expect(series.buckets.length, range).toBeLessThanOrEqual(buckets);
        const starts = series.buckets.map((b: any) => Date.parse(b.start));
        expect(starts.every((s: number, i: number) => i === 0 || s - starts[i - 1] === bucketSeconds * 1000), range).toBe(true);
        expect(series.summary.count, range).toBe(4);
        expect(series.summary.failures, range).toBe(1);
        expect(series.summary.uptime, range).toBeCloseTo(0.75);
        const filled = series.buckets.filter((b: any) => b.count > 0);
        expect(filled.reduce((n: number, b: any) => n + b.count, 0), range).toBe(4);
        const empty = series.buckets.find((b: any) => b.count === 0);
        expect(empty, range).toMatchObject({ failures: 0, uptime: null, avgResponseTimeMs: null, p95ResponseTimeMs: null });
        expect(series.summary.minResponseTimeMs, range).toBeLessThanOrEqual(series.summary.avgResponseTimeMs);
        expect(series.summary.maxResponseTimeMs, range).toBeGreaterThanOrEqual(series.summary.p95ResponseTimeMs);
      }
    } finally {
      await flaky.close();
    }
  });

  it('30 days of checks at 60 s (43,200): rollups agree with the raw checks; uptime exact over 24 h, 7 d and 30 d', async () => {
    // a store of its own: the migration's back-fill reads every stored check
    const store = await createTestStore(storeKind);
    const own = await startApp({ store, config });
    try {
      const { token, tenantId } = await own.signUp('month');
      const id = await manualMonitor(own, token, site.url);
      // every 50th check fails without an answer; the others answer in 20–119 ms
      await store.db.execute(sql`
        insert into monitor_checks (tenant_id, monitor_id, ok, response_time_ms, duration_ms, error, checked_at)
        select ${tenantId}, ${id}, i % 50 <> 0, case when i % 50 <> 0 then 20 + i % 100 end, 20 + i % 100,
          case when i % 50 = 0 then 'connection refused' end, now() - make_interval(secs => i * 60 + 1)
        from generate_series(0, 43199) i`);
      for (const statement of rollupBackfill()) await store.db.execute(sql.raw(statement));

      const month = (await own.gql(SERIES, { id, range: 'MONTH' }, token)).data.monitor.checkSeries;
      expect(month.summary).toMatchObject({ count: 43_200, failures: 864, minResponseTimeMs: 21, maxResponseTimeMs: 119 });
      const [exact] = await rows<{ avg: number; p95: number }>(
        store,
        sql`select avg(response_time_ms) as avg, percentile_cont(0.95) within group (order by response_time_ms) as p95 from monitor_checks where monitor_id = ${id} and ok`,
      );
      expect(month.summary.avgResponseTimeMs).toBe(Math.round(Number(exact!.avg)));
      // the histogram's estimate stays inside the bin of the exact value
      const p95 = Number(exact!.p95);
      const upper = RESPONSE_TIME_BINS.find((edge) => edge > p95)!;
      const lower = [...RESPONSE_TIME_BINS].reverse().find((edge) => edge <= p95)!;
      expect(month.summary.p95ResponseTimeMs).toBeGreaterThanOrEqual(lower);
      expect(month.summary.p95ResponseTimeMs).toBeLessThanOrEqual(upper);
      expect(month.buckets.reduce((n: number, b: any) => n + b.count, 0)).toBe(43_200);

      const week = (await own.gql(SERIES, { id, range: 'WEEK' }, token)).data.monitor.checkSeries;
      const fullHours = week.buckets.slice(1, -1);
      expect(fullHours.every((b: any) => b.count === 60)).toBe(true);

      const uptimes = (await own.gql(`{ monitor(id: "${id}") { uptimes { last24Hours last7Days last30Days } uptime(hours: 24) } }`, {}, token)).data.monitor;
      const [counts] = await rows<{ day: number; day_failed: number; week: number; week_failed: number }>(
        store,
        sql`select count(*) filter (where checked_at > now() - interval '24 hours') as day,
              count(*) filter (where checked_at > now() - interval '24 hours' and not ok) as day_failed,
              count(*) filter (where checked_at > now() - interval '7 days') as week,
              count(*) filter (where checked_at > now() - interval '7 days' and not ok) as week_failed
            from monitor_checks where monitor_id = ${id}`,
      );
      expect(uptimes.uptimes.last30Days).toBeCloseTo((43_200 - 864) / 43_200, 10);
      expect(uptimes.uptimes.last24Hours).toBeCloseTo(1 - Number(counts!.day_failed) / Number(counts!.day), 10);
      expect(uptimes.uptimes.last7Days).toBeCloseTo(1 - Number(counts!.week_failed) / Number(counts!.week), 10);
      expect(uptimes.uptime).toBe(uptimes.uptimes.last24Hours);
    } finally {
      await own.close();
      await store.close();
    }
  });

  it('the migration’s back-fill builds the same rollup as recording checks live', async () => {
    const store = await createTestStore(storeKind);
    const own = await startApp({ store, config });
    const flaky = await startSite({ delayMs: 15 });
    try {
      const { token } = await own.signUp('backfill');
      const id = await manualMonitor(own, token, flaky.url);
      for (const status of [200, 500, 200, 200, 503, 200]) {
        flaky.behaviour.status = status;
        await own.gql(RUN, { id }, token);
      }
      await own.gql(RUN, { id: await manualMonitor(own, token, `http://127.0.0.1:${await closedPort()}/`) }, token);
      const read = () => rows(store, sql`select * from monitor_check_hours order by monitor_id, hour`);
      const live = await read();
      expect(live.length).toBeGreaterThanOrEqual(2);
      await store.db.execute(sql`delete from monitor_check_hours`);
      for (const statement of rollupBackfill()) await store.db.execute(sql.raw(statement));
      expect(await read()).toEqual(live);
    } finally {
      await flaky.close();
      await own.close();
      await store.close();
    }
  });
});

describe('monitor list and settings', () => {
  let t: TestApp;
  let store: Store;
  let statements: string[];
  let site: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    // count what the app asks of the store, to see a list's heartbeat bars cost one query
    ({ store, statements } = countingStore(await createTestStore()));
    t = await startApp({ store, config, ownDeps: false });
    site = await startSite();
  });
  afterAll(async () => {
    await site.close();
    await t.close();
    await t.bus.close();
    await store.close();
  });

  it('heartbeat bars, last check and uptimes of a whole list: one query each, not one per monitor', async () => {
    const { token } = await t.signUp('heartbeats');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await manualMonitor(t, token, site.url));
      for (let n = 0; n <= i; n++) await t.gql(RUN, { id: ids[i] }, token);
    }
    statements.length = 0;
    const list = await t.gql('{ monitors { id checks(last: 3) { ok } lastCheck { ok } uptimes { last24Hours last7Days last30Days } } }', {}, token);
    const byId = new Map(list.data.monitors.map((m: any) => [m.id, m]));
    expect(ids.map((id) => (byId.get(id) as any).checks.length)).toEqual([1, 2, 3, 3, 3]);
    expect(ids.every((id) => (byId.get(id) as any).uptimes.last30Days === 1)).toBe(true);
    const heartbeatQueries = statements.filter((s) => s.includes('cross join lateral (select * from monitor_checks'));
    // checks(last: 3) and lastCheck (last 1): one batch each for the five monitors
    expect(heartbeatQueries).toHaveLength(2);
    expect(statements.filter((s) => s.includes('from monitor_check_hours where monitor_id = m.id'))).toHaveLength(3);
  });

  it('clone copies the settings, not the history; edit, pause and delete exist; tenants and roles are kept apart', async () => {
    const a = await t.signUp('clone-a');
    const b = await t.signUp('clone-b');
    const id = await manualMonitor(t, a.token, site.url, { timeoutMs: 4_000, expectedStatus: '200,204', retries: 2 });
    await t.gql(RUN, { id }, a.token);
    const clone = await t.gql(
      `mutation { cloneMonitor(id: "${id}") { id name url timeoutMs expectedStatus retries status checks { id } } }`,
      {},
      a.token,
    );
    expect(clone.data.cloneMonitor).toMatchObject({ name: 'api (copy)', url: site.url, timeoutMs: 4_000, expectedStatus: '200,204', retries: 2, status: 'PENDING', checks: [] });
    expect(clone.data.cloneMonitor.id).not.toBe(id);
    const named = await t.gql(`mutation { cloneMonitor(id: "${id}", name: "api eu") { name } }`, {}, a.token);
    expect(named.data.cloneMonitor.name).toBe('api eu');

    expect(codeOf(await t.gql(`mutation { cloneMonitor(id: "${id}") { id } }`, {}, b.token))).toBe('NOT_FOUND');
    const viewer = await addMember(t, a.token, 'VIEWER');
    expect(codeOf(await t.gql(`mutation { cloneMonitor(id: "${id}") { id } }`, {}, viewer))).toBe('FORBIDDEN');
    const narrow = await addServiceToken(t, a.token, ['etl:*']);
    expect(codeOf(await t.gql(`mutation { cloneMonitor(id: "${id}") { id } }`, {}, narrow))).toBe('FORBIDDEN');
    expect((await t.gql('{ monitors { id } }', {}, a.token)).data.monitors).toHaveLength(3);
  });

  it('alert rules and maintenance windows: read one, edit, delete; another tenant can do none of it', async () => {
    const a = await t.signUp('rules-a');
    const b = await t.signUp('rules-b');
    const id = await manualMonitor(t, a.token, site.url);
    const rule = await t.gql(
      'mutation ($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }',
      { input: { name: 'slow', kind: 'SLOW', monitorId: id, thresholdMs: 500, consecutiveChecks: 3 } },
      a.token,
    );
    const ruleId = rule.data.createAlertRule.id;
    const read = await t.gql(`{ alertRule(id: "${ruleId}") { name recoveryChecks recoveryThresholdMs monitor { id } } }`, {}, a.token);
    expect(read.data.alertRule).toEqual({ name: 'slow', recoveryChecks: 3, recoveryThresholdMs: 500, monitor: { id } });
    const UPDATE = 'mutation ($id: ID!, $input: AlertRuleInput!) { updateAlertRule(id: $id, input: $input) { name thresholdMs recoveryChecks recoveryThresholdMs holdDownSeconds } }';
    const input = { name: 'slow api', kind: 'SLOW', monitorId: id, thresholdMs: 400, recoveryThresholdMs: 300, recoveryChecks: 5, holdDownSeconds: 60 };
    expect((await t.gql(UPDATE, { id: ruleId, input }, a.token)).data.updateAlertRule).toEqual({
      name: 'slow api',
      thresholdMs: 400,
      recoveryChecks: 5,
      recoveryThresholdMs: 300,
      holdDownSeconds: 60,
    });
    const bad = await t.gql(UPDATE, { id: ruleId, input: { ...input, recoveryThresholdMs: 900 } }, a.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recoveryThresholdMs' });
    expect((await t.gql(`{ monitor(id: "${id}") { alertRules { name } } }`, {}, a.token)).data.monitor.alertRules).toEqual([{ name: 'slow api' }]);

    const now = Date.now();
    const window = await t.gql(
      'mutation ($ids: [ID!]!, $s: DateTime!, $e: DateTime!) { createMaintenanceWindow(monitorIds: $ids, startsAt: $s, endsAt: $e, title: "db upgrade") { id title active } }',
      { ids: [id], s: new Date(now + 3_600_000).toISOString(), e: new Date(now + 7_200_000).toISOString() },
      a.token,
    );
    expect(window.data.createMaintenanceWindow).toMatchObject({ title: 'db upgrade', active: false });
    const windowId = window.data.createMaintenanceWindow.id;
    const UPDATE_WINDOW = 'mutation ($id: ID!, $input: MaintenanceWindowInput!) { updateMaintenanceWindow(id: $id, input: $input) { title active monitors { id } } }';
    const moved = { title: 'db upgrade, now', monitorIds: [id], startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 600_000).toISOString() };
    expect((await t.gql(UPDATE_WINDOW, { id: windowId, input: moved }, a.token)).data.updateMaintenanceWindow).toEqual({ title: 'db upgrade, now', active: true, monitors: [{ id }] });
    expect((await t.gql(`{ monitor(id: "${id}") { activeMaintenance { title } } }`, {}, a.token)).data.monitor.activeMaintenance).toEqual({ title: 'db upgrade, now' });

    // tenant B: nothing to read, nothing to change, and A's monitor cannot be borrowed
    expect((await t.gql(`{ alertRule(id: "${ruleId}") { id } }`, {}, b.token)).data.alertRule).toBeNull();
    expect(codeOf(await t.gql(UPDATE, { id: ruleId, input }, b.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(UPDATE_WINDOW, { id: windowId, input: moved }, b.token))).toBe('NOT_FOUND');
    const bWindow = await t.gql(
      'mutation ($ids: [ID!]!, $s: DateTime!, $e: DateTime!) { createMaintenanceWindow(monitorIds: $ids, startsAt: $s, endsAt: $e) { id } }',
      { ids: [id], s: moved.startsAt, e: moved.endsAt },
      b.token,
    );
    expect(codeOf(bWindow)).toBe('NOT_FOUND');
    expect((await t.gql(`{ alertRule(id: "${ruleId}") { name } }`, {}, a.token)).data.alertRule.name).toBe('slow api');

    // least privilege: a narrow service token reads no rule and changes nothing
    const narrow = await addServiceToken(t, a.token, ['etl:*']);
    expect(codeOf(await t.gql(`{ alertRule(id: "${ruleId}") { id } }`, {}, narrow))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(UPDATE, { id: ruleId, input }, narrow))).toBe('FORBIDDEN');

    expect((await t.gql(`mutation { deleteMaintenanceWindow(id: "${windowId}") deleteAlertRule(id: "${ruleId}") }`, {}, a.token)).data).toEqual({
      deleteMaintenanceWindow: true,
      deleteAlertRule: true,
    });
  });
});
