import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { addMember, addServiceToken, codeOf } from './support/people.js';
import { sseClient, subscribe } from './support/sse.js';
import { startSite } from './support/targets.js';

// checks run when a test runs them: the scheduler's tick never comes during a test
const config = { monitorAllowPrivate: true, monitorMinIntervalSeconds: 1, monitorTickMs: 3_600_000, webhookRetryBaseMs: 50 };
const RUN = 'mutation ($id: ID!) { runMonitorCheck(id: $id) { ok } }';
const TIMELINE = /* GraphQL */ `
  query ($id: ID!, $max: Int) {
    incident(id: $id) {
      status
      timeline(checksBefore: 2, checksAfter: 1, maxChecks: $max) {
        omittedChecks
        entries {
          kind at cursor note public
          actor { id name }
          check { ok httpStatus }
          webhook { event url status }
          attempt { httpStatus responseBody durationMs }
        }
      }
    }
  }
`;

let t: TestApp;
let site: Awaited<ReturnType<typeof startSite>>;
let receiver: Awaited<ReturnType<typeof startSite>>;
beforeAll(async () => {
  t = await startApp({ config });
  site = await startSite();
  receiver = await startSite({ status: 202, body: 'queued, thanks' });
});
afterAll(async () => {
  await receiver.close();
  await site.close();
  await t.close();
});

async function watchedMonitor(token: string, url: string, webhookUrls: string[] = []) {
  const created = await t.gql(`mutation { createMonitor(input: {name: "api", url: "${url}", intervalSeconds: 3600}) { id } }`, {}, token);
  const id = created.data.createMonitor.id as string;
  await t.store.db.execute(sql`update monitors set next_check_at = now() + interval '1 hour' where id = ${id}`);
  const rule = await t.gql(
    'mutation ($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }',
    { input: { name: 'down', kind: 'DOWN', monitorId: id, webhookUrls } },
    token,
  );
  return { id, ruleId: rule.data.createAlertRule.id as string };
}

