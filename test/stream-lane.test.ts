import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { startApp, type TestApp } from './support/app.js';
import { createTestBus, createTestStore } from './support/services.js';
import { hangUp, until } from './support/raw-http.js';

// The stream lane (server/sse/stream-lane.ts) serves distinct-mode `logs` streams without
// Yoga's per-request layers. What a subscriber sees must not change: every case below is run,
// in the same order, against an instance with the lane and one without it, and the raw answers
// (status, content type, every frame) compared.

const PUBLISH = 'mutation ($c: String!, $e: [LogEntryInput!]!) { publishLogs(channel: $c, entries: $e) { cursors } }';
const LOGS = 'subscription ($c: String!, $after: String, $min: LogLevel) { logs(channel: $c, after: $after, minLevel: $min) { cursor channel level message fields } }';

interface Instance {
  t: TestApp;
  admin: string;
  /** a service token for `lane:a` and `lane:b*` only */
  narrow: string;
  narrowId: string;
  /** cursors of what was published, in order */
  cursors: string[];
}

async function instance(streamLane: boolean, config: Record<string, unknown> = {}): Promise<Instance> {
  const t = await startApp({ config: { streamLane, ...config } });
  const { token: admin } = await t.signUp('lane');
  const created = await t.gql('mutation { createServiceToken(name: "narrow", channels: ["lane:a", "lane:b*"]) { secret token { id } } }', {}, admin);
  return { t, admin, narrow: created.data.createServiceToken.secret, narrowId: created.data.createServiceToken.token.id, cursors: [] };
}

async function publish(i: Instance, channel: string, entries: Record<string, unknown>[]) {
  const result = await i.t.gql(PUBLISH, { c: channel, e: entries }, i.admin);
  expect(result.errors).toBeUndefined();
  i.cursors.push(...result.data.publishLogs.cursors);
}

interface Case {
  name: string;
  token: 'admin' | 'narrow' | 'garbage';
  body: (i: Instance) => unknown;
  headers?: (i: Instance) => Record<string, string>;
  path?: string;
  /** what happens once the stream is open (live cases): publishes */
  then?: (i: Instance) => Promise<void>;
  /** frames to wait for (a stream that does not end by itself) */
  frames?: number;
}

/** The raw answer: status, content type, and the body up to `frames` events or its end. */
async function answer(i: Instance, c: Case): Promise<{ status: number; contentType: string | null; retryAfter: string | null; body: string }> {
  const token = c.token === 'admin' ? i.admin : c.token === 'narrow' ? i.narrow : 'not-a-token';
  const controller = new AbortController();
  const response = await fetch(`${i.t.url}${c.path ?? '/graphql/stream'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}`, ...c.headers?.(i) },
    body: JSON.stringify(c.body(i)),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let body = '';
  const events = () => body.split('event: next').length - 1;
  const published = c.then?.(i);
  const deadline = Date.now() + 10_000;
  try {
    while (Date.now() < deadline && !(c.frames !== undefined && events() >= c.frames)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      body += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    controller.abort();
  }
  await published;
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    // keep-alive comments come when they come
    body: body.replace(/^:\n\n/gm, ''),
  };
}

