import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { addMember, codeOf } from './support/accounts.js';
import { sseClient, subscribe } from './support/sse.js';
import { storeKinds } from './support/services.js';

const REPORT = 'mutation ($k: String!) { reportServiceStatus(input: {key: $k, name: $k, state: RUNNING, intervalSeconds: 60}) { key } }';
const SECRET_HOOK = 'https://hooks.example.com/services/T000/B000/very-secret-token?x=1';

describe.each(storeKinds)('least privilege for service tokens on %s', (storeKind) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let ruleId: string;
  let monitorId: string;
  const token = async (channels: string[], scopes: string[] = []) =>
    (await t.gql('mutation ($c: [String!]!, $s: [ServiceTokenScope!]) { createServiceToken(name: "t", channels: $c, scopes: $s) { secret token { scopes } } }', { c: channels, s: scopes }, owner.token))
      .data.createServiceToken.secret as string;

  beforeAll(async () => {
    t = await startApp({ storeKind, config: { monitorAllowPrivate: true } });
    owner = await t.signUp('scopes');
    for (const key of ['etl:one', 'billing']) await t.gql(REPORT, { k: key }, owner.token);
    await t.gql('mutation { publishLogs(channel: "etl:one", entries: [{level: INFO, message: "a"}]) { count } }', {}, owner.token);
    await t.gql('mutation { publishLogs(channel: "billing", entries: [{level: INFO, message: "b"}]) { count } }', {}, owner.token);
    monitorId = (await t.gql('mutation { createMonitor(input: {name: "api", url: "http://127.0.0.1:9/secret-path"}) { id } }', {}, owner.token)).data.createMonitor.id;
    ruleId = (await t.gql('mutation ($u: [String!]) { createAlertRule(input: {name: "down", kind: DOWN, webhookUrls: $u}) { id } }', { u: [SECRET_HOOK] }, owner.token)).data.createAlertRule.id;
  });
  afterAll(() => t.close());

  it('a token reads only its own channels’ names and services', async () => {
    const etl = await token(['etl:*']);
    expect((await t.gql('{ services { key } }', {}, etl)).data.services).toEqual([{ key: 'etl:one' }]);
    expect((await t.gql('{ logChannels { name } }', {}, etl)).data.logChannels).toEqual([{ name: 'etl:one' }]);
    expect((await t.gql('{ service(key: "etl:one") { key } }', {}, etl)).data.service).toEqual({ key: 'etl:one' });
    for (const query of ['{ service(key: "billing") { key } }', '{ serviceHistory(key: "billing") { state } }', '{ logHistory(channel: "billing") { edges { cursor } } }', '{ logRetention { maxAgeHours } }']) {
      const result = await t.gql(query, {}, etl);
      expect(codeOf(result), query).toBe('FORBIDDEN');
      expect(JSON.stringify(result.data ?? null), query).not.toContain('billing');
    }
    // a person still sees everything
    expect((await t.gql('{ services { key } }', {}, owner.token)).data.services.map((s: any) => s.key).sort()).toEqual(['billing', 'etl:one']);
  });

  it('incidents, monitors and alert rules need a person or an explicit scope', async () => {
    const plain = await token(['*']);
    const incidentsOnly = await token(['etl:*'], ['READ_INCIDENTS']);
    const monitorsOnly = await token(['etl:*'], ['READ_MONITORS']);
    const incidentQueries = ['{ incidents { edges { cursor } } }', `{ incident(id: "${monitorId}") { id } }`];
    const monitorQueries = ['{ monitors { id url } }', `{ monitor(id: "${monitorId}") { id } }`, '{ alertRules { id webhookUrls } }', '{ maintenanceWindows { id } }'];
    for (const query of [...incidentQueries, ...monitorQueries]) expect(codeOf(await t.gql(query, {}, plain)), query).toBe('FORBIDDEN');
    // allowed: an answer, or NOT_FOUND for an id that is no incident — never FORBIDDEN
    for (const query of incidentQueries) expect([undefined, 'NOT_FOUND'], query).toContain(codeOf(await t.gql(query, {}, incidentsOnly)));
    for (const query of monitorQueries) expect(codeOf(await t.gql(query, {}, incidentsOnly)), query).toBe('FORBIDDEN');
    for (const query of monitorQueries) expect(codeOf(await t.gql(query, {}, monitorsOnly)), query).toBeUndefined();
    for (const query of incidentQueries) expect(codeOf(await t.gql(query, {}, monitorsOnly)), query).toBe('FORBIDDEN');
    expect((await t.gql('{ serviceTokens { scopes } }', {}, owner.token)).data.serviceTokens.map((s: any) => s.scopes)).toContainEqual(['READ_INCIDENTS']);

    // the same over a subscription
    for (const query of ['subscription { incidents { cursor } }', 'subscription { monitorChecks { ok } }']) {
      const client = sseClient(t.url, plain, false);
      const refused = subscribe(client, query);
      await refused.done;
      expect(refused.results[0].errors[0].extensions.code, query).toBe('FORBIDDEN');
      client.dispose();
    }
  });

  it('webhook URLs read masked; only an ADMIN may reveal them', async () => {
    const monitorsOnly = await token(['x'], ['READ_MONITORS']);
    const member = await addMember(t, owner.token, 'MEMBER');
    for (const caller of [monitorsOnly, member.token, owner.token]) {
      const rules = (await t.gql('{ alertRules { id webhookUrls } }', {}, caller)).data.alertRules;
      expect(rules.find((r: any) => r.id === ruleId).webhookUrls).toEqual(['https://hooks.example.com/…']);
      const revealed = await t.gql('{ alertRules { webhookUrls(reveal: true) } }', {}, caller);
      if (caller === owner.token) expect(revealed.data.alertRules[0].webhookUrls).toEqual([SECRET_HOOK]);
      else {
        expect(codeOf(revealed)).toBe('FORBIDDEN');
        expect(JSON.stringify(revealed)).not.toContain('very-secret-token');
      }
    }
  });

  it('serviceStatus shows a token only its own services, in the snapshot and after', async () => {
    const etl = await token(['etl:*']);
    const client = sseClient(t.url, etl, false);
    const sub = subscribe(client, 'subscription { serviceStatus { kind key services { key } } }');
    const [snapshot] = await sub.waitFor(1);
    expect(snapshot.data.serviceStatus).toEqual({ kind: 'SNAPSHOT', key: null, services: [{ key: 'etl:one' }] });
    await t.gql(REPORT, { k: 'billing' }, owner.token);
    await t.gql(REPORT, { k: 'etl:two' }, owner.token);
    const [, update] = await sub.waitFor(2);
    expect(update.data.serviceStatus).toEqual({ kind: 'UPDATED', key: 'etl:two', services: [{ key: 'etl:two' }] });
    expect(JSON.stringify(sub.results)).not.toContain('billing');
    client.dispose();
  });
});