describe('incident timeline', () => {
  it('state changes with who and when, notes, checks around it and webhook attempts with their answers — live too', async () => {
    const admin = await t.signUp('timeline');
    const member = await addMember(t, admin.token, 'MEMBER', 'Mia Member');
    const target = await startSite();
    try {
      const { id } = await watchedMonitor(admin.token, target.url, [receiver.url]);
      await t.gql(RUN, { id }, admin.token);
      await t.gql(RUN, { id }, admin.token);
      await t.gql(RUN, { id }, admin.token);
      target.behaviour.status = 503;
      await t.gql(RUN, { id }, admin.token);
      const incidentId = (await t.gql(`{ incidents(monitorId: "${id}") { edges { node { id } } } }`, {}, admin.token)).data.incidents.edges[0].node.id;

      const client = sseClient(t.url, member, true);
      const live = subscribe(client, 'subscription ($id: ID) { incidents(incidentId: $id, after: "0") { kind note public actor { name } incidentId } }', { id: incidentId });
      await live.waitFor(1);

      await t.gql(`mutation { acknowledgeIncident(id: "${incidentId}") { status } }`, {}, member);
      await t.gql(`mutation { addIncidentNote(id: "${incidentId}", body: "Failing over to the replica") { kind } }`, {}, member);
      const note = await t.gql(`mutation { addIncidentNote(id: "${incidentId}", body: "We are on it", public: true) { kind cursor actor { name } } }`, {}, admin.token);
      expect(note.data.addIncidentNote).toMatchObject({ kind: 'NOTE', actor: { name: 'timeline' } });
      target.behaviour.status = 200;
      await t.gql(RUN, { id }, admin.token);
      await t.gql(RUN, { id }, admin.token);

      const events = (await live.waitFor(5)).map((r: any) => r.data.incidents);
      expect(events.map((e: any) => [e.kind, e.actor?.name ?? null, e.note, e.public])).toEqual([
        ['OPENED', null, null, false],
        ['ACKNOWLEDGED', 'Mia Member', null, false],
        ['NOTE', 'Mia Member', 'Failing over to the replica', false],
        ['NOTE', 'timeline', 'We are on it', true],
        ['RESOLVED', null, 'Condition cleared', false],
      ]);
      expect(events.every((e: any) => e.incidentId === incidentId)).toBe(true);
      client.dispose();

      // opened, acknowledged and resolved each notify the receiver
      await vi.waitFor(
        async () => {
          const deliveries = (await t.gql(`{ incident(id: "${incidentId}") { webhookDeliveries { status } } }`, {}, admin.token)).data.incident.webhookDeliveries;
          expect(deliveries.map((d: any) => d.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
        },
        { timeout: 15_000, interval: 100 },
      );

      const { timeline } = (await t.gql(TIMELINE, { id: incidentId }, member)).data.incident;
      const at = timeline.entries.map((e: any) => Date.parse(e.at));
      expect(at).toEqual([...at].sort((a, b) => a - b));
      expect(timeline.entries.filter((e: any) => e.kind !== 'CHECK' && e.kind !== 'WEBHOOK_ATTEMPT').map((e: any) => [e.kind, e.actor?.name ?? null])).toEqual([
        ['OPENED', null],
        ['ACKNOWLEDGED', 'Mia Member'],
        ['NOTE', 'Mia Member'],
        ['NOTE', 'timeline'],
        ['RESOLVED', null],
      ]);
      // two checks before it opened, the failing one and the recovery while it was open, one after
      expect(timeline.entries.filter((e: any) => e.kind === 'CHECK').map((e: any) => e.check)).toEqual([
        { ok: true, httpStatus: 200 },
        { ok: true, httpStatus: 200 },
        { ok: false, httpStatus: 503 },
        { ok: true, httpStatus: 200 },
        { ok: true, httpStatus: 200 },
      ]);
      expect(timeline.omittedChecks).toBe(0);
      const attempts = timeline.entries.filter((e: any) => e.kind === 'WEBHOOK_ATTEMPT');
      expect(attempts.map((e: any) => e.webhook.event).sort()).toEqual(['incident.acknowledged', 'incident.opened', 'incident.resolved']);
      expect(attempts.every((e: any) => e.attempt.httpStatus === 202 && e.attempt.responseBody === 'queued, thanks' && e.attempt.durationMs >= 0)).toBe(true);

      const trimmed = (await t.gql(TIMELINE, { id: incidentId, max: 1 }, member)).data.incident.timeline;
      expect(trimmed.omittedChecks).toBe(1);
      expect(trimmed.entries.filter((e: any) => e.kind === 'CHECK')).toHaveLength(4);
    } finally {
      await target.close();
    }
  });

  it('filters: status, monitor, time range', async () => {
    const { token } = await t.signUp('filters');
    const one = await startSite({ status: 500 });
    const two = await startSite({ status: 500 });
    try {
      const a = await watchedMonitor(token, one.url);
      const b = await watchedMonitor(token, two.url);
      await t.gql(RUN, { id: a.id }, token);
      await t.gql(RUN, { id: b.id }, token);
      one.behaviour.status = 200;
      await t.gql(RUN, { id: a.id }, token);
      const list = async (args: string) =>
        (await t.gql(`{ incidents(${args}) { edges { node { status monitor { id } } } } }`, {}, token)).data.incidents.edges.map((e: any) => [e.node.monitor.id, e.node.status]);
      expect(await list(`monitorId: "${a.id}"`)).toEqual([[a.id, 'RESOLVED']]);
      expect(await list('statuses: [OPEN, ACKNOWLEDGED]')).toEqual([[b.id, 'OPEN']]);
      expect(await list('status: RESOLVED')).toEqual([[a.id, 'RESOLVED']]);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const past = new Date(Date.now() - 3_600_000).toISOString();
      // still open at a later time: only the open one; opened before an hour ago: none
      expect(await list(`from: "${future}"`)).toEqual([[b.id, 'OPEN']]);
      expect(await list(`to: "${past}"`)).toEqual([]);
      expect((await list(`from: "${past}", to: "${future}"`)).length).toBe(2);
      const bad = await t.gql(`{ incidents(from: "${future}", to: "${past}") { edges { cursor } } }`, {}, token);
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('notification targets', () => {
  it('send test: the receiver gets a test event, the answer comes back and lands in the delivery log', async () => {
    const { token } = await t.signUp('send-test');
    const failing = await startSite({ status: 500, body: '{"error":"invalid_token"}' });
    try {
      const ok = await t.gql(`mutation { sendTestWebhook(url: "${receiver.url}") { event test status url attempts { httpStatus responseBody } } }`, {}, token);
      expect(ok.data.sendTestWebhook).toEqual({ event: 'test', test: true, status: 'DELIVERED', url: receiver.url, attempts: [{ httpStatus: 202, responseBody: 'queued, thanks' }] });
      expect(JSON.parse(receiver.hits.at(-1)!.body)).toMatchObject({ event: 'test', rule: null });

      const { id, ruleId } = await watchedMonitor(token, site.url, [receiver.url, failing.url]);
      const tested = await t.gql(`mutation { testAlertRuleWebhooks(id: "${ruleId}") { url status attempts { httpStatus responseBody } } }`, {}, token);
      expect(tested.data.testAlertRuleWebhooks).toEqual([
        { url: receiver.url, status: 'DELIVERED', attempts: [{ httpStatus: 202, responseBody: 'queued, thanks' }] },
        { url: failing.url, status: 'FAILED', attempts: [{ httpStatus: 500, responseBody: '{"error":"invalid_token"}' }] },
      ]);
      expect(JSON.parse(failing.hits.at(-1)!.body)).toMatchObject({ event: 'test', rule: { id: ruleId, name: 'down' } });

      const refused = await t.gql('mutation { sendTestWebhook(url: "http://169.254.169.254/latest") { status } }', {}, token);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });

      // the log: newest first, by rule, paged by cursor
      const LOG = 'query ($rule: ID, $after: String) { webhookDeliveries(ruleId: $rule, first: 1, after: $after) { edges { cursor node { url test ruleId } } pageInfo { hasNextPage endCursor } } }';
      const first = (await t.gql(LOG, { rule: ruleId }, token)).data.webhookDeliveries;
      expect(first.edges.map((e: any) => e.node)).toEqual([{ url: failing.url, test: true, ruleId }]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = (await t.gql(LOG, { rule: ruleId, after: first.pageInfo.endCursor }, token)).data.webhookDeliveries;
      expect(second.edges.map((e: any) => e.node.url)).toEqual([receiver.url]);
      expect(second.pageInfo.hasNextPage).toBe(false);
      const all = (await t.gql('{ webhookDeliveries { edges { node { test ruleId } } } }', {}, token)).data.webhookDeliveries.edges;
      expect(all).toHaveLength(3);
      void id;
    } finally {
      await failing.close();
    }
  });

  it('send test is rate-limited per caller, with a retry hint', async () => {
    const { token } = await t.signUp('test-limit');
    const results = await Promise.all(Array.from({ length: 12 }, () => t.gql(`mutation { sendTestWebhook(url: "${receiver.url}") { status } }`, {}, token)));
    const refused = results.filter((r) => codeOf(r) === 'TOO_MANY_REQUESTS');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.errors![0]!.extensions!.retryAfterMs).toBeGreaterThan(0);
    expect(results.filter((r) => r.data?.sendTestWebhook?.status === 'DELIVERED').length).toBeGreaterThanOrEqual(5);
  });
});

describe('tenancy and least privilege', () => {
  it('tenant B, a VIEWER and a narrow service token cannot read or act on tenant A’s incidents and webhooks', async () => {
    const a = await t.signUp('inc-a');
    const b = await t.signUp('inc-b');
    const target = await startSite({ status: 500 });
    try {
      const { ruleId, id } = await watchedMonitor(a.token, target.url, [receiver.url]);
      await t.gql(RUN, { id }, a.token);
      const incidentId = (await t.gql('{ incidents { edges { node { id } } } }', {}, a.token)).data.incidents.edges[0].node.id;
      await t.gql(`mutation { addIncidentNote(id: "${incidentId}", body: "secret plan") { kind } }`, {}, a.token);

      const bClient = sseClient(t.url, b.token, true);
      const aClient = sseClient(t.url, a.token, true);
      const STREAM = 'subscription ($id: ID) { incidents(incidentId: $id, after: "0") { kind note } }';
      const spy = subscribe(bClient, STREAM, { id: incidentId });
      // A's own stream is the control: once A has the note live, B would have had it too
      const control = subscribe(aClient, STREAM, { id: incidentId });
      await control.waitFor(2);
      expect((await t.gql(`{ incident(id: "${incidentId}") { id } }`, {}, b.token)).data.incident).toBeNull();
      expect((await t.gql(`{ incidents(monitorId: "${id}") { edges { cursor } } }`, {}, b.token)).data.incidents.edges).toEqual([]);
      expect((await t.gql('{ webhookDeliveries { edges { cursor } } }', {}, b.token)).data.webhookDeliveries.edges).toEqual([]);
      expect((await t.gql(`{ webhookDeliveries(incidentId: "${incidentId}") { edges { cursor } } }`, {}, b.token)).data.webhookDeliveries.edges).toEqual([]);
      expect(codeOf(await t.gql(`mutation { addIncidentNote(id: "${incidentId}", body: "x") { kind } }`, {}, b.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(`mutation { testAlertRuleWebhooks(id: "${ruleId}") { status } }`, {}, b.token))).toBe('NOT_FOUND');
      await t.gql(`mutation { addIncidentNote(id: "${incidentId}", body: "second secret") { kind } }`, {}, a.token);
      await control.waitFor(3);
      // B's stream of A's incident id: nothing stored, nothing live
      expect(spy.results).toEqual([]);
      bClient.dispose();
      aClient.dispose();

      const viewer = await addMember(t, a.token, 'VIEWER');
      expect(codeOf(await t.gql(`mutation { addIncidentNote(id: "${incidentId}", body: "x") { kind } }`, {}, viewer))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(`mutation { sendTestWebhook(url: "${receiver.url}") { status } }`, {}, viewer))).toBe('FORBIDDEN');
      // a VIEWER reads the timeline
      expect((await t.gql(`{ incident(id: "${incidentId}") { timeline { entries { kind } } } }`, {}, viewer)).data.incident.timeline.entries.length).toBeGreaterThan(0);

      const narrow = await addServiceToken(t, a.token, ['etl:*']);
      expect(codeOf(await t.gql('{ webhookDeliveries { edges { cursor } } }', {}, narrow))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(`mutation { addIncidentNote(id: "${incidentId}", body: "x") { kind } }`, {}, narrow))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(`mutation { testAlertRuleWebhooks(id: "${ruleId}") { status } }`, {}, narrow))).toBe('FORBIDDEN');
    } finally {
      await target.close();
    }
  });
});
