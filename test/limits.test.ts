import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { sseClient, subscribe } from './support/sse.js';

const HEARTBEAT = 'subscription { heartbeat(intervalMs: 60000) }';

let t: TestApp;
beforeAll(async () => {
  t = await startApp({ config: { maxStreamsPerCaller: 2, maxStreamsPerTenant: 3, publishTokenEntriesPerSecond: 5, publishBurstSeconds: 1, maxQueryDepth: 5 } });
});
afterAll(() => t.close());

describe('stream caps', () => {
  it('a caller past its cap, or a tenant past its cap, gets TOO_MANY_REQUESTS with a clear message', async () => {
    const admin = await t.signUp('caps');
    const client = sseClient(t.url, admin.token, true);
    const open = [subscribe(client, HEARTBEAT), subscribe(client, HEARTBEAT)];
    await Promise.all(open.map((s) => s.waitFor(1)));
    const third = subscribe(client, HEARTBEAT);
    await third.done;
    expect(third.results[0].errors[0]).toMatchObject({ message: 'At most 2 concurrent subscriptions per caller', extensions: { code: 'TOO_MANY_REQUESTS' } });

    // another caller of the same tenant fills the tenant's cap of 3
    const svc = (await t.gql('mutation { createServiceToken(name: "s", channels: ["*"]) { secret } }', {}, admin.token)).data.createServiceToken.secret;
    const other = sseClient(t.url, svc, false);
    const fits = subscribe(other, HEARTBEAT);
    await fits.waitFor(1);
    // refused before its first event in distinct connection mode: HTTP 429 (docs/errors.md)
    const over = subscribe(other, HEARTBEAT);
    const refused = await over.done.then(() => undefined, (error: { response: Response }) => error.response);
    expect(refused?.status).toBe(429);
    expect((await refused!.json()).errors[0]).toMatchObject({ message: 'At most 3 concurrent subscriptions per tenant', extensions: { code: 'TOO_MANY_REQUESTS' } });

    // closing one frees a place
    open[0]!.dispose();
    await new Promise((r) => setTimeout(r, 300));
    const again = subscribe(other, HEARTBEAT);
    await again.waitFor(1);
    expect(again.results[0].data.heartbeat).toBeTruthy();
    client.dispose();
    other.dispose();
  });
});

describe('publish budget', () => {
  it('a token publishing more entries per second than its budget gets TOO_MANY_REQUESTS and nothing is stored for that call', async () => {
    const admin = await t.signUp('rate');
    const svc = (await t.gql('mutation { createServiceToken(name: "s", channels: ["*"]) { secret } }', {}, admin.token)).data.createServiceToken.secret;
    const results = [];
    for (let i = 0; i < 14; i++) {
      results.push(await t.gql('mutation ($m: String!) { publishLogs(channel: "fast", entries: [{level: INFO, message: $m}]) { count } }', { m: `n${i}` }, svc));
    }
    const refused = results.filter((r) => r.errors);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.errors![0]).toMatchObject({ extensions: { code: 'TOO_MANY_REQUESTS' } });
    expect(refused[0]!.errors![0]!.message).toMatch(/^Publish budget: at most 5 log entries per second per caller/);
    const stored = await t.gql('{ logHistory(channel: "fast", last: 100) { edges { node { message } } } }', {}, admin.token);
    expect(stored.data.logHistory.edges).toHaveLength(results.length - refused.length);
  });
});

describe('query limits', () => {
  it('refuses deep queries, alias floods and token floods with a clear error, on both endpoints', async () => {
    const { token } = await t.signUp('armor');
    const aliases = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
    const result = await t.gql(aliases, {}, token);
    expect(result.errors?.[0]?.message).toMatch(/aliases/i);
    const deep = '{ tickets { edges { node { messages { edges { node { body } } } } } } }';
    const deepResult = await t.gql(deep, {}, token);
    expect(deepResult.errors?.[0]?.message).toMatch(/depth/i);
    const tokens = `{ ${Array.from({ length: 5_000 }, () => '__typename').join(' ')} }`;
    expect((await t.gql(tokens, {}, token)).errors?.[0]?.message).toMatch(/token/i);

    const response = await fetch(`${t.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: aliases }),
    });
    expect(await response.text()).toMatch(/aliases/i);
  });

  it('the largest page with every field passes the cost limit; three of them at once do not, and the refusal names the limit', async () => {
    const { token } = await t.signUp('cost');
    const page = 'logHistory(channel: "x", last: 1000) { edges { cursor node { cursor channel level message fields timestamp receivedAt } } pageInfo { startCursor endCursor hasPreviousPage hasNextPage } }';
    expect((await t.gql(`{ ${page} }`, {}, token)).errors).toBeUndefined();
    const refused = await t.gql(`{ a: ${page} b: ${page} c: ${page} }`, {}, token);
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Query Cost limit of 100000 exceeded/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('production mode: no introspection for anonymous callers and no field suggestions', async () => {
    const prod = await startApp({ store: t.store, bus: t.bus, config: { production: true } });
    try {
      const { token } = await prod.signUp('prod');
      // signed-in callers may introspect (INTROSPECTION=signed-in, test/production.test.ts)
      const intro = await prod.gql('{ __schema { queryType { name } } }');
      expect(intro.errors?.[0]?.message).toMatch(/introspect/i);
      const typo = await prod.gql('{ viewr { id } }', {}, token);
      expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
      const dev = await t.gql('{ viewr { id } }', {}, token);
      expect(dev.errors?.[0]?.message).toMatch(/Did you mean "viewer"/);
      // nor enum values in a variable that does not coerce; the code and the rest of the message stay
      const LEVEL = 'query ($l: LogLevel) { logHistory(channel: "a", minLevel: $l) { edges { cursor } } }';
      const loud = await prod.gql(LEVEL, { l: 'INF' }, token);
      expect(loud.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(loud.errors?.[0]?.message).toMatch(/"INF"/);
      expect(loud.errors?.[0]?.message).not.toMatch(/Did you mean/);
      // nor enum values written in the document, on either endpoint
      const inline = await prod.gql('{ services(states: [RUNING]) { key } }', {}, token);
      expect(inline.errors?.[0]).toMatchObject({ message: expect.stringMatching(/RUNING/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      expect(inline.errors?.[0]?.message).not.toMatch(/Did you mean/);
      expect((await t.gql('{ services(states: [RUNING]) { key } }', {}, token)).errors?.[0]?.message).toMatch(/Did you mean the enum value "RUNNING"/);
      const streamed = await fetch(`${prod.url}/graphql/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'subscription { logs(channel: "a", minLevel: INF) { cursor } }' }),
      });
      const frames = await streamed.text();
      expect(frames).toMatch(/GRAPHQL_VALIDATION_FAILED/);
      expect(frames).not.toMatch(/Did you mean/);
    } finally {
      await prod.close();
    }
  });
});

