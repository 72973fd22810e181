import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { storedEntries } from './support/client-kit.js';
import { addServiceToken } from './support/people.js';
import { hangUp, until } from './support/raw-http.js';
import { storeKinds } from './support/services.js';

// The fast lane (server/plugins/publish-fast-lane.ts) serves repeated publish calls without
// Yoga's HTTP layer. What a caller sees must not change: every request below is sent, in the
// same order, to an instance with the lane and to one without it, and the answers compared.

const PUBLISH = 'mutation ($c: String!, $e: [LogEntryInput!]!, $k: String) { publishLogs(channel: $c, entries: $e, idempotencyKey: $k) { cursors count } }';
const ALIASED = 'mutation Named($c: String!, $e: [LogEntryInput!]!) { stored: publishLogs(channel: $c, entries: $e) { count __typename } }';
const REPORT = 'mutation ($input: ServiceStatusInput!) { reportServiceStatus(input: $input) { key state stale } }';
const TWO_FIELDS = 'mutation ($c: String!, $e: [LogEntryInput!]!) { a: publishLogs(channel: $c, entries: $e) { count } b: publishLogs(channel: $c, entries: $e) { count } }';

interface Sent {
  body: unknown;
  token: 'admin' | 'narrow' | 'revoked';
  accept?: string;
  contentType?: string;
}

