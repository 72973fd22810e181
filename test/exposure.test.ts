import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../server/app.js';
import { ConfigError, loadConfig, testConfig } from '../server/config.js';
import { prepareStatement } from '../server/db/prepared.js';
import { createLogger } from '../server/logger.js';
import { startApp, type TestApp } from './support/app.js';
import { freePort } from './support/processes.js';
import { createTestBus, createTestStore } from './support/services.js';

const STACK = /node_modules|\/work\/|\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+/;
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/** A built console of a few files, so the static side answers like the real one. */
function webRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pb-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Pulseboard</title>');
  writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("app")');
  return dir;
}

describe.each([false, true])('malformed paths and static files (production=%s)', (production) => {
  let t: TestApp;
  beforeAll(async () => {
    const store = await createTestStore();
    const bus = createTestBus();
    const app = await buildApp({ config: testConfig({ host: '127.0.0.1', production }), store, bus, webRoot: webRoot() });
    const { url } = await app.start(0, '127.0.0.1');
    t = { app, store, bus, url, close: async () => (await app.stop(100), await bus.close(), await store.close()) } as TestApp;
  });
  afterAll(() => t.close());

  it.each(['/%E0%A4%A', '/web/%', '/%', '/assets/%zz.js', '/graphql/%', '/%c0%af..%c0%af'])('GET %s is a 400 with a JSON error and no stack', async (path) => {
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(`${t.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(400);
      const text = await response.text();
      if (method === 'GET') {
        expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
        expect(text).not.toMatch(STACK);
      }
    }
  });

  it('serves the console: index.html for client routes, hashed assets cached for a year, ETags, never a file outside the root', async () => {
    const index = await fetch(`${t.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await (await fetch(`${t.url}/logs/etl`)).text()).toContain('<title>Pulseboard</title>');
    const asset = await fetch(`${t.url}/assets/app-1a2b3c.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = asset.headers.get('etag')!;
    expect((await fetch(`${t.url}/assets/app-1a2b3c.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${t.url}/assets/missing.js`)).status).toBe(404);
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const text = await (await fetch(`${t.url}${path}`)).text();
      expect(text, path).not.toContain('"dependencies"');
    }
    // the API's paths are never the console's
    const graphql = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});

describe('metrics are not public', () => {
  const scrape = (url: string, token?: string) => fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('in production with neither METRICS_TOKEN nor METRICS_PORT, /metrics is a 404', async () => {
    const t = await startApp({ config: { production: true } });
    try {
      const response = await scrape(t.url);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('pulseboard_');
    } finally {
      await t.close();
    }
  });

  it('with METRICS_TOKEN, a scrape must send it', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const t = await startApp({ config: { production: true, metricsToken: token } });
    try {
      for (const wrong of [undefined, 'nope', `${token}x`]) {
        const response = await scrape(t.url, wrong);
        expect(response.status, String(wrong)).toBe(401);
        expect(await response.text()).not.toContain('pulseboard_');
      }
      const ok = await scrape(t.url, token);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/^pulseboard_open_streams /m);
    } finally {
      await t.close();
    }
  });

  it('with METRICS_PORT, metrics live on that port only', async () => {
    const port = await freePort();
    const t = await startApp({ config: { production: true, metricsPort: port } });
    try {
      expect((await scrape(t.url)).status).toBe(404);
      const own = await scrape(`http://127.0.0.1:${port}`);
      expect(own.status).toBe(200);
      expect(await own.text()).toMatch(/^pulseboard_open_streams /m);
      expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it.skipIf(!NGINX)('the shipped nginx config answers 404 for /metrics, even when the app would serve it', async () => {
    const t = await startApp(); // development: /metrics open on the app itself
    const dir = mkdtempSync(join(tmpdir(), 'pb-nginx-'));
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
    const port = await freePort();
    const shipped = readFileSync('deploy/nginx.conf', 'utf8')
      .replace(/server app1:4000;\s*server app2:4000;/, `server ${new URL(t.url).host};`)
      .replace('listen 80;', `listen 127.0.0.1:${port};`)
      .replace('/etc/nginx/pulseboard-proxy.conf', resolve('deploy/pulseboard-proxy.conf'))
      // the HTTPS server (deploy/tls.conf) is added by docker-compose.tls.yml; test/nginx-http2.test.ts runs it
      .replace(/^\s*include \/etc\/nginx\/pulseboard\.d\/\*\.conf;$/m, '')
      .replace(
        'http {',
        `http {\n  access_log off;\n${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${dir}/${k === 'client_body' ? 'body' : k};`).join('\n')}`,
      );
    writeFileSync(join(dir, 'nginx.conf'), `daemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\n${shipped}`);
    const nginx: ChildProcess = spawn(NGINX!, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
    try {
      await vi.waitFor(async () => expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200), { timeout: 10_000, interval: 100 });
      expect((await scrape(t.url)).status).toBe(200);
      const proxied = await scrape(`http://127.0.0.1:${port}`);
      expect(proxied.status).toBe(404);
      expect(await proxied.text()).not.toContain('pulseboard_');
    } finally {
      nginx.kill('SIGTERM');
      await t.close();
    }
  });
});

describe('the JWT secret', () => {
  it.each([
    ['missing', undefined, 'JWT_SECRET is required in production'],
    ['short', 'too-short', 'it is shorter than 32 characters'],
    ['the old compose default', 'change-me-to-32-or-more-random-characters', 'it is a known placeholder'],
    ['a placeholder', 'please-replace-me-with-your-jwt-secret-value', 'it is a known placeholder'],
    ['repetitive', 'x'.repeat(48), 'known placeholder'],
    ['low variety', 'abababababababababababababababababab', 'fewer than 10 distinct characters'],
  ])('production refuses a %s one', (_what, secret, reason) => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...(secret ? { JWT_SECRET: secret } : {}) })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', ...(secret ? { JWT_SECRET: secret } : {}) })).toThrow(reason);
  });

  it('accepts a random one, and outside production generates one when none is set', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'Zq3u9Xw1-Vb7Kd2Rp5Lm8Tn4Hc6Jy0Fa' }).jwtSecret).toBeDefined();
    expect(loadConfig({}).jwtSecret).toBeUndefined();
  });

  it('the server exits with one clear line naming it, before listening', { timeout: 90_000 }, () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: { ...process.env, NODE_ENV: 'production', JWT_SECRET: 'change-me-to-32-or-more-random-characters', DATA_DIR: ':memory:', PORT: '0' },
      encoding: 'utf8',
      timeout: 80_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr.trim()).toBe('pulseboard: JWT_SECRET is refused: it is a known placeholder; generate one with `openssl rand -base64 48`');
  });

  it('compose ships no default secret and says how to make one', () => {
    const compose = readFileSync('docker-compose.yml', 'utf8');
    expect(compose).not.toContain('change-me');
    expect(compose).toMatch(/JWT_SECRET: \$\{JWT_SECRET:\?[^}]*openssl rand/);
  });
});

