import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { readFrames, sseClient, subscribe } from './support/sse.js';
import { createTestBus, redisUrl } from './support/services.js';

const HEARTBEAT = /* GraphQL */ `subscription ($ms: Int!) { heartbeat(intervalMs: $ms) }`;

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signUp']>>;
beforeAll(async () => {
  t = await startApp();
  admin = await t.signUp('sse');
});
afterAll(() => t.close());

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe.each([false, true])('graphql-sse client, singleConnection=%s', (singleConnection) => {
  it('subscribes with a Bearer header and receives events', async () => {
    const client = sseClient(t.url, admin.token, singleConnection);
    const sub = subscribe(client, HEARTBEAT, { ms: 100 });
    const results = await sub.waitFor(3);
    expect(results.slice(0, 3).every((r) => typeof r.data.heartbeat === 'string')).toBe(true);
    sub.dispose();
    client.dispose();
  });

  it('runs a query and a mutation over the stream endpoint too', async () => {
    const client = sseClient(t.url, admin.token, singleConnection);
    const sub = subscribe(client, '{ viewer { name } }');
    await sub.done;
    expect(sub.results).toEqual([{ data: { viewer: { name: 'sse' } } }]);
    client.dispose();
  });

  it('refuses an anonymous subscription with UNAUTHENTICATED', async () => {
    const client = sseClient(t.url, undefined, singleConnection);
    const sub = subscribe(client, HEARTBEAT, { ms: 100 });
    // 401 in both modes, as on /graphql: the reservation needs a signed-in caller, and so does
    // the operation (docs/errors.md)
    await expect(sub.done).rejects.toMatchObject({ response: { status: 401, statusText: 'Unauthorized' } });
    client.dispose();
  });

  it('ends a stream whose JWT expires with UNAUTHENTICATED', async () => {
    const short = await startApp({ store: t.store, bus: t.bus, config: { jwtTtlSeconds: 3 } });
    try {
      const { token } = await short.signUp('short');
      const client = sseClient(short.url, token, singleConnection);
      const sub = subscribe(client, HEARTBEAT, { ms: 200 });
      await sub.done;
      const last = sub.results.at(-1);
      expect(last.errors[0]).toMatchObject({ message: 'Token expired: renew it and resubscribe from your last cursor', extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' } });
      expect(sub.results.length).toBeGreaterThan(1);
      client.dispose();
    } finally {
      await short.close();
    }
  });
});

describe('errors on the stream endpoint', () => {
  it.each([false, true])('a syntax error is a next event with the real message, never a 500 (production=%s)', async (production) => {
    const app = production ? await startApp({ store: t.store, bus: t.bus, config: { production: true } }) : t;
    try {
      const response = await post(`${app.url}/graphql/stream`, { query: 'subscription { heartbeat(intervalMs: 100 }' }, { authorization: `Bearer ${admin.token}` });
      expect(response.status).toBe(200);
      const text = await readFrames(response, (s) => s.includes('event: complete'));
      expect(text).toMatchInlineSnapshot(`
        ":

        event: next
        data: {"errors":[{"message":"Syntax Error: Expected Name, found \\"}\\".","locations":[{"line":1,"column":42}],"extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]}

        event: complete
        data:

        "
      `);
    } finally {
      if (production) await app.close();
    }
  });

  it('a validation error names the field, and a resolver failure is masked', async () => {
    const response = await post(`${t.url}/graphql/stream`, { query: 'subscription { heartbeat(everyMs: 1) }' }, { authorization: `Bearer ${admin.token}` });
    const text = await readFrames(response, (s) => s.includes('event: complete'));
    expect(text).toContain('Unknown argument \\"everyMs\\" on field \\"Subscription.heartbeat\\"');
    expect(text).not.toMatch(/at .*\.ts:\d+|node_modules|\/work\//);

    const bad = await post(`${t.url}/graphql/stream`, { query: 'subscription { heartbeat(intervalMs: 1) }' }, { authorization: `Bearer ${admin.token}` });
    const badText = await readFrames(bad, (s) => s.includes('event: complete'));
    expect(badText).toContain('"message":"intervalMs must be between 100 and 60000"');
    expect(badText).toContain('"code":"BAD_USER_INPUT"');
  });

  it('malformed JSON, a wrong content type and an oversized body get clear 4xx answers', async () => {
    const auth = { authorization: `Bearer ${admin.token}` };
    const malformed = await post(`${t.url}/graphql/stream`, '{"query": ', auth);
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors[0].message).toBe('The body is not valid JSON');

    const wrongType = await fetch(`${t.url}/graphql/stream`, { method: 'POST', headers: { accept: 'text/event-stream', 'content-type': 'text/plain', ...auth }, body: 'hi' });
    expect(wrongType.status).toBe(415);

    const small = await startApp({ store: t.store, bus: t.bus, config: { maxBodyBytes: 2_048 } });
    try {
      const big = { query: `{ __typename }`, variables: { pad: 'x'.repeat(4_000) } };
      const streamed = await post(`${small.url}/graphql/stream`, big, auth);
      expect(streamed.status).toBe(413);
      const plain = await fetch(`${small.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(big) });
      expect(plain.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

describe('single connection reservations', () => {
  const put = (url: string, headers: Record<string, string> = {}) => fetch(`${url}/graphql/stream`, { method: 'PUT', headers });

  it('are server-chosen, crypto-random and bound to the caller who reserved them', async () => {
    // a token the PUT carries (graphql-sse's static headers object) is ignored, never honoured
    const ignored = await put(t.url, { authorization: `Bearer ${admin.token}`, 'x-graphql-event-stream-token': 'my-own-token' });
    expect(ignored.status).toBe(201);
    expect(await ignored.text()).not.toBe('my-own-token');
    expect((await put(t.url)).status).toBe(401);

    const first = await (await put(t.url, { authorization: `Bearer ${admin.token}` })).text();
    const second = await (await put(t.url, { authorization: `Bearer ${admin.token}` })).text();
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(second).not.toBe(first);

    const other = await t.signUp('intruder');
    const stolen = await fetch(`${t.url}/graphql/stream`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${other.token}`, 'x-graphql-event-stream-token': first },
    });
    expect(stolen.status).toBe(404);
    const anonymous = await fetch(`${t.url}/graphql/stream`, { headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': first } });
    expect(anonymous.status).toBe(404);
  });

  it('are capped per caller and expire when unused', async () => {
    const app = await startApp({ store: t.store, bus: t.bus, config: { sseReservationsPerPrincipal: 3, sseReservationTtlMs: 300 } });
    try {
      const { token } = await app.signUp('capped');
      const auth = { authorization: `Bearer ${token}` };
      const tokens = [];
      for (let i = 0; i < 3; i++) tokens.push(await (await put(app.url, auth)).text());
      const over = await put(app.url, auth);
      expect(over.status).toBe(429);
      // unopened reservations expire: the refusal says when to come back
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await over.json()).errors[0]).toMatchObject({
        message: expect.stringMatching(/^At most 3 open event streams per caller: close one, or retry when an unopened one expires/),
        extensions: { code: 'TOO_MANY_REQUESTS', retryAfterMs: expect.any(Number) },
      });

      // expiry frees the cap (a refused PUT changes nothing, so asking again is the poll)...
      await vi.waitFor(async () => expect((await put(app.url, auth)).status).toBe(201), { timeout: 15_000, interval: 100 });
      // ...and the expired token opens nothing
      const expired = await fetch(`${app.url}/graphql/stream`, { headers: { accept: 'text/event-stream', ...auth, 'x-graphql-event-stream-token': tokens[0]! } });
      expect(expired.status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('stream responses', () => {
  it('carry X-Accel-Buffering: no and keep-alive comments at the configured interval, on both endpoints', async () => {
    const app = await startApp({ store: t.store, bus: t.bus, config: { sseKeepAliveMs: 100 } });
    try {
      const auth = { authorization: `Bearer ${admin.token}` };
      const stream = await post(`${app.url}/graphql/stream`, { query: HEARTBEAT, variables: { ms: 60_000 } }, auth);
      expect(stream.headers.get('x-accel-buffering')).toBe('no');
      const text = await readFrames(stream, (s) => s.split(':\n\n').length > 4, 3_000);
      expect(text.split(':\n\n').length).toBeGreaterThan(4);

      const yogaSse = await post(`${app.url}/graphql`, { query: HEARTBEAT, variables: { ms: 60_000 } }, auth);
      expect(yogaSse.headers.get('content-type')).toContain('text/event-stream');
      expect(yogaSse.headers.get('x-accel-buffering')).toBe('no');
      await yogaSse.body!.cancel();
    } finally {
      await app.close();
    }
  });

  it('refuse a bearer credential in the URL', async () => {
    for (const url of [
      `${t.url}/graphql?access_token=${admin.token}&query={__typename}`,
      `${t.url}/graphql/stream?token=${admin.token}&query={__typename}`,
      `${t.url}/graphql?query={__typename}&jwt=abc`,
    ]) {
      const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
      expect(response.status, url).toBe(400);
      expect((await response.json()).errors[0].message).toContain('Credentials are not accepted in the URL');
    }
  });
});

describe('revoking a service token', () => {
  it('ends that token’s open streams on every instance', async () => {
    const prefix = `pbtest:revoke:${Date.now()}:`;
    const shared = redisUrl ? [createTestBus('redis', prefix), createTestBus('redis', prefix)] : [t.bus, t.bus];
    const one = await startApp({ store: t.store, bus: shared[0] });
    const two = await startApp({ store: t.store, bus: shared[1] });
    try {
      const owner = await one.signUp('revoker');
      const created = await one.gql(
        'mutation { createServiceToken(name: "svc", channels: ["*"]) { secret token { id } } }',
        {},
        owner.token,
      );
      const { secret, token } = created.data.createServiceToken;
      const clients = [sseClient(one.url, secret, true), sseClient(two.url, secret, false)];
      const subs = clients.map((c) => subscribe(c, HEARTBEAT, { ms: 100 }));
      await Promise.all(subs.map((s) => s.waitFor(1)));

      await one.gql('mutation ($id: ID!) { revokeServiceToken(id: $id) { id } }', { id: token.id }, owner.token);
      await Promise.all(subs.map((s) => s.done));
      for (const sub of subs) {
        expect(sub.results.at(-1).errors[0]).toMatchObject({ message: 'Service token revoked', extensions: { code: 'UNAUTHENTICATED' } });
      }
      clients.forEach((c) => c.dispose());
    } finally {
      await one.close();
      await two.close();
      if (redisUrl) await Promise.all(shared.map((b) => b.close()));
    }
  });
});