/** What the caller relies on: status, the headers that carry meaning, the body (cursors aside: each instance numbers its own). */
async function answer(t: TestApp, tokens: Record<Sent['token'], string>, { body, token, accept, contentType = 'application/json' }: Sent) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${tokens[token]}`, ...(accept === undefined ? {} : { accept }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const meaningful = ['content-type', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'www-authenticate'];
  return {
    status: response.status,
    headers: Object.fromEntries(meaningful.filter((h) => response.headers.has(h)).map((h) => [h, response.headers.get(h)])),
    // (and the moment of a refusal: each instance's bucket refills on its own clock)
    body: (await response.text()).replace(/"cursors":\[[^\]]*\]/g, '"cursors":[…]').replace(/"(retryAfterMs|remaining)":[\d.]+/g, '"$1":…').replace(/retry in \d+ ms/g, 'retry in … ms'),
  };
}

const line = (message: string, extra: Record<string, unknown> = {}) => ({ level: 'INFO', message, ...extra });

/** Every kind of answer a publisher can meet. */
const SEQUENCE: Sent[] = [
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('first')] } }, token: 'admin' },
  { body: { query: 'mutation { publishLogs(channel: "lane:a", entries: [{level: WARN, message: "inline \\"literals\\""}]) { count } }' }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('an unexpected parameter')] }, extra: 1 }, token: 'admin' },
  { body: { query: `${PUBLISH} ${'# padding '.repeat(10)}`, variables: { c: 'lane:a', e: [line('x')] }, operationName: 7 }, token: 'admin' },
  { body: { query: `mutation { publishLogs(channel: "lane:a", entries: [{level: INFO, message: "x"}]) { count nope } }` }, token: 'admin' },
  // past graphql-armor's limits, which refuse by throwing: 25 aliases, and a document of 5,000 tokens
  { body: { query: `mutation { publishLogs(channel: "lane:a", entries: [{level: INFO, message: "x"}]) { ${Array.from({ length: 25 }, (_, i) => `c${i}: count`).join(' ')} } }` }, token: 'admin' },
  { body: { query: `mutation { publishLogs(channel: "lane:a", entries: [${Array.from({ length: 700 }, () => '{level: INFO, message: "x"}').join(', ')}]) { count } }` }, token: 'admin' },
  ...[
    undefined,
    '',
    '*/*',
    'application/json',
    'application/*',
    'application/graphql-response+json',
    'application/graphql-response+json, application/json;q=0.9',
    'application/json, application/graphql-response+json',
    'application/json;charset=latin1, application/graphql-response+json',
    'application/json, text/event-stream',
    'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
    'multipart/mixed',
    'text/html',
  ].map(
    (accept): Sent => ({ body: { query: PUBLISH, variables: { c: 'lane:a', e: [line(`accept ${accept}`)] } }, token: 'admin', accept }),
  ),
  ...['Application/JSON', 'application/json ; charset=utf-8', 'application/json;charset=utf-8', 'application/graphql+json', 'application/json, text/plain'].map(
    (contentType): Sent => ({ body: { query: PUBLISH, variables: { c: 'lane:a', e: [line(`content type ${contentType}`)] } }, token: 'admin', contentType }),
  ),
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('keyed')], k: 'key-1' } }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('keyed, retried')], k: 'key-1' } }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('year 0', { timestamp: '0000-01-01T00:00:00Z' })] } }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('deep', { fields: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) })] } }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [{ level: 'LOUD', message: 'no such level' }] } }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:a' } }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('x')] }, operationName: 'Other' }, token: 'admin' },
  { body: { query: PUBLISH, variables: 'not an object' }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('x')] }, extensions: { persistedQuery: { version: 1 } } }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:*', e: [line('a pattern is not a channel')] } }, token: 'admin' },
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('within scope')] } }, token: 'narrow' },
  { body: { query: PUBLISH, variables: { c: 'elsewhere:a', e: [line('outside the token’s channels')] } }, token: 'narrow' },
  { body: { query: PUBLISH, variables: { c: 'lane:a', e: [line('revoked')] } }, token: 'revoked' },
  { body: `{"query":${JSON.stringify(PUBLISH)},"variables":{"c":"lane:a","e":[{"level":"INFO","message":"lone \\ud800"}]}}`, token: 'admin' },
  { body: '{"query": "mutation {', token: 'admin' },
  ...[1, 2].flatMap((): Sent[] => [
    { body: { query: ALIASED, variables: { c: 'lane:b', e: [line('aliased')] }, operationName: 'Named' }, token: 'admin' },
    { body: { query: REPORT, variables: { input: { key: 'lane-job', state: 'RUNNING', intervalSeconds: 30 } } }, token: 'admin' },
    { body: { query: REPORT, variables: { input: { key: 'lane-job', state: 'STALE', intervalSeconds: 30 } } }, token: 'admin' },
    { body: { query: REPORT, variables: { input: { key: 'other-job', state: 'RUNNING', intervalSeconds: 30 } } }, token: 'narrow' },
    { body: { query: TWO_FIELDS, variables: { c: 'lane:c', e: [line('two fields: never the lane')] } }, token: 'admin' },
  ]),
];

async function tokensOf(t: TestApp, name: string): Promise<Record<Sent['token'], string> & { tenantId: string }> {
  const admin = await t.signUp(name);
  const narrow = await addServiceToken(t, admin.token, ['lane:*', 'lane-job']);
  const created = await t.gql('mutation { createServiceToken(name: "soon revoked", channels: ["*"]) { secret token { id } } }', {}, admin.token);
  const revoked = created.data.createServiceToken.secret as string;
  // used once while valid, so the credential cache holds it when it is revoked
  await t.gql(PUBLISH, { c: 'lane:warm', e: [line('warm')] }, revoked);
  await t.gql('mutation ($id: ID!) { revokeServiceToken(id: $id) { id } }', { id: created.data.createServiceToken.token.id }, admin.token);
  return { admin: admin.token, narrow, revoked, tenantId: admin.tenantId };
}

describe.each(storeKinds)('the publish fast lane on %s', (storeKind) => {
  let lane: TestApp;
  let yoga: TestApp;
  beforeAll(async () => {
    [lane, yoga] = await Promise.all([startApp({ storeKind }), startApp({ storeKind, config: { publishFastLane: false } })]);
  });
  afterAll(() => Promise.all([lane?.close(), yoga?.close()]));

  it('answers every request exactly as Yoga does — successes, refusals, bad input, other tenants’ tokens — and serves the successes itself', async () => {
    const [laneTokens, yogaTokens] = await Promise.all([tokensOf(lane, `lane-${storeKind}`), tokensOf(yoga, `yoga-${storeKind}`)]);
    const before = lane.app.fastLaneServed();
    for (const sent of SEQUENCE) {
      const [viaLane, viaYoga] = [await answer(lane, laneTokens, sent), await answer(yoga, yogaTokens, sent)];
      expect(viaLane, JSON.stringify(sent).slice(0, 200)).toEqual(viaYoga);
    }
    // every success Yoga would answer with JSON: the first publish, the inline one, 9 of the
    // accepts (not those naming text/event-stream or only multipart or HTML), 3 of the content
    // types (not the ones Yoga refuses, 415), 2 keyed, the lone surrogate (stored as U+FFFD),
    // the narrow token's, and each round's aliased publish and RUNNING report
    expect(lane.app.fastLaneServed() - before).toBe(22);
    expect(yoga.app.fastLaneServed()).toBe(0);
    const stored = async (t: TestApp, tenantId: string) => (await storedEntries(t, tenantId)).map((e) => `${e.channel} ${e.message}`);
    expect(await stored(lane, laneTokens.tenantId)).toEqual(await stored(yoga, yogaTokens.tenantId));
  }, 120_000);

  it('keeps tenants apart: interleaved publishers of two tenants each store only their own lines', async () => {
    const [a, b] = await Promise.all([lane.signUp(`lane-a-${storeKind}`), lane.signUp(`lane-b-${storeKind}`)]);
    const [tokenA, tokenB] = await Promise.all([addServiceToken(lane, a.token, ['*']), addServiceToken(lane, b.token, ['*'])]);
    const before = lane.app.fastLaneServed();
    const calls = Array.from({ length: 40 }, (_, i) => {
      const [token, who] = i % 2 ? [tokenA, 'A'] : [tokenB, 'B'];
      return lane.gql(PUBLISH, { c: 'shared:name', e: [line(`${who} ${i}`)] }, token);
    });
    expect((await Promise.all(calls)).every((r) => r.data?.publishLogs.count === 1)).toBe(true);
    expect(lane.app.fastLaneServed() - before).toBeGreaterThanOrEqual(38);
    const messages = async (tenantId: string) => (await storedEntries(lane, tenantId)).map((e) => e.message.split(' ')[0]);
    expect(new Set(await messages(a.tenantId))).toEqual(new Set(['A']));
    expect(new Set(await messages(b.tenantId))).toEqual(new Set(['B']));
    // and A's token cannot read B's lines through the lane's answers or anywhere else
    const read = await lane.gql('query { logHistory(channel: "shared:name", last: 100) { edges { node { message } } } }', {}, a.token);
    expect(read.data.logHistory.edges.every((e: { node: { message: string } }) => e.node.message.startsWith('A '))).toBe(true);
  }, 60_000);

  it('a chunked body (no Content-Length) is served too; one past the size limit is refused as Yoga refuses it', async () => {
    const chunked = (t: TestApp, token: string, body: string) =>
      fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < body.length; i += 1_000) controller.enqueue(new TextEncoder().encode(body.slice(i, i + 1_000)));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const [laneTokens, yogaTokens] = await Promise.all([tokensOf(lane, `chunked-lane-${storeKind}`), tokensOf(yoga, `chunked-yoga-${storeKind}`)]);
    const ok = JSON.stringify({ query: PUBLISH, variables: { c: 'lane:chunked', e: [line('sent in chunks')] } });
    const served = lane.app.fastLaneServed();
    const answered = await chunked(lane, laneTokens.admin, ok);
    expect(await answered.json()).toEqual({ data: { publishLogs: { cursors: [expect.any(String)], count: 1 } } });
    expect(lane.app.fastLaneServed()).toBe(served + 1);
    const huge = JSON.stringify({ query: PUBLISH, variables: { c: 'lane:chunked', e: [line('x'.repeat(1_100_000))] } });
    const [viaLane, viaYoga] = [await chunked(lane, laneTokens.admin, huge), await chunked(yoga, yogaTokens.admin, huge)];
    expect(viaLane.status).toBe(413);
    expect({ status: viaLane.status, body: await viaLane.text() }).toEqual({ status: viaYoga.status, body: await viaYoga.text() });
    expect((await storedEntries(lane, laneTokens.tenantId)).filter((e) => e.channel === 'lane:chunked')).toHaveLength(1);
  }, 60_000);

  it('a client hanging up mid-body stores nothing and leaves the lane serving', async () => {
    const admin = await lane.signUp(`lane-hangup-${storeKind}`);
    const token = await addServiceToken(lane, admin.token, ['*']);
    await lane.gql(PUBLISH, { c: 'hangup:a', e: [line('learned')] }, token);
    const body = JSON.stringify({ query: PUBLISH, variables: { c: 'hangup:a', e: [line('never complete')] } });
    const request = { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body };
    await Promise.all(Array.from({ length: 20 }, (_, i) => hangUp(lane.url, request, i % 4, { partial: true })));
    const served = lane.app.fastLaneServed();
    await until(async () => (await lane.gql(PUBLISH, { c: 'hangup:a', e: [line('after')] }, token)).data?.publishLogs.count === 1, 'a publish after the hang-ups');
    expect(lane.app.fastLaneServed()).toBeGreaterThan(served);
    expect((await storedEntries(lane, admin.tenantId)).map((e) => e.message)).toEqual(['learned', 'after']);
  }, 60_000);
});

describe('the publish fast lane under small budgets', () => {
  it('a refusal past a budget is the same 429 with Retry-After and RateLimit-* headers, and stores nothing', async () => {
    const config = { publishTokenEntriesPerSecond: 5, publishBurstSeconds: 1 };
    const [lane, yoga] = await Promise.all([startApp({ config }), startApp({ config: { ...config, publishFastLane: false } })]);
    try {
      const [laneTokens, yogaTokens] = await Promise.all([tokensOf(lane, 'budget-lane'), tokensOf(yoga, 'budget-yoga')]);
      const call: Sent = { body: { query: PUBLISH, variables: { c: 'lane:budget', e: Array.from({ length: 4 }, (_, i) => line(`line ${i}`)) } }, token: 'narrow' };
      const laneAnswers: Awaited<ReturnType<typeof answer>>[] = [];
      const yogaAnswers: Awaited<ReturnType<typeof answer>>[] = [];
      for (let i = 0; i < 3; i++) laneAnswers.push(await answer(lane, laneTokens, call));
      for (let i = 0; i < 3; i++) yogaAnswers.push(await answer(yoga, yogaTokens, call));
      expect(laneAnswers.map((a) => a.status)).toEqual([200, 429, 429]);
      expect(laneAnswers[1]!.headers['retry-after']).toBeDefined();
      expect(laneAnswers[1]!.headers['ratelimit-limit']).toBe('5');
      expect(laneAnswers.map((a) => a.status)).toEqual(yogaAnswers.map((a) => a.status));
      expect(laneAnswers[2]!.body).toEqual(yogaAnswers[2]!.body);
      expect((await storedEntries(lane, laneTokens.tenantId)).filter((e) => e.channel === 'lane:budget')).toHaveLength(4);
    } finally {
      await Promise.all([lane.close(), yoga.close()]);
    }
  }, 60_000);
});