const CASES: Case[] = [
  {
    name: 'live entries',
    token: 'admin',
    body: () => ({ query: LOGS, variables: { c: 'lane:a' } }),
    then: (i) => publish(i, 'lane:a', [{ level: 'INFO', message: 'one' }, { level: 'WARN', message: 'two', fields: { n: 2 } }]),
    frames: 2,
  },
  {
    name: 'replay after a cursor, then live',
    token: 'admin',
    body: (i) => ({ query: LOGS, variables: { c: 'lane:a', after: i.cursors[0] } }),
    then: (i) => publish(i, 'lane:a', [{ level: 'ERROR', message: 'three' }]),
    frames: 2,
  },
  {
    name: 'Last-Event-ID',
    token: 'admin',
    body: () => ({ query: LOGS, variables: { c: 'lane:a' } }),
    headers: (i) => ({ 'last-event-id': i.cursors[1]! }),
    frames: 1,
  },
  {
    name: 'a pattern, a level, aliases, __typename and a named operation',
    token: 'narrow',
    body: () => ({
      query: 'subscription Watch { entry: logs(channel: "lane:b*", minLevel: WARN) { __typename at: cursor message } }',
      operationName: 'Watch',
    }),
    then: (i) => publish(i, 'lane:bx', [{ level: 'INFO', message: 'filtered out' }, { level: 'ERROR', message: 'kept' }]),
    frames: 1,
  },
  { name: 'on /graphql', token: 'admin', path: '/graphql', body: (i) => ({ query: LOGS, variables: { c: 'lane:a', after: i.cursors[1] } }), frames: 1 },
  { name: 'a channel outside the token', token: 'narrow', body: () => ({ query: LOGS, variables: { c: 'other' } }) },
  { name: 'a cursor that is not one', token: 'admin', body: () => ({ query: LOGS, variables: { c: 'lane:a', after: 'zzz' } }) },
  { name: 'a cursor ahead of the stream', token: 'admin', body: () => ({ query: LOGS, variables: { c: 'lane:a', after: '999999' } }) },
  { name: 'variables that do not coerce', token: 'admin', body: () => ({ query: LOGS, variables: { c: 5 } }) },
  { name: 'a missing variable', token: 'admin', body: () => ({ query: LOGS }) },
  { name: 'an unknown field', token: 'admin', body: () => ({ query: 'subscription { logs(channel: "lane:a") { nope } }' }) },
  { name: 'a syntax error', token: 'admin', body: () => ({ query: 'subscription { logs(' }) },
  { name: 'an operation name that is not there', token: 'admin', body: () => ({ query: LOGS, variables: { c: 'lane:a' }, operationName: 'Other' }) },
  { name: 'a refused credential', token: 'garbage', body: () => ({ query: LOGS, variables: { c: 'lane:a' } }) },
  { name: 'not JSON', token: 'admin', body: () => '{"query": ' },
];