describe('CSRF and CORS', () => {
  it('refuses simple cross-site requests on both endpoints; the graphql-sse client is unaffected', async () => {
    for (const path of ['/graphql', '/graphql/stream']) {
      const form = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query={__typename}' });
      expect(form.status, path).toBe(403);
      expect((await form.json()).errors[0].extensions.code).toBe('CSRF_PREVENTED');
      // a GET event stream (a browser's EventSource cannot set headers) passes, but never runs a mutation
      const get = await fetch(`${t.url}${path}?query=${encodeURIComponent('mutation { signOut }')}`, { headers: { accept: 'text/event-stream' } });
      expect(await get.text(), path).not.toContain('"signOut":');
    }
    const { token } = await t.signUp('csrf');
    const client = sseClient(t.url, token, true);
    const sub = subscribe(client, 'subscription { heartbeat(intervalMs: 100) }');
    await sub.waitFor(1);
    client.dispose();
    // GraphiQL still opens
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
  });

  it('answers CORS preflights for configured origins only', async () => {
    const cors = await startApp({ store: t.store, bus: t.bus, config: { corsOrigins: ['https://ops.example.com'] } });
    try {
      const preflight = (origin: string) =>
        fetch(`${cors.url}/graphql`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
        });
      expect((await preflight('https://ops.example.com')).headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
      expect((await preflight('https://evil.example.net')).headers.get('access-control-allow-origin')).not.toBe('https://evil.example.net');
      const none = await fetch(`${t.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://ops.example.com', 'access-control-request-method': 'POST' } });
      expect(none.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await cors.close();
    }
  });
});

describe('metrics', () => {
  it('GET /metrics exposes streams, subscriptions, events and latency; gatewayStats shows the tenant only', async () => {
    const a = await t.signUp('metrics-a');
    const b = await t.signUp('metrics-b');
    const client = sseClient(t.url, a.token, false);
    const sub = subscribe(client, 'subscription { logs(channel: "m") { message } }');
    await new Promise((r) => setTimeout(r, 300));
    await t.gql('mutation { publishLogs(channel: "m", entries: [{level: INFO, message: "x"}, {level: INFO, message: "y"}]) { count } }', {}, a.token);
    await sub.waitFor(2);

    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/^pulseboard_open_streams [1-9]/m);
    expect(text).toMatch(/^pulseboard_active_subscriptions\{field="logs"\} [1-9]/m);
    expect(text).toMatch(/^pulseboard_events_published_total\{topic="logs"\} [1-9]/m);
    expect(text).toMatch(/^pulseboard_events_delivered_total\{field="logs"\} [2-9]/m);
    expect(text).toMatch(/^pulseboard_publish_to_delivery_seconds_count [2-9]/m);
    expect(text).toContain('pulseboard_bus_reconnects_total');
    expect(text).toContain('pulseboard_store_errors_total');

    const STATS = '{ gatewayStats { openStreams eventsPublished eventsDelivered subscriptions { field count } } }';
    const mine = (await t.gql(STATS, {}, a.token)).data.gatewayStats;
    expect(mine).toMatchObject({ openStreams: 1, eventsDelivered: 2, subscriptions: [{ field: 'logs', count: 1 }] });
    expect(mine.eventsPublished).toBeGreaterThanOrEqual(1);
    const theirs = (await t.gql(STATS, {}, b.token)).data.gatewayStats;
    expect(theirs).toEqual({ openStreams: 0, eventsPublished: 0, eventsDelivered: 0, subscriptions: [] });
    client.dispose();
  });
});
