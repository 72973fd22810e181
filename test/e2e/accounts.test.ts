import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/app.js';
import { testConfig } from '../../server/config.js';
import { createTestBus, createTestStore } from '../support/services.js';
import { freePort } from '../support/processes.js';
import type { Store } from '../../server/db/client.js';
import type { Bus } from '../../server/bus/index.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === 'true') throw new Error(`CI=true and ${CHROMIUM} is missing: .ci/run installs it with apt-get`);

const EMAIL = 'grace@navy.example';
const PASSWORD = 'compiler debugging moth';
const HEARTBEAT = 'subscription { heartbeat(intervalMs: 200) }';

/**
 * Sessions in a real browser: the console outlives several access tokens without a gap, a
 * native EventSource authenticates with the HttpOnly session cookie, and pages of another
 * origin can use that cookie for nothing.
 */
describe.skipIf(!hasChromium)('accounts in a real browser', () => {
  let store: Store;
  let bus: Bus;
  let app: App;
  let base: string;
  let browser: Browser;
  let page: Page;
  let evil: Server;
  let evilPort: number;

  const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };
  const signIn = async () => (await gql('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: EMAIL, p: PASSWORD })).data.login.token as string;

  beforeAll(async () => {
    // a build of its own: the console suite builds web/dist at the same time
    const webRoot = mkdtempSync(join(tmpdir(), 'pb-web-'));
    execSync(`npx vite build --config web/vite.config.ts --logLevel warn --outDir ${webRoot} --emptyOutDir`, { stdio: 'ignore' });
    store = await createTestStore();
    bus = createTestBus();
    // access tokens last 3 s: the console must renew several times during one test
    app = await buildApp({ config: testConfig({ host: '127.0.0.1', jwtTtlSeconds: 3, sseKeepAliveMs: 1_000 }), store, bus, webRoot });
    ({ url: base } = await app.start(0, '127.0.0.1'));
    await gql('mutation ($i: RegisterInput!) { register(input: $i) { token } }', { i: { email: EMAIL, password: PASSWORD, name: 'Grace', tenantName: 'Navy' } });
    // another origin (another port: same site) serving a hostile page
    evilPort = await freePort();
    evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>'));
    await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await (await browser.newContext()).newPage();
    await page.goto(base);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-connection="live"]').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    evil?.close();
    await app?.stop(100);
    await bus?.close();
    await store?.close();
  });

  it('the console tails logs across several access-token lifetimes: every line once, in order, still signed in', async () => {
    const publisher = (await gql('mutation { createServiceToken(name: "p", channels: ["wall"]) { secret } }', {}, await signIn())).data.createServiceToken.secret;
    await page.goto(`${base}/#/logs?channel=wall`);
    await page.locator('[data-connection="live"]').waitFor();
    const messages = () => page.locator('[data-testid="log-view"] .log-line .msg').allTextContents();
    const started = Date.now();
    const sent: string[] = [];
    // one line at a time, each once the page shows the one before, for well over three token lifetimes
    while (Date.now() - started < 11_000) {
      const line = `line ${sent.length + 1}`;
      const result = await gql('mutation ($m: String!) { publishLogs(channel: "wall", entries: [{level: INFO, message: $m}]) { count } }', { m: line }, publisher);
      expect(result.errors).toBeUndefined();
      sent.push(line);
      await expect.poll(messages, { timeout: 15_000 }).toContain(line);
    }
    // the view is windowed (only the rows on screen exist): every line was seen above as it came;
    // here the count proves none twice, and what is on screen is the newest lines, in order
    await expect.poll(() => page.getByTestId('line-count').textContent()).toBe(`${sent.length} lines`);
    const shown = await messages();
    expect(shown.length).toBeGreaterThan(5);
    expect(shown).toEqual(sent.slice(-shown.length));
    // still signed in: the tab renewed its access token from the session cookie, streams included
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(true);
  });

  it('a native EventSource on our own origin authenticates with the HttpOnly session cookie', async () => {
    expect(await page.evaluate(() => document.cookie)).not.toContain('pb_session');
    const data = await page.evaluate(
      (query) =>
        new Promise<string>((resolve, reject) => {
          const source = new EventSource(`/graphql/stream?query=${encodeURIComponent(query)}`);
          source.addEventListener('next', (event) => {
            source.close();
            resolve((event as MessageEvent).data);
          });
          source.onerror = () => {
            source.close();
            reject(new Error('EventSource failed'));
          };
        }),
      HEARTBEAT,
    );
    expect(JSON.parse(data).data.heartbeat).toMatch(/^\d{4}-/);
  });

  it('a page of another origin can neither run a mutation with the cookie nor read a stream', async () => {
    const before = (await gql('{ serviceTokens { id } }', {}, await signIn())).data.serviceTokens.length;
    for (const origin of [`http://127.0.0.1:${evilPort}`, `http://localhost:${evilPort}`]) {
      const hostile = await page.context().newPage();
      await hostile.goto(origin);
      const outcome = await hostile.evaluate(
        async ({ api, heartbeat }) => {
          const attempts: string[] = [];
          // a simple request needs no preflight: CSRF prevention must refuse it
          // eslint-disable-next-line no-restricted-syntax -- an opaque no-cors request: its outcome is checked below by its effect, not its reply
          await fetch(`${api}/graphql`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { createServiceToken(name: "evil", channels: ["*"]) { secret } } ' }) }).catch(() => {});
          // eslint-disable-next-line no-restricted-syntax -- an opaque no-cors request: its outcome is checked below by its effect, not its reply
          await fetch(`${api}/graphql`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { signOutEverywhere }' }) }).catch(() => {});
          // a JSON request is preflighted: CORS allows no other origin
          await fetch(`${api}/graphql`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { signOutEverywhere }' }) }).then(
            () => attempts.push('json read'),
            () => attempts.push('json blocked'),
          );
          // an EventSource with credentials: the cookie is not honoured and the answer not readable
          const streamed = await new Promise<string>((resolve) => {
            const source = new EventSource(`${api}/graphql/stream?query=${encodeURIComponent(heartbeat)}`, { withCredentials: true });
            source.addEventListener('next', (event) => (source.close(), resolve((event as MessageEvent).data)));
            source.onerror = () => (source.close(), resolve('error'));
          });
          attempts.push(`stream ${streamed}`);
          return attempts;
        },
        { api: base, heartbeat: HEARTBEAT },
      );
      expect(outcome, origin).toEqual(['json blocked', 'stream error']);
      await hostile.close();
    }
    // nothing happened: no token created, the console's session still works
    expect((await gql('{ serviceTokens { id } }', {}, await signIn())).data.serviceTokens).toHaveLength(before);
    // a reload starts from a stale access token and renews it from the cookie
    await page.reload();
    await page.locator('[data-connection="live"]').waitFor();
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(true);
  });

  it('Settings asks before removing a member, and the removed member’s console signs out at once', async () => {
    const admin = await signIn();
    await gql('mutation { createMember(input: {email: "bob@navy.example", password: "sturdy harbor lantern", name: "Bob", role: MEMBER}) { id } }', {}, admin);
    const bobPage = await (await browser.newContext()).newPage();
    await bobPage.goto(base);
    await bobPage.getByLabel('Email').fill('bob@navy.example');
    await bobPage.getByLabel('Password').fill('sturdy harbor lantern');
    await bobPage.getByRole('button', { name: 'Sign in' }).click();
    await bobPage.locator('[data-connection="live"]').waitFor();

    await page.goto(`${base}/#/settings`);
    const row = page.getByRole('row').filter({ hasText: 'bob@navy.example' });
    // declined: nothing happens
    page.once('dialog', (dialog) => void dialog.dismiss());
    await row.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(async () => (await gql('{ members { email } }', {}, await signIn())).data.members.length).toBe(2);
    // confirmed: removed, and Bob's tab is back at the sign-in page
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('bob@navy.example removed').waitFor();
    await bobPage.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
    await bobPage.context().close();
  });
});