describe('the stream lane', () => {
  let lane: Instance;
  let yoga: Instance;
  beforeAll(async () => {
    [lane, yoga] = await Promise.all([instance(true), instance(false)]);
  });
  afterAll(async () => {
    await Promise.all([lane?.t.close(), yoga?.t.close()]);
  });

  it('answers every case as Yoga does, frame for frame', async () => {
    for (const c of CASES) {
      const [a, b] = [await answer(lane, c), await answer(yoga, c)];
      expect({ case: c.name, ...a }).toEqual({ case: c.name, ...b });
    }
    expect(lane.t.app.streamLaneServed()).toBeGreaterThanOrEqual(5);
    expect(yoga.t.app.streamLaneServed()).toBe(0);
    // and nothing is left behind by the cases that ended or were left
    for (const { t } of [lane, yoga]) await until(() => t.app.holdings().subscriptions === 0 && t.app.openStreams() === 0, 'every stream released');
  }, 60_000);

  it('ends a stream whose token is revoked with its last event and a complete, as Yoga does', async () => {
    const transcripts = await Promise.all(
      [lane, yoga].map((i) =>
        answer(i, {
          name: 'revoked',
          token: 'narrow',
          body: () => ({ query: LOGS, variables: { c: 'lane:a' } }),
          then: async () => {
            await until(() => i.t.app.holdings().subscriptions === 1, 'the subscription');
            await i.t.gql('mutation ($id: ID!) { revokeServiceToken(id: $id) { id } }', { id: i.narrowId }, i.admin);
          },
        }),
      ),
    );
    expect(transcripts[0]).toEqual(transcripts[1]);
    expect(transcripts[0]!.body).toContain('UNAUTHENTICATED');
    expect(transcripts[0]!.body).toMatch(/event: complete\n/);
  }, 30_000);

  it('keeps tenants apart: a tenant with the same channel name sees none of another tenant’s entries', async () => {
    const { token: other } = await lane.t.signUp('other');
    const controller = new AbortController();
    const response = await fetch(`${lane.t.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${other}` },
      body: JSON.stringify({ query: LOGS, variables: { c: 'lane:*', after: '0' } }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let body = '';
    const reading = (async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) body += new TextDecoder().decode(chunk.value);
    })().catch((error: Error) => {
      // the abort below ends the read; anything else fails the test
      if (error.name !== 'AbortError') throw error;
    });
    await until(() => lane.t.app.holdings().subscriptions === 1, 'the other tenant’s subscription');
    await publish(lane, 'lane:a', [{ level: 'INFO', message: 'tenant A only' }]);
    await lane.t.gql(PUBLISH, { c: 'lane:a', e: [{ level: 'INFO', message: 'tenant B' }] }, other);
    await until(() => body.includes('tenant B'), 'the other tenant’s own entry');
    controller.abort();
    await reading;
    expect(body).not.toContain('tenant A only');
    expect(body.split('event: next').length - 1).toBe(1);
  }, 30_000);

  it('refuses a caller past its stream cap with the same 429 as Yoga', async () => {
    const capped = await Promise.all([instance(true, { maxStreamsPerCaller: 1 }), instance(false, { maxStreamsPerCaller: 1 })]);
    try {
      const answers = [];
      for (const i of capped) {
        const open = new AbortController();
        const first = await fetch(`${i.t.url}/graphql/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${i.admin}` },
          body: JSON.stringify({ query: LOGS, variables: { c: 'lane:a' } }),
          signal: open.signal,
        });
        expect(first.status).toBe(200);
        await until(() => i.t.app.holdings().subscriptions === 1, 'the first stream');
        answers.push(await answer(i, { name: 'second', token: 'admin', body: () => ({ query: LOGS, variables: { c: 'lane:a' } }) }));
        open.abort();
      }
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0]!.status).toBe(429);
      // as every 429: when to try again, in the header and the body
      expect(answers[0]!.retryAfter).toBe('5');
      expect(JSON.parse(answers[0]!.body).errors[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterMs: 5000 });
    } finally {
      await Promise.all(capped.map((i) => i.t.close()));
    }
  }, 30_000);

  it('a client hanging up at any moment of setup leaves nothing behind', async () => {
    const body = JSON.stringify({ query: LOGS, variables: { c: 'lane:a', after: lane.cursors[0] } });
    const request = { method: 'POST', path: '/graphql/stream', headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', Authorization: `Bearer ${lane.admin}` }, body };
    const served = lane.t.app.streamLaneServed();
    await Promise.all([0, 1, 2, 3, 5, 8, 13, 21, 34, 55].flatMap((ms) => [hangUp(lane.t.url, request, ms), hangUp(lane.t.url, request, ms, { partial: true })]));
    await until(() => {
      const held = lane.t.app.holdings();
      return held.subscriptions === 0 && held.openStreams === 0 && held.feeds === 0;
    }, 'every hung-up stream released');
    expect(lane.t.app.streamLaneServed()).toBeGreaterThan(served);
  }, 30_000);

  it('logs a subscriber\'s own mistakes as Yoga does: at debug, never as errors with a stack', async () => {
    const logged = await Promise.all(
      [true, false].map(async (streamLane) => {
        const lines: string[] = [];
        const app = await buildApp({
          config: testConfig({ host: '127.0.0.1', logLevel: 'debug', streamLane }),
          store: await createTestStore(),
          bus: createTestBus(),
          logger: createLogger('debug', (line) => lines.push(line)),
        });
        const { url } = await app.start(0, '127.0.0.1');
        try {
          const token = (
            (await (
              await fetch(`${url}/graphql`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                  query: 'mutation { register(input: {email: "log@example.com", password: "correct horse battery", name: "L", tenantName: "L"}) { token } }',
                }),
              })
            ).json()) as { data: { register: { token: string } } }
          ).data.register.token;
          for (const after of ['zzz', '999999']) {
            const response = await fetch(`${url}/graphql/stream`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
              body: JSON.stringify({ query: LOGS, variables: { c: 'lane:a', after } }),
            });
            expect(await response.text()).toContain('BAD_USER_INPUT');
          }
          return { errors: lines.filter((line) => line.includes('"level":"error"') || line.includes('"level":50')), debug: lines.some((line) => line.includes('Invalid cursor')) };
        } finally {
          await app.stop();
        }
      }),
    );
    expect(logged[0]).toEqual(logged[1]);
    expect(logged[0]!.errors).toEqual([]);
  }, 30_000);
});
