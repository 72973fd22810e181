import { createClient } from 'graphql-sse';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/app.js';
import { openRaw, until } from './support/raw-http.js';
import { createTestBus, createTestStore } from './support/services.js';
import { readFrames, sseClient, subscribe } from './support/sse.js';

const PUBLISH = 'mutation ($channel: String!, $m: [LogEntryInput!]!) { publishLogs(channel: $channel, entries: $m) { cursors } }';
const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ level: 'INFO', message: `${prefix} ${i + 1}` }));

/** The `id:` and message of every frame in raw SSE text. */
function framesOf(text: string): { id?: string; event: string; data: any }[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line && !line.startsWith(':')))
    .filter((fields) => fields.some((f) => f.startsWith('event:')))
    .map((fields) => {
      const value = (name: string) => fields.find((f) => f.startsWith(`${name}:`))?.slice(name.length + 1).trim();
      const data = value('data');
      return { id: value('id'), event: value('event')!, data: data ? JSON.parse(data) : null };
    });
}

describe('SSE-native resume: id: and Last-Event-ID', () => {
  it('durable frames carry their cursor as id:, and a reader reconnecting with Last-Event-ID gets exactly what followed, on every way in', async () => {
    const t = await startApp();
    try {
      const admin = await t.signUp('resume');
      const { cursors } = (await t.gql(PUBLISH, { channel: 'r', m: lines('first', 5) }, admin.token)).data.publishLogs;
      const query = 'subscription { logs(channel: "r", after: "0") { message } }';
      const auth = { authorization: `Bearer ${admin.token}` };

      // an EventSource's first connection: GET with the operation in the query string
      const get = await fetch(`${t.url}/graphql/stream?${new URLSearchParams({ query })}`, { headers: { accept: 'text/event-stream', ...auth } });
      const firstFrames = framesOf(await readFrames(get, (text) => text.includes('first 5')));
      expect(firstFrames.map((f) => f.id)).toEqual(cursors);
      expect(firstFrames.map((f) => f.data.data.logs.message)).toEqual(lines('first', 5).map((l) => l.message));

      await t.gql(PUBLISH, { channel: 'r', m: lines('second', 3) }, admin.token);
      // it reconnects with the id of the last frame it saw (here the third): the rest follows, once
      for (const [path, init] of [
        [`/graphql/stream?${new URLSearchParams({ query })}`, { method: 'GET' }],
        ['/graphql/stream', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }],
        [`/graphql?${new URLSearchParams({ query })}`, { method: 'GET' }],
      ] as const) {
        const response = await fetch(`${t.url}${path}`, { ...init, headers: { accept: 'text/event-stream', 'last-event-id': cursors[2], ...auth, ...('headers' in init ? init.headers : {}) } });
        const frames = framesOf(await readFrames(response, (text) => text.includes('second 3')));
        expect(frames.map((f) => f.data.data.logs.message), path).toEqual(['first 4', 'first 5', 'second 1', 'second 2', 'second 3']);
        expect(new Set(frames.map((f) => f.id)).size).toBe(5);
      }

      // a Last-Event-ID that is not a cursor is refused clearly
      const bad = await fetch(`${t.url}/graphql/stream?${new URLSearchParams({ query })}`, { headers: { accept: 'text/event-stream', 'last-event-id': 'nope', ...auth } });
      const [refusal] = framesOf(await readFrames(bad, (text) => text.includes('complete')));
      expect(refusal!.data.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Last-Event-ID' });
    } finally {
      await t.close();
    }
  }, 60_000);

  it('incidents and ticket events carry ids too; presence events do not', async () => {
    const t = await startApp({ config: { typingTtlMs: 60_000 } });
    try {
      const admin = await t.signUp('ids');
      const ticket = (await t.gql('mutation { createTicket(input: {subject: "s", body: "b", customerName: "C", customerEmail: "c@example.com"}) { id } }', {}, admin.token)).data.createTicket.id;
      const query = `subscription { ticketEvents(ticketId: "${ticket}", after: "0") { cursor kind } }`;
      const response = await fetch(`${t.url}/graphql/stream?${new URLSearchParams({ query })}`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${admin.token}` } });
      const frames = framesOf(await readFrames(response, (text) => text.includes('CREATED') && text.includes('VIEWING')));
      const created = frames.find((f) => f.data.data.ticketEvents.kind === 'CREATED')!;
      expect(created.id).toBe(created.data.data.ticketEvents.cursor);
      const viewing = frames.find((f) => f.data.data.ticketEvents.kind === 'VIEWING')!;
      expect(viewing.id).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('drain', () => {
  it('a raw reader sees SHUTTING_DOWN with a retry hint as the last event, never a complete; single-connection operations each get theirs', async () => {
    const store = await createTestStore();
    const bus = createTestBus();
    const t = await startApp({ store, bus });
    try {
      const admin = await t.signUp('drain');
      const auth = { Authorization: `Bearer ${admin.token}` };
      const body = JSON.stringify({ query: 'subscription { logs(channel: "d") { message } }' });
      const distinct = openRaw(t.url, { method: 'POST', path: '/graphql/stream', headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', ...auth }, body });
      const token = await (await fetch(`${t.url}/graphql/stream`, { method: 'PUT', headers: auth })).text();
      const single = openRaw(t.url, { method: 'GET', path: '/graphql/stream', headers: { Accept: 'text/event-stream', 'x-graphql-event-stream-token': token, ...auth } });
      for (const id of ['a', 'b']) {
        await fetch(`${t.url}/graphql/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-graphql-event-stream-token': token, ...auth },
          body: JSON.stringify({ query: 'subscription { serviceStatus { kind } }', extensions: { operationId: id } }),
        });
      }
      await until(() => t.app.holdings().subscriptions === 3, 'three subscriptions');

      await t.app.stop(2_000);
      await Promise.all([distinct.closed, single.closed]);
      const last = framesOf(distinct.text().slice(distinct.text().indexOf('\r\n\r\n'))).at(-1)!;
      expect(last.event).toBe('next');
      expect(last.data.errors[0].extensions).toEqual({ code: 'SHUTTING_DOWN', retryAfterMs: 1000 });
      expect(distinct.text()).toContain('retry: 1000');
      expect(distinct.text()).not.toContain('event: complete');
      const singleFrames = framesOf(single.text().slice(single.text().indexOf('\r\n\r\n')));
      const shutdowns = singleFrames.filter((f) => f.data?.payload?.errors?.[0]?.extensions?.code === 'SHUTTING_DOWN').map((f) => f.data.id);
      expect(shutdowns.sort()).toEqual(['a', 'b']);
      expect(single.text()).not.toContain('event: complete');
    } finally {
      await t.close();
      await bus.close();
      await store.close();
    }
  });

  it.each([false, true])('the graphql-sse client (singleConnection=%s) is told, reconnects to the next instance and resumes by cursor, never completing', async (singleConnection) => {
    const store = await createTestStore();
    const bus = createTestBus();
    const first = await startApp({ store, bus });
    let second: Awaited<ReturnType<typeof startApp>> | undefined;
    try {
      const admin = await first.signUp(`drain-client-${singleConnection}`);
      let current = first.url;
      const variables: { after: string | null } = { after: null };
      const received: string[] = [];
      const shutdowns: unknown[] = [];
      let completed = false;
      const client = createClient({
        url: () => `${current}/graphql/stream`,
        singleConnection,
        headers: () => ({ authorization: `Bearer ${admin.token}` }),
        retryAttempts: 50,
        retry: () => new Promise((r) => setTimeout(r, 100)),
      });
      client.subscribe<any>(
        { query: 'subscription ($after: String) { logs(channel: "dc", after: $after) { cursor message } }', variables },
        {
          next: (result) => {
            if (result.errors?.[0]?.extensions?.code === 'SHUTTING_DOWN') return void shutdowns.push(result);
            received.push(result.data.logs.message);
            variables.after = result.data.logs.cursor;
          },
          error: () => {},
          complete: () => (completed = true),
        },
      );
      await until(() => first.app.holdings().subscriptions === 1, 'subscribed');
      await first.gql(PUBLISH, { channel: 'dc', m: lines('before', 3) }, admin.token);
      await until(() => received.length === 3, 'the first lines');

      second = await startApp({ store, bus });
      current = second.url;
      await first.app.stop(2_000);
      expect(shutdowns).toHaveLength(1);
      await until(() => second!.app.holdings().subscriptions === 1, 'resubscribed on the second instance');
      await second.gql(PUBLISH, { channel: 'dc', m: lines('after', 3) }, admin.token);
      await until(() => received.length === 6, 'the lines after the drain');
      expect(received).toEqual([...lines('before', 3), ...lines('after', 3)].map((l) => l.message));
      expect(completed).toBe(false);
      client.dispose();
    } finally {
      await first.close();
      await second?.close();
      await bus.close();
      await store.close();
    }
  });
});