describe('logs', () => {
  const SECRET = 'pbs_secret-parameter-value-0123456789';

  /** The log lines of `run(store)` failing, as the server would log it. */
  async function loggedFailure(run: (store: Awaited<ReturnType<typeof createTestStore>>) => Promise<unknown>): Promise<string[]> {
    const store = await createTestStore();
    const lines: string[] = [];
    const logger = createLogger('debug', (line) => lines.push(line));
    try {
      await run(store);
      expect.unreachable();
    } catch (error) {
      logger.error('query failed', error as Error);
    } finally {
      await store.close();
    }
    return lines;
  }

  it('a failed statement is logged with its SQL, never its parameters', async () => {
    const lines = await loggedFailure((store) => store.db.execute(sql`select ${SECRET}::int as n`));
    const logged = lines.join('');
    expect(logged).toContain('select $1::int as n');
    expect(logged).not.toContain(SECRET);
    expect(JSON.parse(lines[0]!).error).toMatchObject({ message: 'Failed query', params: '1 redacted' });
    // the stack is kept (its frames), its first line redacted like the message
    expect(JSON.parse(lines[0]!).error.stack).toMatch(/^Error: Failed query\n\s+at /);
  });

  it('a failed prepared statement (the group commit) is logged with its SQL, never its values', async () => {
    const lines = await loggedFailure((store) => prepareStatement(store.db, 'exposure_probe', ['text'], 'select $1::text::int as n')([SECRET]));
    const logged = lines.join('');
    expect(logged).toContain('select $1::text::int as n');
    expect(logged).not.toContain(SECRET);
    expect(JSON.parse(lines[0]!).error).toMatchObject({ message: 'Failed query', params: '1 redacted' });
  });

  it('an unexpected store failure behind the API logs no parameters and answers masked', async () => {
    const lines: string[] = [];
    const store = await createTestStore();
    const bus = createTestBus();
    const app = await buildApp({ config: testConfig({ host: '127.0.0.1', logLevel: 'debug' }), store, bus, logger: createLogger('debug', (line) => lines.push(line)) });
    const { url } = await app.start(0, '127.0.0.1');
    try {
      await store.close();
      const email = 'probe-address-4711@example.com';
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'probe-request-4711' },
        body: JSON.stringify({ query: 'mutation ($e: String!) { login(email: $e, password: "whatever it is") { token } }', variables: { e: email } }),
      });
      const text = await response.text();
      expect(response.headers.get('x-request-id')).toBe('probe-request-4711');
      expect(text).not.toMatch(STACK);
      expect(text).not.toContain(email);
      await vi.waitFor(() => expect(lines.some((l) => l.includes('"level":"error"'))).toBe(true));
      expect(lines.join('')).not.toContain(email);
      // the failure's line names the request it failed, with the stack of where it failed
      const failure = lines.map((l) => JSON.parse(l)).find((l) => l.level === 'error');
      expect(failure).toMatchObject({ requestId: 'probe-request-4711', error: { stack: expect.stringMatching(/\n\s+at /) } });
      // a caller's id that is no plain token is replaced, not logged
      const odd = await fetch(`${url}/health`, { headers: { 'x-request-id': 'a b\u00e9' } });
      expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await app.stop(100);
      await bus.close();
    }
  });
});
