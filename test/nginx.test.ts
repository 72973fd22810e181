import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { freePort } from './support/processes.js';
import { createTestBus, createTestStore, postgresUrl, redisUrl } from './support/services.js';
import { sseClient, subscribe } from './support/sse.js';
import type { Store } from '../server/db/client.js';
import type { Bus } from '../server/bus/index.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
if (!NGINX && process.env.CI === 'true') throw new Error('CI=true and nginx is missing: .ci/run installs it with apt-get');
if (!NGINX) console.log('[pulseboard] skipping the nginx suite: nginx not installed (apt-get install -y nginx-light)');

describe.skipIf(!NGINX || !redisUrl)('two instances behind a real nginx', () => {
  let store: Store;
  const buses: Bus[] = [];
  const apps: TestApp[] = [];
  let nginx: ChildProcess;
  let base: string;

  beforeAll(async () => {
    store = await createTestStore(postgresUrl ? 'postgres' : 'pglite');
    const prefix = `pbtest:nginx:${Date.now()}:`;
    for (let i = 0; i < 2; i++) {
      const bus = createTestBus('redis', prefix);
      buses.push(bus);
      apps.push(await startApp({ store, bus }));
    }
    const dir = mkdtempSync(join(tmpdir(), 'pb-nginx-'));
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
    const port = await freePort();
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream pulseboard {
    hash $http_authorization consistent;
${apps.map((a) => `    server ${new URL(a.url).host};`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 1m;
    location / {
      proxy_pass http://pulseboard;
      include ${resolve('deploy/pulseboard-proxy.conf')};
    }
  }
}
`,
    );
    nginx = spawn(NGINX!, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
    base = `http://127.0.0.1:${port}`;
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    for (const app of apps) await app.close();
    await Promise.all(buses.map((b) => b.close()));
    await store?.close();
  });

  it.each([false, true])('graphql-sse clients (singleConnection=%s) subscribe and receive through nginx, spread over both instances', async (single) => {
    const gql = async (query: string, variables: Record<string, unknown>, token?: string) =>
      (await (
        await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        })
      ).json()) as any;
    const owner = (await gql('mutation ($i: RegisterInput!) { register(input: $i) { token } }', {
      i: { email: `nginx-${single}-${Date.now()}@example.com`, password: 'nginx-relay-42', name: 'N', tenantName: 'N' },
    })).data.register.token;
    // twelve callers: different Authorization headers, so the hash spreads them over both instances
    const callers: string[] = [];
    for (let i = 0; i < 12; i++) {
      callers.push((await gql(`mutation { createServiceToken(name: "c${i}", channels: ["*"]) { secret } }`, {}, owner)).data.createServiceToken.secret);
    }
    const clients = callers.map((token) => sseClient(base, token, single));
    const subs = clients.map((c) => subscribe(c, 'subscription { logs(channel: "via-nginx") { message } }'));
    await expect.poll(() => apps.map((a) => a.app.holdings().subscriptions).reduce((x, y) => x + y), { timeout: 20_000 }).toBe(12);
    expect(apps.every((a) => a.app.openStreams() > 0)).toBe(true);

    await gql('mutation { publishLogs(channel: "via-nginx", entries: [{level: INFO, message: "one"}, {level: INFO, message: "two"}]) { count } }', {}, owner);
    for (const sub of subs) expect((await sub.waitFor(2)).map((r) => r.data.logs.message)).toEqual(['one', 'two']);
    // nginx honours X-Accel-Buffering: no and does not pass it on; unbuffered means the first
    // keep-alive comment arrives while the stream is still open
    const stream = await fetch(`${base}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${owner}` },
      body: JSON.stringify({ query: 'subscription { heartbeat(intervalMs: 60000) }' }),
    });
    expect(stream.headers.get('x-accel-buffering')).toBeNull();
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain(':');
    await reader.cancel();
    clients.forEach((c) => c.dispose());
  }, 60_000);
});
