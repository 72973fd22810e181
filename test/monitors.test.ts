import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { sseClient, subscribe } from './support/sse.js';
import { createTestBus, createTestStore, postgresUrl } from './support/services.js';
import { selfSignedCert, startSite } from './support/targets.js';

const config = { monitorAllowPrivate: true, monitorMinIntervalSeconds: 1, monitorTickMs: 100, webhookRetryBaseMs: 50 };

const CREATE = /* GraphQL */ `
  mutation ($input: MonitorInput!) { createMonitor(input: $input) { id status url } }
`;
const RULE = /* GraphQL */ `
  mutation ($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }
`;
const RUN = /* GraphQL */ `
  mutation ($id: ID!) { runMonitorCheck(id: $id) { ok httpStatus error responseTimeMs } }
`;
const INCIDENTS = /* GraphQL */ `
  subscription ($after: String) { incidents(after: $after) { cursor kind incident { number title status } } }
`;

let t: TestApp;
let site: Awaited<ReturnType<typeof startSite>>;
beforeAll(async () => {
  t = await startApp({ config });
  site = await startSite();
});
afterAll(async () => {
  await site.close();
  await t.close();
});

/** A monitor the scheduler will not touch on its own (hour interval, first check pushed out). */
async function manualMonitor(token: string, input: Record<string, unknown>) {
  const created = await t.gql(CREATE, { input: { name: 'm', intervalSeconds: 3600, ...input } }, token);
  if (!created.data) throw new Error(JSON.stringify(created.errors));
  const id = created.data.createMonitor.id as string;
  await t.store.db.execute(sql`update monitors set next_check_at = now() + interval '1 hour' where id = ${id}`);
  return id;
}

describe('monitor status', () => {
  it('goes DOWN only after more consecutive failures than its retries, and UP on the first success', async () => {
    const { token } = await t.signUp('retries');
    const flaky = await startSite({ status: 500 });
    try {
      const id = await manualMonitor(token, { url: flaky.url, retries: 2 });
      const statuses: string[] = [];
      for (let i = 0; i < 3; i++) {
        await t.gql(RUN, { id }, token);
        statuses.push((await t.gql(`{ monitor(id: "${id}") { status } }`, {}, token)).data.monitor.status);
      }
      expect(statuses).toEqual(['PENDING', 'PENDING', 'DOWN']);
      flaky.behaviour.status = 200;
      await t.gql(RUN, { id }, token);
      const monitor = (await t.gql(`{ monitor(id: "${id}") { status uptime checks(last: 10) { ok httpStatus } lastCheck { ok } } }`, {}, token)).data.monitor;
      expect(monitor.status).toBe('UP');
      expect(monitor.uptime).toBeCloseTo(0.25);
      expect(monitor.checks.map((c: any) => c.httpStatus)).toEqual([500, 500, 500, 200]);
      expect(monitor.lastCheck.ok).toBe(true);
    } finally {
      await flaky.close();
    }
  });

  it('pause and resume', async () => {
    const { token } = await t.signUp('pause');
    const id = await manualMonitor(token, { url: site.url });
    expect((await t.gql(`mutation { pauseMonitor(id: "${id}") { status } }`, {}, token)).data.pauseMonitor.status).toBe('PAUSED');
    expect((await t.gql(`mutation { resumeMonitor(id: "${id}") { status } }`, {}, token)).data.resumeMonitor.status).toBe('PENDING');
  });
});

