import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, type App } from '../server/app.js';
import type { Bus } from '../server/bus/index.js';
import { testConfig } from '../server/config.js';
import type { Store } from '../server/db/client.js';
import { freePort } from './support/processes.js';
import { createTestBus, createTestStore } from './support/services.js';

/** `npm run demo` as a person runs it, against a real server that restarts under it. */
describe('npm run demo', () => {
  let store: Store;
  let bus: Bus;
  let app: App;
  let port: number;
  let url: string;
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'pulseboard-demo-')), 'demo-token.json');
  const children: ChildProcess[] = [];

  const start = async () => {
    app = await buildApp({ config: testConfig({ host: '127.0.0.1' }), store, bus });
    await app.start(port, '127.0.0.1');
  };
  const gql = async (query: string, token?: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: unknown[] };
  };
  const demo = (env: Record<string, string>) => {
    const output: string[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: { ...process.env, PULSEBOARD_URL: url, PULSEBOARD_DEMO_TOKEN_FILE: tokenFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => output.push(String(d)));
    child.stderr!.on('data', (d) => output.push(String(d)));
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output: () => output.join('') };
  };

  beforeAll(async () => {
    store = await createTestStore();
    bus = createTestBus();
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    await start();
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await app?.stop(100);
    await bus?.close();
    await store?.close();
  });

  it('plays into the workspace of the account it signs in with, rides out a restart, and reuses its token next time', async () => {
    const register = await gql('mutation ($input: RegisterInput!) { register(input: $input) { token } }', undefined, {
      input: { email: 'ada@acme.example', password: 'analytical-engine', name: 'Ada', tenantName: 'Acme' },
    });
    const admin = register.data.register.token as string;

    // without credentials on a server that has a workspace: says how to play into it, no stack trace
    const refused = demo({ PULSEBOARD_EMAIL: '', PULSEBOARD_PASSWORD: '' });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('PULSEBOARD_EMAIL=you@example.com');
    expect(refused.output()).not.toMatch(/\n\s+at /);

    const first = demo({ PULSEBOARD_EMAIL: 'ada@acme.example', PULSEBOARD_PASSWORD: 'analytical-engine' });
    const services = async () => (await gql('{ services { key } }', admin)).data?.services.map((s: { key: string }) => s.key) ?? [];
    await vi.waitFor(async () => expect(await services()).toContain('balance-sync'), { timeout: 30_000, interval: 200 });

    // the server restarts under it: the demo waits, then goes on
    const newest = async () => Number((await gql('{ logHistory(channel: "*", last: 1) { edges { cursor } } }', admin)).data.logHistory.edges[0].cursor);
    await app.stop(100);
    await vi.waitFor(() => expect(first.output()).toContain('retrying'), { timeout: 15_000, interval: 100 });
    await start();
    const before = await newest();
    await vi.waitFor(() => expect(first.output()).toContain('the server is back'), { timeout: 30_000, interval: 100 });
    await vi.waitFor(async () => expect(await newest()).toBeGreaterThan(before), { timeout: 15_000, interval: 200 });
    expect(first.child.exitCode).toBeNull();
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    // a second run reuses the saved token: still one demo token in the workspace
    const saved = readFileSync(tokenFile, 'utf8');
    const second = demo({ PULSEBOARD_EMAIL: 'ada@acme.example', PULSEBOARD_PASSWORD: 'analytical-engine' });
    await vi.waitFor(() => expect(second.output()).toContain('playing'), { timeout: 30_000, interval: 100 });
    second.child.kill('SIGINT');
    await second.exited;
    expect(readFileSync(tokenFile, 'utf8')).toBe(saved);
    const tokens = (await gql('{ serviceTokens { name } }', admin)).data.serviceTokens.map((t: { name: string }) => t.name);
    expect(tokens).toEqual(['demo services']);
  }, 120_000);
});