describe('nothing lost across a restart', () => {
  it('a subscriber resuming by cursor after the server restarts gets every entry committed meanwhile once', async () => {
    const store = await createTestStore();
    const bus = createTestBus();
    let t = await startApp({ store, bus });
    try {
      const admin = await t.signUp('restart');
      const client = sseClient(t.url, admin.token, false);
      const sub = subscribe(client, 'subscription { logs(channel: "rs") { cursor message } }');
      await until(() => t.app.holdings().subscriptions === 1, 'subscribed');
      await t.gql(PUBLISH, { channel: 'rs', m: lines('a', 2) }, admin.token);
      const lastCursor = (await sub.waitFor(2))[1].data.logs.cursor;
      await t.close();
      // the drain told the subscriber, which would now reconnect
      expect(sub.results.at(-1).errors[0].extensions.code).toBe('SHUTTING_DOWN');
      t = await startApp({ store, bus });
      await t.gql(PUBLISH, { channel: 'rs', m: lines('b', 2) }, admin.token);
      const resumed = subscribe(sseClient(t.url, admin.token, true), 'subscription ($after: String) { logs(channel: "rs", after: $after) { message } }', {
        after: lastCursor,
      });
      expect((await resumed.waitFor(2)).map((r) => r.data.logs.message)).toEqual(['b 1', 'b 2']);
      resumed.dispose();
    } finally {
      await t.close();
      await bus.close();
      await store.close();
    }
  });
});