describe('incidents', () => {
  it('open once, resolve once, and arrive live and on replay', async () => {
    const { token } = await t.signUp('incidents');
    const target = await startSite();
    try {
      const id = await manualMonitor(token, { url: target.url });
      await t.gql(RULE, { input: { name: 'down', kind: 'DOWN', monitorId: id } }, token);
      const client = sseClient(t.url, token, true);
      // from the start of this tenant's incident stream: however slowly it comes up, nothing is missed
      const live = subscribe(client, INCIDENTS, { after: '0' });

      await t.gql(RUN, { id }, token);
      target.behaviour.status = 502;
      for (let i = 0; i < 3; i++) await t.gql(RUN, { id }, token);
      target.behaviour.status = 200;
      for (let i = 0; i < 2; i++) await t.gql(RUN, { id }, token);

      const events = (await live.waitFor(2)).map((r) => r.data.incidents);
      await new Promise((r) => setTimeout(r, 200));
      expect(live.results).toHaveLength(2);
      expect(events.map((e) => e.kind)).toEqual(['OPENED', 'RESOLVED']);
      expect(events[0].incident.title).toBe('m is down: unexpected status 502 (expected 200-399)');
      expect(events[1].incident.status).toBe('RESOLVED');

      const list = await t.gql('{ incidents { edges { node { number status resolutionNote } } } }', {}, token);
      expect(list.data.incidents.edges.map((e: any) => e.node)).toEqual([{ number: 1, status: 'RESOLVED', resolutionNote: 'Condition cleared' }]);

      const replay = subscribe(sseClient(t.url, token, false), INCIDENTS, { after: '0' });
      expect((await replay.waitFor(2)).map((r) => r.data.incidents.cursor)).toEqual(events.map((e) => e.cursor));
      client.dispose();
    } finally {
      await target.close();
    }
  });

  it('a flapping monitor within the hold-down keeps one incident; acknowledge and resolve by hand', async () => {
    const { token } = await t.signUp('flap');
    const target = await startSite({ status: 500 });
    try {
      const id = await manualMonitor(token, { url: target.url });
      await t.gql(RULE, { input: { name: 'down', kind: 'DOWN', monitorId: id, holdDownSeconds: 300 } }, token);
      for (const status of [500, 200, 500, 200, 500, 200]) {
        target.behaviour.status = status;
        await t.gql(RUN, { id }, token);
      }
      const list = await t.gql('{ incidents { edges { node { id status } } } }', {}, token);
      expect(list.data.incidents.edges).toHaveLength(1);
      const incidentId = list.data.incidents.edges[0].node.id;
      expect(list.data.incidents.edges[0].node.status).toBe('OPEN');

      const acked = await t.gql(`mutation { acknowledgeIncident(id: "${incidentId}") { status acknowledgedAt } }`, {}, token);
      expect(acked.data.acknowledgeIncident.status).toBe('ACKNOWLEDGED');
      const resolved = await t.gql(`mutation { resolveIncident(id: "${incidentId}", note: "restarted the pod") { status resolutionNote } }`, {}, token);
      expect(resolved.data.resolveIncident).toEqual({ status: 'RESOLVED', resolutionNote: 'restarted the pod' });
      const open = await t.gql('{ incidents(status: OPEN) { edges { node { id } } } }', {}, token);
      expect(open.data.incidents.edges).toEqual([]);
    } finally {
      await target.close();
    }
  });

  it('SLOW and SSL-free STATUS_CODE rules; maintenance keeps checks but opens nothing', async () => {
    const { token } = await t.signUp('rules');
    const slow = await startSite({ delayMs: 120 });
    try {
      const id = await manualMonitor(token, { url: slow.url });
      await t.gql(RULE, { input: { name: 'slow', kind: 'SLOW', monitorId: id, thresholdMs: 60, consecutiveChecks: 2 } }, token);
      await t.gql(RUN, { id }, token);
      expect((await t.gql('{ incidents { edges { node { kind } } } }', {}, token)).data.incidents.edges).toEqual([]);
      await t.gql(RUN, { id }, token);
      expect((await t.gql('{ incidents { edges { node { kind title } } } }', {}, token)).data.incidents.edges.map((e: any) => e.node.kind)).toEqual(['SLOW']);

      const quiet = await manualMonitor(token, { url: slow.url, expectedStatus: '204' });
      await t.gql(RULE, { input: { name: 'codes', kind: 'STATUS_CODE', monitorId: quiet } }, token);
      const now = Date.now();
      await t.gql(
        'mutation ($ids: [ID!]!, $s: DateTime!, $e: DateTime!) { createMaintenanceWindow(monitorIds: $ids, startsAt: $s, endsAt: $e) { id } }',
        { ids: [quiet], s: new Date(now - 60_000).toISOString(), e: new Date(now + 60_000).toISOString() },
        token,
      );
      await t.gql(RUN, { id: quiet }, token);
      const monitor = (await t.gql(`{ monitor(id: "${quiet}") { checks { httpStatus } } }`, {}, token)).data.monitor;
      expect(monitor.checks).toEqual([{ httpStatus: 200 }]);
      expect((await t.gql('{ incidents { edges { node { kind } } } }', {}, token)).data.incidents.edges.map((e: any) => e.node.kind)).toEqual(['SLOW']);
    } finally {
      await slow.close();
    }
  });

  it('SSL_EXPIRY opens when fewer days are left than the rule allows', async () => {
    const { token } = await t.signUp('ssl');
    const tls = await startSite({}, selfSignedCert(5));
    try {
      const id = await manualMonitor(token, { url: tls.url });
      await t.gql(RULE, { input: { name: 'cert', kind: 'SSL_EXPIRY', monitorId: id, days: 14 } }, token);
      const check = await t.gql(RUN, { id }, token);
      expect(check.data.runMonitorCheck.ok).toBe(true);
      const incidents = (await t.gql('{ incidents { edges { node { kind title } } } }', {}, token)).data.incidents.edges;
      expect(incidents.map((e: any) => e.node.kind)).toEqual(['SSL_EXPIRY']);
      expect(incidents[0].node.title).toMatch(/^m: certificate expires \d{4}-\d{2}-\d{2}$/);
      const monitor = (await t.gql(`{ monitor(id: "${id}") { lastCheck { certValid certExpiresAt } } }`, {}, token)).data.monitor;
      expect(monitor.lastCheck.certValid).toBe(false);
    } finally {
      await tls.close();
    }
  });

  it('delivers webhooks with retries to a receiver that fails first, recording every attempt', async () => {
    const { token } = await t.signUp('webhooks');
    const receiver = await startSite({ status: 500 });
    const target = await startSite({ status: 500 });
    try {
      const id = await manualMonitor(token, { url: target.url });
      await t.gql(RULE, { input: { name: 'page me', kind: 'DOWN', monitorId: id, webhookUrls: [receiver.url] } }, token);
      // the receiver fails the first two deliveries and accepts from the third on
      Object.defineProperty(receiver.behaviour, 'status', { get: () => (receiver.hits.length <= 2 ? 500 : 204) });
      await t.gql(RUN, { id }, token);
      const until = Date.now() + 5_000;
      let deliveries: any[] = [];
      while (Date.now() < until + 5_000) {
        const result = await t.gql('{ incidents { edges { node { webhookDeliveries { url status attempts { attempt httpStatus } } } } } }', {}, token);
        deliveries = result.data.incidents.edges[0].node.webhookDeliveries;
        if (deliveries[0]?.status === 'DELIVERED') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0].status).toBe('DELIVERED');
      const attempts = deliveries[0].attempts;
      expect(attempts.slice(0, -1).every((a: any) => a.httpStatus === 500)).toBe(true);
      expect(attempts.at(-1).httpStatus).toBe(204);
      expect(attempts.length).toBeGreaterThanOrEqual(3);
      const body = JSON.parse(receiver.hits.at(-1)!.body);
      expect(body).toMatchObject({ event: 'incident.opened', incident: { status: 'OPEN', monitorId: id } });
    } finally {
      await receiver.close();
      await target.close();
    }
  });
});

