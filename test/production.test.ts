import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { readFrames } from './support/sse.js';

// A deployed server as an integrator meets it: NODE_ENV=production defaults.
let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startApp({ config: { production: true } });
  ({ token } = await t.signUp('integrator'));
});
afterAll(() => t.close());

const INTROSPECT = '{ __schema { queryType { name } } }';
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('introspection in production', () => {
  it('answers a signed-in caller on both endpoints', async () => {
    const plain = await post('/graphql', { query: INTROSPECT }, { authorization: `Bearer ${token}` });
    expect(await plain.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const streamed = await post('/graphql/stream', { query: INTROSPECT }, { authorization: `Bearer ${token}`, accept: 'text/event-stream' });
    expect(await readFrames(streamed, (s) => s.includes('event: complete'))).toContain('"queryType":{"name":"Query"}');
  });

  it('refuses an anonymous caller with UNAUTHENTICATED (401), on both endpoints, and keeps __typename open', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await post('/graphql', { query: INTROSPECT }, { accept });
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body).not.toHaveProperty('data');
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const typeQuery = await post('/graphql', { query: '{ __type(name: "Query") { name } }' });
    expect(typeQuery.status).toBe(401);
    const streamed = await post('/graphql/stream', { query: INTROSPECT }, { accept: 'text/event-stream' });
    expect(streamed.status).toBe(401);
    expect((await streamed.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await (await post('/graphql', { query: '{ __typename }' })).json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('INTROSPECTION=off refuses everyone, and the schema file is gone', async () => {
    const off = await startApp({ store: t.store, bus: t.bus, config: { production: true, introspection: 'off' } });
    try {
      const response = await fetch(`${off.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: INTROSPECT }),
      });
      expect(response.status).toBe(400);
      expect((await response.json()).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await fetch(`${off.url}/graphql/schema.graphql`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('GET /graphql/schema.graphql', () => {
  const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

  it('is the committed schema.graphql, for a signed-in caller', async () => {
    const response = await fetch(`${t.url}/graphql/schema.graphql`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(committed);
    const again = await fetch(`${t.url}/graphql/schema.graphql`, {
      headers: { authorization: `Bearer ${token}`, 'if-none-match': response.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('needs a valid credential in production', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      const response = await fetch(`${t.url}/graphql/schema.graphql`, { headers });
      expect(response.status).toBe(401);
      expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('GraphQL-over-HTTP compliance in production, with a credential (graphql-http audits)', () => {
  // an integrator's client: a credential on every request, as any signed-in tool sends it
  const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) =>
    fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), authorization: `Bearer ${token}` } });
  for (const audit of serverAudits({ url: () => `${t.url}/graphql`, fetchFn })) {
    it(audit.name, async () => {
      const result = await audit.fn();
      if (result.status !== 'ok') {
        throw new Error(`${result.status}: ${result.reason} ${result.response ? await result.response.text().catch(() => '') : ''}`);
      }
    });
  }
});

describe('codegen against a production server', () => {
  const generated = (schema: Record<string, { headers: Record<string, string> }>) =>
    generate(
      {
        schema,
        documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**/*'],
        silent: true,
        generates: {
          'web/src/gql/': { preset: 'client', config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } } },
        },
      },
      false,
    );

  it.each(['/graphql/schema.graphql', '/graphql'])('from %s, with the Authorization header, writes what the committed schema does', async (path) => {
    const files = await generated({ [`${t.url}${path}`]: { headers: { Authorization: `Bearer ${token}` } } });
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      // the console's generated client, made from schema.graphql, is the same byte for byte
      expect(file.content, file.filename).toBe(readFileSync(file.filename, 'utf8'));
    }
  });

  it('fails without a credential', async () => {
    // the loader reads the 401's JSON body as SDL and says it found no type definitions
    await expect(generated({ [`${t.url}/graphql/schema.graphql`]: { headers: {} } })).rejects.toThrow(/Failed to load schema/);
    await expect(generated({ [`${t.url}/graphql`]: { headers: {} } })).rejects.toThrow(/Failed to load schema/);
  });
});
