import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { readFrames } from './support/sse.js';

// docs/errors.md is the contract: every code a client can meet, with its status and remedy.
const root = new URL('..', import.meta.url).pathname;
const table = new Set([...readFileSync(join(root, 'docs/errors.md'), 'utf8').matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Codes server code can send: the two unions in errors.ts, and every literal code it writes. */
function codesInServer(): Map<string, string> {
  const found = new Map<string, string>();
  const errors = readFileSync(join(root, 'server/domain/shared/errors.ts'), 'utf8');
  for (const union of errors.matchAll(/export type \w*ErrorCode =([^;]+);/g)) {
    for (const [, code] of union[1]!.matchAll(/'([A-Z_]+)'/g)) found.set(code!, 'server/domain/shared/errors.ts');
  }
  const patterns = [/DomainError\(\s*'([A-Z][A-Z0-9_]*)'/g, /\bcode:\s*'([A-Z][A-Z0-9_]*)'/g, /jsonError\([^;]*?,\s*'([A-Z][A-Z0-9_]*)'\s*\)/g];
  for (const file of sources(join(root, 'server'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const [, code] of text.matchAll(pattern)) found.set(code!, file.slice(root.length));
  }
  return found;
}

describe('docs/errors.md', () => {
  it('lists every code the server code can send', () => {
    const found = codesInServer();
    expect(found.size).toBeGreaterThan(10);
    const missing = [...found].filter(([code]) => !table.has(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing, 'add these to docs/errors.md').toEqual([]);
  });

  it('lists the codes of the shared contracts too', () => {
    for (const code of ['TOO_MANY_REQUESTS', 'SHUTTING_DOWN', 'SLOW_CONSUMER', 'CURSOR_EXPIRED', 'UNAUTHENTICATED']) expect(table).toContain(code);
  });
});

describe('the error contract over HTTP', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['signUp']>>;
  let service: string;
  const seen = new Set<string>();

  beforeAll(async () => {
    t = await startApp({ config: { publishTokenEntriesPerSecond: 1, publishBurstSeconds: 1 } });
    admin = await t.signUp('contract');
    const created = await t.gql('mutation { createServiceToken(name: "svc", channels: ["etl:*"]) { secret } }', {}, admin.token);
    service = created.data.createServiceToken.secret;
  });
  afterAll(() => t.close());

  /** A request to /graphql; every error in the answer must carry a code the table lists. */
  async function ask(body: unknown, { token, accept = 'application/graphql-response+json' }: { token?: string; accept?: string } = {}) {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = await response.json();
    for (const error of json.errors ?? []) {
      expect(error.extensions?.code, JSON.stringify(error)).toBeDefined();
      expect(table, JSON.stringify(error)).toContain(error.extensions.code);
      seen.add(error.extensions.code);
    }
    return { status: response.status, headers: response.headers, body: json, code: json.errors?.[0]?.extensions?.code as string | undefined };
  }

  it('a variable that does not coerce is BAD_USER_INPUT, 400, before anything runs', async () => {
    const result = await ask(
      { query: 'query ($level: LogLevel) { logHistory(channel: "etl:a", minLevel: $level) { edges { cursor } } }', variables: { level: 'LOUD' } },
      { token: admin.token },
    );
    expect(result).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    expect(result.body).not.toHaveProperty('data');
    const missing = await ask({ query: 'query ($c: String!) { logHistory(channel: $c) { edges { cursor } } }' }, { token: admin.token });
    expect(missing).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
  });

  it('parse and validation failures, and the limits checked with them, have their codes', async () => {
    expect(await ask({ query: '{ viewer {' })).toMatchObject({ status: 400, code: 'GRAPHQL_PARSE_FAILED' });
    expect(await ask({ query: '{ viewer {' }, { accept: 'application/json' })).toMatchObject({ status: 200, code: 'GRAPHQL_PARSE_FAILED' });
    expect(await ask({ query: '{ nope }' })).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(await ask({ query: `{ __typename ${'@include(if: true) '.repeat(25)}}` })).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    const deep = `{ tickets { edges { node { messages { edges { node { id } } } assignee { id } customer { name } } } } }`;
    expect((await ask({ query: deep }, { token: admin.token })).status).toBe(200);
    const small = await startApp({ store: t.store, bus: t.bus, config: { maxQueryDepth: 3 } });
    try {
      const response = await fetch(`${small.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({ query: deep }),
      });
      expect(response.status).toBe(400);
      expect((await response.json()).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await small.close();
    }
  });

  it('UNAUTHENTICATED is 401 with no data, whatever the operation touched and however the credential failed', async () => {
    for (const [query, token] of [
      ['{ services { key } }', undefined],
      ['{ viewer { id } ticket(id: "00000000-0000-0000-0000-000000000000") { id } }', undefined],
      ['mutation { createMonitor(input: { name: "x", url: "https://example.com", intervalSeconds: 60 }) { id } }', undefined],
      ['{ services { key } }', 'not-a-token'],
      ['{ viewer { id } }', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ] as const) {
      for (const accept of ['application/json', 'application/graphql-response+json']) {
        const result = await ask({ query }, { token, accept });
        expect(result, `${query} ${token} ${accept}`).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
        expect(result.body).not.toHaveProperty('data');
      }
    }
    const malformed = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(malformed.status).toBe(401);
    expect((await malformed.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a missing object is NOT_FOUND in queries and mutations alike; the query keeps its other fields', async () => {
    const none = '00000000-0000-0000-0000-000000000000';
    const query = await ask({ query: `{ viewer { name } ticket(id: "${none}") { id } monitor(id: "nope") { id } incident(id: "${none}") { id } service(key: "ghost") { key } }` }, { token: admin.token });
    expect(query.status).toBe(200);
    expect(query.body.data).toEqual({ viewer: { name: 'contract' }, ticket: null, monitor: null, incident: null, service: null });
    expect(query.body.errors.map((e: any) => [e.path[0], e.extensions.code]).sort()).toEqual([
      ['incident', 'NOT_FOUND'],
      ['monitor', 'NOT_FOUND'],
      ['service', 'NOT_FOUND'],
      ['ticket', 'NOT_FOUND'],
    ]);
    const mutation = await ask({ query: `mutation { resolveIncident(id: "${none}") { id } }` }, { token: admin.token });
    expect(mutation).toMatchObject({ status: 200, code: 'NOT_FOUND' });
  });

  it('FORBIDDEN is a field error: 200, the field null, the rest answered', async () => {
    const result = await ask({ query: '{ services { key } serviceTokens { id } }' }, { token: service });
    expect(result).toMatchObject({ status: 200, code: 'FORBIDDEN' });
    expect(result.body.errors[0].path).toEqual(['serviceTokens']);
  });

  it('a refused publish is 429 with Retry-After and retryAfterMs', async () => {
    const publish = { query: 'mutation { publishLogs(channel: "etl:rate", entries: [{ level: INFO, message: "x" }]) { count } }' };
    let refused;
    for (let i = 0; i < 5 && !refused; i++) {
      const result = await ask(publish, { token: service });
      if (result.status !== 200) refused = result;
    }
    expect(refused).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused!.body.errors[0].extensions).toMatchObject({ limit: 'token-entries', limitPerSecond: 1 });
    expect(refused!.body.errors[0].extensions.retryAfterMs).toBeGreaterThan(0);
    expect(refused!.headers.get('ratelimit-limit')).toBe('1');
    expect(refused!.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(refused!.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
  });

  it('transport refusals have codes, reason phrases and JSON bodies', async () => {
    const cases: [string, RequestInit, number, string][] = [
      ['/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }, 400, 'BAD_REQUEST'],
      ['/graphql', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<q/>' }, 415, 'BAD_REQUEST'],
      ['/graphql', { method: 'PUT', headers: { authorization: `Bearer ${admin.token}` } }, 405, 'BAD_REQUEST'],
      ['/graphql?query={__typename}', { method: 'GET' }, 403, 'CSRF_PREVENTED'],
      ['/graphql?query={__typename}&access_token=abc', { method: 'GET', headers: { 'x-graphql-yoga-csrf': '1' } }, 400, 'BAD_REQUEST'],
      ['/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(1_100_000) }) }, 413, 'REQUEST_ENTITY_TOO_LARGE'],
      ['/graphql/stream', { method: 'GET', headers: { accept: 'text/event-stream', authorization: `Bearer ${admin.token}`, 'x-graphql-event-stream-token': 'gone' } }, 404, 'STREAM_NOT_FOUND'],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await fetch(`${t.url}${path}`, init);
      expect(response.status, path).toBe(status);
      expect(response.statusText, path).not.toBe('');
      const body = await response.json();
      expect(body.errors[0].extensions.code, path).toBe(code);
      expect(table).toContain(code);
      seen.add(code);
    }
  });

  it('on an event stream, errors are events with the same codes', async () => {
    const response = await fetch(`${t.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: `subscription { heartbeat ${'@include(if: true) '.repeat(25)}}` }),
    });
    expect(response.status).toBe(200);
    const text = await readFrames(response, (s) => s.includes('event: complete'));
    expect(text).toContain('"code":"GRAPHQL_VALIDATION_FAILED"');
    const coercion = await fetch(`${t.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: 'subscription ($ms: Int) { heartbeat(intervalMs: $ms) }', variables: { ms: 'soon' } }),
    });
    expect(await readFrames(coercion, (s) => s.includes('event: complete'))).toContain('"code":"BAD_USER_INPUT"');
  });

  it('met every code it checked in the table', () => {
    expect([...seen].filter((code) => !table.has(code))).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(10);
  });
});
