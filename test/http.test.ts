import { spawnSync } from 'node:child_process';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus } from '../server/bus/index.js';
import { startApp, type TestApp } from './support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
});
afterAll(() => t.close());

describe('GraphQL-over-HTTP compliance (graphql-http audits)', () => {
  // a client of a CSRF-protected server marks its GETs, as Yoga's own client does
  const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) =>
    fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), 'x-graphql-yoga-csrf': '1' } });
  for (const audit of serverAudits({ url: () => `${t.url}/graphql`, fetchFn })) {
    it(audit.name, async () => {
      const result = await audit.fn();
      if (result.status !== 'ok') {
        throw new Error(`${result.status}: ${result.reason} ${result.response ? await result.response.text().catch(() => '') : ''}`);
      }
    });
  }
});

describe('operations routes', () => {
  it('GET /health answers 200 with a short JSON body while the process is up; other paths ending in /health are not it', async () => {
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await health.json()).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number) });
    expect((await fetch(`${t.url}/graphql/health`)).status).not.toBe(200);
  });

  it('GET /ready is 200 with the store and bus up, 503 with a JSON reason when the bus is down', async () => {
    const ok = await fetch(`${t.url}/ready`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ready' });

    // a Redis bus pointed at a closed loopback port: the bus is down
    const deadBus = createBus({ redisUrl: 'redis://127.0.0.1:1', onError: () => {} });
    const down = await startApp({ store: t.store, bus: deadBus });
    try {
      const response = await fetch(`${down.url}/ready`);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body.status).toBe('unavailable');
      expect(body.reasons).toEqual([expect.stringMatching(/^bus: /)]);
      expect((await fetch(`${down.url}/health`)).status).toBe(200);
    } finally {
      await down.close();
      await deadBus.close();
    }
  });

  it('/ready reports the store when it is gone', async () => {
    const { createTestStore } = await import('./support/services.js');
    const store = await createTestStore();
    const app = await startApp({ store, bus: t.bus });
    try {
      await store.close();
      const response = await fetch(`${app.url}/ready`);
      expect(response.status).toBe(503);
      expect((await response.json()).reasons).toEqual([expect.stringMatching(/^store: /)]);
    } finally {
      await app.close();
    }
  });
});

describe('bad input on /graphql', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('malformed JSON is a 400 with a GraphQL error, not a 500', async () => {
    const response = await post('{"query": "{ __typename }"');
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].message).toMatch(/JSON/);
  });

  it('an unknown field is named, nothing leaks', async () => {
    const response = await post(JSON.stringify({ query: '{ tenantSecrets }' }));
    const body = await response.json();
    expect(body.errors[0].message).toBe('Cannot query field "tenantSecrets" on type "Query".');
    expect(JSON.stringify(body)).not.toMatch(/stack|node_modules|\.ts:/);
  });

  it('an unexpected failure is masked', async () => {
    // a JWT signed with the right key but for a tenant that does not exist is not an internal
    // error either: it reads as nothing. A thrown non-domain error must read as "Unexpected error."
    const { maskError } = await import('../server/plugins/mask-error.js');
    const masked = maskError(new Error('connect ECONNREFUSED 10.0.0.1:5432 at /srv/app/db.ts:12'), 'Unexpected error.', false);
    expect(masked.message).toBe('Unexpected error.');
    expect(JSON.stringify(masked)).not.toContain('ECONNREFUSED');
  });
});

describe('configuration', () => {
  it.each([
    ['PORT', 'abc', 'PORT must be an integer >= 0, got "abc"'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must use postgres: or postgresql:, got "mysql:"'],
    ['REDIS_URL', 'not a url', 'REDIS_URL must be a URL (redis: or rediss:), got "not a url"'],
    ['JWT_SECRET', 'short', 'JWT_SECRET is refused: it is shorter than 32 characters; generate one with `openssl rand -base64 48`'],
  ])('bad %s exits with one clear line naming it', (name, value, message) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: { ...process.env, [name]: value, DATA_DIR: ':memory:' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr.trim()).toBe(`pulseboard: ${message}`);
  });
});