describe('refused URLs at create time', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', true, 'is a link-local or metadata address'],
    ['http://metadata.google.internal/', true, 'is a metadata host name'],
    ['http://10.0.0.1/', false, 'is a private or loopback address'],
    ['http://127.0.0.1:9/', false, 'is a private or loopback address'],
    ['ftp://127.0.0.1/', true, 'url must use http or https, not ftp'],
    ['not a url', true, 'url must be an http or https URL'],
  ])('%s', async (url, evenWithFlag, message) => {
    const strict = await startApp({ store: t.store, bus: t.bus, config: { ...config, monitorAllowPrivate: false } });
    try {
      const { token } = await strict.signUp('refused');
      const result = await strict.gql(CREATE, { input: { name: 'x', url } }, token);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toContain(message);
      if (evenWithFlag) {
        const lenient = await t.gql(CREATE, { input: { name: 'x', url } }, (await t.signUp('flag')).token);
        expect(lenient.errors?.[0]?.message).toContain(message);
      }
      expect((await strict.gql('{ monitors { id } }', {}, token)).data.monitors).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('webhook URLs follow the same rules', async () => {
    const { token } = await t.signUp('hook-rules');
    const result = await t.gql(RULE, { input: { name: 'x', kind: 'DOWN', webhookUrls: ['http://169.254.169.254/'] } }, token);
    expect(result.errors?.[0]?.message).toContain('webhookUrls is refused');
  });
});

describe('tenancy', () => {
  it('tenant B cannot see or touch tenant A’s monitors, checks or incidents, nor their subscriptions', async () => {
    const a = await t.signUp('mon-a');
    const b = await t.signUp('mon-b');
    const target = await startSite({ status: 500 });
    try {
      const id = await manualMonitor(a.token, { url: target.url });
      await t.gql(RULE, { input: { name: 'down', kind: 'DOWN' } }, a.token);
      const client = sseClient(t.url, b.token, true);
      const checks = subscribe(client, 'subscription { monitorChecks { monitorId ok } }');
      const incidents = subscribe(client, INCIDENTS);
      const probe = subscribe(client, `subscription { monitorChecks(monitorId: "${id}") { ok } }`);
      await new Promise((r) => setTimeout(r, 300));
      await t.gql(RUN, { id }, a.token);
      await new Promise((r) => setTimeout(r, 300));
      expect(checks.results).toEqual([]);
      expect(incidents.results).toEqual([]);
      await probe.done;
      expect(probe.results[0].errors[0].extensions.code).toBe('NOT_FOUND');

      expect((await t.gql(`{ monitors { id } monitor(id: "${id}") { id } incidents { edges { cursor } } }`, {}, b.token)).data).toEqual({
        monitors: [],
        monitor: null,
        incidents: { edges: [] },
      });
      for (const mutation of [`pauseMonitor(id: "${id}") { id }`, `runMonitorCheck(id: "${id}") { ok }`, `deleteMonitor(id: "${id}")`]) {
        const result = await t.gql(`mutation { ${mutation} }`, {}, b.token);
        expect(result.errors?.[0]?.extensions?.code, mutation).toBe('NOT_FOUND');
      }
      const incidentId = (await t.gql('{ incidents { edges { node { id } } } }', {}, a.token)).data.incidents.edges[0].node.id;
      const ack = await t.gql(`mutation { acknowledgeIncident(id: "${incidentId}") { id } }`, {}, b.token);
      expect(ack.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      client.dispose();
    } finally {
      await target.close();
    }
  });
});

describe.skipIf(!postgresUrl)('the scheduler on two instances sharing PostgreSQL', () => {
  it('runs each due check exactly once, and the survivor keeps checking when one instance stops', async () => {
    const store = await createTestStore('postgres');
    const bus = createTestBus();
    const one = await startApp({ store, bus, config });
    const two = await startApp({ store, bus, config });
    const target = await startSite();
    try {
      const { token } = await one.signUp('scheduler');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const created = await one.gql(CREATE, { input: { name: `m${i}`, url: target.url, intervalSeconds: 1 } }, token);
        ids.push(created.data.createMonitor.id);
      }
      await new Promise((r) => setTimeout(r, 4_500));
      const times = async () =>
        ((await store.db.execute(sql`select monitor_id, checked_at from monitor_checks where tenant_id = (select tenant_id from monitors where id = ${ids[0]}) order by checked_at`)) as any).rows as {
          monitor_id: string;
          checked_at: string;
        }[];
      const before = await times();
      for (const id of ids) {
        const mine = before.filter((r) => r.monitor_id === id).map((r) => new Date(r.checked_at).getTime());
        expect(mine.length, id).toBeGreaterThanOrEqual(3);
        // once per interval: never two checks of one monitor closer than the interval allows
        for (let i = 1; i < mine.length; i++) expect(mine[i]! - mine[i - 1]!).toBeGreaterThan(800);
      }
      await one.close();
      const stoppedAt = Date.now();
      await new Promise((r) => setTimeout(r, 3_000));
      const after = (await times()).filter((r) => new Date(r.checked_at).getTime() > stoppedAt + 100);
      for (const id of ids) expect(after.filter((r) => r.monitor_id === id).length, id).toBeGreaterThanOrEqual(2);
    } finally {
      await target.close();
      await two.close();
      await one.close();
      await bus.close();
      await store.close();
    }
  });
});
