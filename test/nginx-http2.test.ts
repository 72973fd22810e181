import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { freePort } from './support/processes.js';
import { selfSignedCert } from './support/targets.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/**
 * deploy/tls.conf as shipped (only its port changed): HTTPS with HTTP/2, where one connection
 * carries many event streams — the browser's 6-connections-per-host limit does not apply.
 */
describe.skipIf(!NGINX)('HTTP/2 over TLS through nginx (deploy/tls.conf)', () => {
  let t: TestApp;
  let nginx: ChildProcess;
  let base: string;
  let session: http2.ClientHttp2Session;

  beforeAll(async () => {
    t = await startApp();
    const dir = mkdtempSync(join(tmpdir(), 'pb-nginx-h2-'));
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'certs']) mkdirSync(join(dir, sub));
    const { key, cert } = selfSignedCert(30);
    writeFileSync(join(dir, 'certs/fullchain.pem'), cert);
    writeFileSync(join(dir, 'certs/privkey.pem'), key);
    const port = await freePort();
    const tls = readFileSync('deploy/tls.conf', 'utf8')
      .replace('listen 443 ssl http2;', `listen 127.0.0.1:${port} ssl http2;`)
      .replace('/etc/nginx/pulseboard-proxy.conf', resolve('deploy/pulseboard-proxy.conf'));
    writeFileSync(join(dir, 'tls.conf'), tls);
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
  upstream pulseboard { server ${new URL(t.url).host}; }
  include ${dir}/tls.conf;
}
`,
    );
    nginx = spawn(NGINX!, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
    base = `https://127.0.0.1:${port}`;
    await vi.waitFor(
      () =>
        new Promise<void>((ok, fail) => {
          const probe = http2.connect(base, { rejectUnauthorized: false });
          probe.once('connect', () => (probe.close(), ok()));
          probe.once('error', fail);
        }),
      { timeout: 10_000, interval: 100 },
    );
    session = http2.connect(base, { rejectUnauthorized: false });
  }, 60_000);

  afterAll(async () => {
    session?.close();
    nginx?.kill('SIGTERM');
    await t?.close();
  });

  const request = (headers: http2.OutgoingHttpHeaders, body?: string) => {
    const stream = session.request(headers);
    if (body) stream.end(body);
    else stream.end();
    return stream;
  };

  it('negotiates h2 and answers /health', async () => {
    if (!session.alpnProtocol) await new Promise((r) => session.once('connect', r));
    expect(session.alpnProtocol).toBe('h2');
    const stream = request({ ':path': '/health' });
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    await new Promise((r) => stream.on('end', r));
    expect(JSON.parse(text).status).toBe('ok');
  });

  it('carries ten event streams and their events on ONE connection', async () => {
    const { token } = await t.signUp('h2');
    const frames = Array.from({ length: 10 }, () => '');
    const streams = frames.map((_, i) => {
      const stream = request(
        { ':method': 'POST', ':path': '/graphql/stream', 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
        JSON.stringify({ query: 'subscription { logs(channel: "h2:*") { message } }' }),
      );
      stream.on('data', (d) => (frames[i] = frames[i] + String(d)));
      return stream;
    });
    await vi.waitFor(() => expect(t.app.openStreams()).toBe(10), { timeout: 10_000, interval: 50 });
    await t.gql('mutation { publishLogs(channel: "h2:a", entries: [{level: INFO, message: "over h2"}]) { count } }', {}, token);
    await vi.waitFor(() => expect(frames.every((f) => f!.includes("over h2"))).toBe(true), { timeout: 10_000, interval: 50 });
    for (const stream of streams) stream.close();
    await vi.waitFor(() => expect(t.app.openStreams()).toBe(0), { timeout: 10_000, interval: 50 });
  });
});
