import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { subscribe } from './support/sse.js';

// The forms graphql-sse's own README shows, used as a newcomer would: a static headers object
// (which the client writes its reservation token into) and a headers function.
const HEARTBEAT = /* GraphQL */ `subscription ($ms: Int!) { heartbeat(intervalMs: $ms) }`;
const TOKEN_HEADER = 'x-graphql-event-stream-token';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startApp();
  ({ token } = await t.signUp('clients'));
});
afterAll(() => t.close());

const headerStyles = {
  'a static headers object': () => ({ authorization: `Bearer ${token}` }),
  'a headers function': () => () => ({ authorization: `Bearer ${token}` }),
} as const;

const dataOf = (results: any[]) => results.filter((r) => r.data?.heartbeat);

describe.each([false, true])('graphql-sse, singleConnection=%s', (singleConnection) => {
  describe.each(Object.keys(headerStyles) as (keyof typeof headerStyles)[])('with %s', (style) => {
    it('subscribes, disposes and subscribes again on the same client', async () => {
      const headers = headerStyles[style]();
      const client = createClient({ url: `${t.url}/graphql/stream`, singleConnection, headers, retryAttempts: 0 });
      try {
        for (let round = 0; round < 3; round++) {
          const sub = subscribe(client, HEARTBEAT, { ms: 100 });
          await sub.waitFor(2);
          expect(dataOf(sub.results)).toHaveLength(sub.results.length);
          sub.dispose();
          // the client closes its connection once nothing uses it; the next subscribe starts afresh
          await expect.poll(() => t.app.openStreams()).toBe(0);
        }
        if (singleConnection && typeof headers === 'object') {
          // the trap this guards: the client kept a token in the object and sent it with its PUTs
          expect((headers as Record<string, string>)[TOKEN_HEADER]).toMatch(/^[\w-]{43}$/);
        }
        // two at once share the one connection in single connection mode
        const both = [subscribe(client, HEARTBEAT, { ms: 100 }), subscribe(client, HEARTBEAT, { ms: 100 })];
        await Promise.all(both.map((s) => s.waitFor(2)));
        both.forEach((s) => s.dispose());
      } finally {
        client.dispose();
      }
    });

    it('carries on across a server restart', async () => {
      const first = await startApp({ store: t.store, bus: t.bus });
      const port = Number(new URL(first.url).port);
      let second: TestApp | undefined;
      const client = createClient({
        url: `${first.url}/graphql/stream`,
        singleConnection,
        headers: headerStyles[style](),
        retryAttempts: 1_000,
        // reconnect promptly (the client's default backs off for seconds)
        retry: () => new Promise((resolve) => setTimeout(resolve, 50)),
      });
      try {
        const sub = subscribe(client, HEARTBEAT, { ms: 100 });
        await sub.waitFor(2);
        await first.close();
        const before = dataOf(sub.results).length;
        second = await startApp({ store: t.store, bus: t.bus, port });
        await expect.poll(() => dataOf(sub.results).length, { timeout: 15_000 }).toBeGreaterThan(before + 1);
        // only data, or the drain notice a restart may send: never a refusal
        for (const result of sub.results.filter((r) => r.errors)) {
          expect(result.errors[0].extensions.code).toBe('SHUTTING_DOWN');
        }
        sub.dispose();
      } finally {
        client.dispose();
        await second?.close();
      }
    });
  });
});

describe('the stream endpoint answers like the reference server', () => {
  const put = (headers: Record<string, string> = {}) => fetch(`${t.url}/graphql/stream`, { method: 'PUT', headers });

  it('a PUT with a stale or unknown token header still gets a fresh, server-chosen token', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const issued = await (await put(auth)).text();
    for (const carried of [issued, 'my-own-token']) {
      const response = await put({ ...auth, [TOKEN_HEADER]: carried });
      expect(response.status).toBe(201);
      expect(response.statusText).toBe('Created');
      const fresh = await response.text();
      expect(fresh).toMatch(/^[\w-]{43}$/);
      expect(fresh).not.toBe(carried);
    }
    // a client-chosen token is never honoured
    const chosen = await fetch(`${t.url}/graphql/stream`, { headers: { accept: 'text/event-stream', ...auth, [TOKEN_HEADER]: 'my-own-token' } });
    expect(chosen.status).toBe(404);
    await chosen.body?.cancel();
  });

  it('every refusal has a reason phrase and a JSON body with a code', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const cases: [RequestInit & { url?: string }, number, string][] = [
      [{ method: 'PUT' }, 401, 'UNAUTHENTICATED'],
      [{ method: 'PUT', headers: { authorization: 'Bearer nonsense' } }, 401, 'UNAUTHENTICATED'],
      [{ method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' }, 406, 'BAD_REQUEST'],
      [{ method: 'PATCH', headers: { ...auth, accept: 'text/event-stream' } }, 405, 'BAD_REQUEST'],
      [{ method: 'POST', headers: { ...auth, accept: 'text/event-stream', 'content-type': 'text/csv' }, body: 'a,b' }, 415, 'BAD_REQUEST'],
      [{ method: 'POST', headers: { ...auth, accept: 'text/event-stream', 'content-type': 'application/json' }, body: '{' }, 400, 'BAD_REQUEST'],
      [{ method: 'GET', headers: { ...auth, accept: 'text/event-stream', [TOKEN_HEADER]: 'gone' } }, 404, 'STREAM_NOT_FOUND'],
    ];
    for (const [init, status, code] of cases) {
      const response = await fetch(`${t.url}/graphql/stream`, init);
      const label = `${init.method} ${JSON.stringify(init.headers)}`;
      expect(response.status, label).toBe(status);
      expect(response.statusText, label).not.toBe('');
      expect(response.headers.get('content-type'), label).toContain('application/json');
      expect((await response.json()).errors[0].extensions.code, label).toBe(code);
    }
  });

  it('a reservation answers its owner only: to anyone else it does not exist', async () => {
    const issued = await (await put({ authorization: `Bearer ${token}` })).text();
    const other = await t.signUp('other');
    for (const headers of [{ authorization: `Bearer ${other.token}` }, {}] as Record<string, string>[]) {
      const response = await fetch(`${t.url}/graphql/stream`, { headers: { accept: 'text/event-stream', ...headers, [TOKEN_HEADER]: issued } });
      expect(response.status).toBe(404);
      expect((await response.json()).errors[0].extensions.code).toBe('STREAM_NOT_FOUND');
    }
  });
});
