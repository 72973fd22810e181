import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/app.js';
import { testConfig } from '../../server/config.js';
import { createLogs } from '../../server/domain/logs/logs.js';
import { createRetention } from '../../server/domain/retention/retention.js';
import { createTestBus, createTestStore } from '../support/services.js';
import { startSite } from '../support/targets.js';
import type { Store } from '../../server/db/client.js';
import type { Bus } from '../../server/bus/index.js';
import { seriousViolations } from './axe.js';
import { buildConsole, collectPageErrors, hasChromium, launchBrowser } from './support.js';

const SHOTS = 'test-results/e2e';

// typing lapses only after 30 s here: an indicator that goes away sooner was cleared on purpose
const config = { host: '127.0.0.1', monitorAllowPrivate: true, monitorMinIntervalSeconds: 1, monitorTickMs: 200, sseKeepAliveMs: 2_000, typingTtlMs: 30_000 };

describe.skipIf(!hasChromium)('the console in a real browser', () => {
  let store: Store;
  let bus: Bus;
  let app: App;
  let port: number;
  let base: string;
  let browser: Browser;
  let admin: { token: string; context: BrowserContext; page: Page };
  let webRoot: string;
  let bob: string;

  const start = async () => {
    app = await buildApp({ config: testConfig(config), store, bus, webRoot });
    ({ port } = await app.start(port ?? 0, '127.0.0.1'));
    base = `http://127.0.0.1:${port}`;
  };
  const gql = async (query: string, variables: Record<string, unknown> = {}, token = admin.token) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const publish = (channel: string, messages: string[], token: string) =>
    gql('mutation ($c: String!, $e: [LogEntryInput!]!) { publishLogs(channel: $c, entries: $e) { count } }', { c: channel, e: messages.map((message) => ({ level: 'INFO', message })) }, token);
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    // `npm run screenshots`: the outage states go to the README too
    if (process.env.PULSEBOARD_SCREENSHOTS && (name.startsWith('logs-') || name === 'first-run')) await page.screenshot({ path: `${process.env.PULSEBOARD_SCREENSHOTS}/${name}-desktop.png` });
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    webRoot = buildConsole();
    store = await createTestStore();
    bus = createTestBus();
    await start();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop(100);
    await bus?.close();
    await store?.close();
  });

  it('first run: the first visit offers to create the first admin, then signs in', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByText('Welcome — create the first admin').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'first-run');
    await page.getByLabel('Your name').fill('Ada Admin');
    await page.getByLabel('Workspace name').fill('Acme Ops');
    await page.getByLabel('Email').fill('ada@acme.example');
    await page.getByLabel('Password').fill('analytical-engine');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Ada Admin · admin').waitFor();
    await page.locator('[data-connection="live"]').waitFor();
    const token = await page.evaluate(() => localStorage.getItem('pulseboard.token'));
    admin = { token: token!, context, page };
    expect(token).toMatch(/^eyJ/);
  });

  it('a service reporting through the API appears and changes live on the Services page', async () => {
    const { page } = admin;
    const svc = (await gql('mutation { createServiceToken(name: "svc", channels: ["*"]) { secret } }')).createServiceToken.secret;
    const report = (queueSize: number, state = 'RUNNING') =>
      gql(`mutation { reportServiceStatus(input: {key: "balance-sync", name: "Balance sync", state: ${state}, intervalSeconds: 30, queueSize: ${queueSize}, processedCount: 120}) { key } }`, {}, svc);
    await page.goto(`${base}/#/services`);
    await page.getByText('No service has reported yet').waitFor();
    await report(42);
    const card = page.locator('[data-service="balance-sync"]');
    await expect.poll(() => card.locator('[data-field="queueSize"]').textContent()).toBe('42');
    await report(7, 'DEGRADED');
    await expect.poll(() => card.getAttribute('data-state')).toBe('DEGRADED');
    expect(await card.locator('[data-field="queueSize"]').textContent()).toBe('7');
    await shot(page, 'services');
  });

  it('published log lines appear in order on the Logs page; a server restart mid-stream loses and repeats nothing', async () => {
    const { page } = admin;
    const svc = (await gql('mutation { createServiceToken(name: "logger", channels: ["*"]) { secret } }')).createServiceToken.secret;
    await page.goto(`${base}/#/logs?channel=etl:*`);
    await page.locator('[data-connection="live"]').waitFor();
    await page.waitForTimeout(500);
    await publish('etl:nightly', Array.from({ length: 10 }, (_, i) => `before restart ${i + 1}`), svc);
    const messages = () => page.locator('[data-testid="log-view"] .log-line .msg').allTextContents();
    await expect.poll(messages).toEqual(Array.from({ length: 10 }, (_, i) => `before restart ${i + 1}`));
    await shot(page, 'logs');

    // the server goes away mid-stream; lines are committed while it is down; it comes back on the same port
    await app.stop(100);
    await expect.poll(() => page.locator('.conn').getAttribute('data-connection')).not.toBe('live');
    // said where the eye is, not only by the header dot
    const banner = page.locator('[data-testid="outage-banner"]');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('missed lines will be replayed');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'logs-reconnecting');
    const logs = createLogs({ db: store.db, bus });
    const tenantId = JSON.parse(Buffer.from(admin.token.split('.')[1]!, 'base64url').toString()).tid;
    await logs.publish(tenantId, 'etl:nightly', Array.from({ length: 5 }, (_, i) => ({ level: 'WARN' as const, message: `while down ${i + 1}` })));
    await start();
    await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
    await publish('etl:nightly', ['after restart 1', 'after restart 2'], svc);
    const expected = [
      ...Array.from({ length: 10 }, (_, i) => `before restart ${i + 1}`),
      ...Array.from({ length: 5 }, (_, i) => `while down ${i + 1}`),
      'after restart 1',
      'after restart 2',
    ];
    await expect.poll(messages, { timeout: 15_000 }).toEqual(expected);
    const cursors = await page.locator('[data-testid="log-view"] .log-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-cursor')));
    expect(new Set(cursors).size).toBe(cursors.length);
    await expect.poll(() => banner.count()).toBe(0);
  }, 90_000);

  it('lines pruned while the console was away are marked with a gap, then the tail goes on', async () => {
    const { page } = admin;
    const svc = (await gql('mutation { createServiceToken(name: "gap", channels: ["*"]) { secret } }')).createServiceToken.secret;
    await page.goto(`${base}/#/logs?channel=gap:*`);
    await page.locator('[data-connection="live"]').waitFor();
    await page.getByText('0 lines').waitFor();
    await publish('gap:a', ['seen 1', 'seen 2'], svc);
    const messages = () => page.locator('[data-testid="log-view"] .log-line .msg').allTextContents();
    await expect.poll(messages).toEqual(['seen 1', 'seen 2']);

    // away long enough for retention to pass the console's cursor: keep 2 lines per channel
    await app.stop(100);
    const logs = createLogs({ db: store.db, bus });
    const tenantId = JSON.parse(Buffer.from(admin.token.split('.')[1]!, 'base64url').toString()).tid;
    await logs.publish(tenantId, 'gap:a', Array.from({ length: 5 }, (_, i) => ({ level: 'INFO' as const, message: `while away ${i + 1}` })));
    await logs.setRetention(tenantId, 2, 168);
    await createRetention({ db: store.db }).runPass({ force: true });
    await start();
    await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });

    await expect.poll(messages, { timeout: 15_000 }).toEqual(['seen 1', 'seen 2', 'while away 4', 'while away 5']);
    const gap = page.locator('[data-gap]');
    expect(await gap.textContent()).toContain('Lines missed: retention removed some');
    // the marker sits between what was seen and what came after the gap
    const order = await page.locator('[data-testid="log-view"] [data-cursor], [data-testid="log-view"] [data-gap]').evaluateAll((els) =>
      els.map((e) => (e.hasAttribute('data-gap') ? 'GAP' : e.querySelector('.msg')!.textContent)),
    );
    expect(order).toEqual(['seen 1', 'seen 2', 'GAP', 'while away 4', 'while away 5']);
    await publish('gap:a', ['after the gap'], svc);
    await expect.poll(messages).toEqual(['seen 1', 'seen 2', 'while away 4', 'while away 5', 'after the gap']);
    await shot(page, 'logs-gap');
    await logs.setRetention(tenantId, 10_000, 168);
  }, 90_000);

  it('a monitor going DOWN opens an incident that appears live', async () => {
    const { page } = admin;
    const site = await startSite({ status: 200 });
    try {
      const { createMonitor } = await gql(`mutation { createMonitor(input: {name: "Checkout API", url: "${site.url}", intervalSeconds: 3600}) { id } }`);
      await gql(`mutation { createAlertRule(input: {name: "down", kind: DOWN, monitorId: "${createMonitor.id}"}) { id } }`);
      await gql(`mutation { runMonitorCheck(id: "${createMonitor.id}") { ok } }`);
      await page.goto(`${base}/#/incidents`);
      await page.getByText('No incidents').waitFor();
      site.behaviour.status = 503;
      await gql(`mutation { runMonitorCheck(id: "${createMonitor.id}") { ok } }`);
      const row = page.locator('[data-incident="1"]');
      await row.waitFor({ timeout: 10_000 });
      expect(await row.textContent()).toContain('Checkout API is down: unexpected status 503');
      await shot(page, 'incidents');
      await page.goto(`${base}/#/monitors`);
      await page.locator('[data-monitor="Checkout API"]').waitFor();
      await shot(page, 'monitors');
      await page.locator('[data-monitor="Checkout API"]').click();
      await page.getByRole('img', { name: 'Response time chart' }).waitFor();
      await shot(page, 'monitor');
    } finally {
      await site.close();
    }
  });

  it('two browser contexts chat on a ticket', async () => {
    await gql('mutation { createMember(input: {email: "bob@acme.example", password: "bob-password", name: "Bob Agent", role: MEMBER}) { id } }');
    bob = (await gql('mutation { login(email: "bob@acme.example", password: "bob-password") { token } }')).login.token;
    const { createTicket } = await gql('mutation { createTicket(input: {subject: "Card declined", customerName: "Carol", customerEmail: "carol@example.com", body: "Declined twice"}) { id } }');
    const bobContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await bobContext.addInitScript((t) => localStorage.setItem('pulseboard.token', t), bob);
    bobContext.setDefaultTimeout(8_000);
    admin.context.setDefaultTimeout(8_000);
    const bobPage = await bobContext.newPage();
    const ada = admin.page;
    await Promise.all([ada.goto(`${base}/#/tickets/${createTicket.id}`), bobPage.goto(`${base}/#/tickets/${createTicket.id}`)]);
    try {
      await Promise.all([ada.locator('[data-message="Declined twice"]').waitFor({ timeout: 8_000 }), bobPage.locator('[data-message="Declined twice"]').waitFor({ timeout: 8_000 })]);
    } catch (error) {
      await shot(ada, 'tickets-failure-ada');
      await shot(bobPage, 'tickets-failure-bob');
      throw error;
    }
    await ada.waitForTimeout(500);

    await ada.getByLabel('Message').fill('Looking into it, Carol');
    await ada.getByRole('button', { name: 'Send' }).click();
    await bobPage.locator('[data-message="Looking into it, Carol"]').waitFor();

    await bobPage.getByLabel('Message').pressSequentially('Fraud flag', { delay: 20 });
    await expect.poll(() => ada.locator('[data-testid="typing"]').textContent()).toBe('Bob Agent is typing…');
    await bobPage.getByLabel('internal').check();
    await bobPage.getByRole('button', { name: 'Send' }).click();
    const note = ada.locator('[data-message="Fraud flag"]');
    await note.waitFor();
    // the typist sent: the indicator goes with the message, not when typing lapses (30 s here)
    expect(await ada.locator('[data-testid="typing"]').textContent()).toBe('');

    // another agent changes priority and assignee: Ada's view follows, live
    await bobPage.getByLabel('Priority').selectOption('URGENT');
    await bobPage.getByLabel('Assignee').selectOption({ label: 'Bob Agent' });
    await expect.poll(() => ada.getByLabel('Priority').inputValue()).toBe('URGENT');
    await expect.poll(() => ada.getByLabel('Assignee').locator('option:checked').textContent()).toBe('Bob Agent');
    await bobPage.getByLabel('Status', { exact: true }).selectOption('PENDING');
    await expect.poll(() => ada.getByLabel('Status', { exact: true }).inputValue()).toBe('PENDING');
    expect(await note.getAttribute('class')).toContain('internal');
    const order = await ada.locator('[data-testid="chat"] [data-message]').evaluateAll((els) => els.map((e) => e.getAttribute('data-message')));
    expect(order).toEqual(['Declined twice', 'Looking into it, Carol', 'Fraud flag']);
    expect(await ada.locator('[data-message="Looking into it, Carol"]').getAttribute('class')).toContain('mine');
    await shot(ada, 'tickets');
    await bobContext.close();
  });

  it('settings: a new service token’s secret is shown once', async () => {
    const { page } = admin;
    await page.goto(`${base}/#/settings`);
    await page.getByLabel('Token name').fill('nightly etl');
    await page.getByLabel('Channel patterns').fill('etl:*');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.locator('[data-testid="token-secret"]').textContent();
    expect(secret).toMatch(/^pbs_/);
    await shot(page, 'settings');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    await page.getByText('nightly etl').waitFor();
    expect(await page.content()).not.toContain(secret!);
  });

  it('the header dot is not "live" while requests hang, and says so under the header', async () => {
    const page = await admin.context.newPage();
    await page.goto(`${base}/#/services`);
    await page.locator('[data-connection="live"]').waitFor();
    // every GraphQL request from now on is held, as a saturated connection pool would
    const held: (() => Promise<void>)[] = [];
    await page.route('**/graphql', (route) => void held.push(() => route.continue()));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Monitors' }).click();
    await page.getByText('Loading monitors…').waitFor();
    await page.locator('[data-connection="stalled"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="outage-banner"]').textContent()).toContain('slow to answer');
    await Promise.all(held.map((go) => go()));
    await page.unroute('**/graphql');
    await page.locator('[data-monitor="Checkout API"]').waitFor();
    await page.locator('[data-connection="live"]').waitFor();
    expect(await page.locator('[data-testid="outage-banner"]').count()).toBe(0);
    await page.close();
  });

  it('the theme follows the OS and the header button overrides it, in every tab of the browser', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    await context.addInitScript((t) => localStorage.setItem('pulseboard.token', t), admin.token);
    const [one, two] = [await context.newPage(), await context.newPage()];
    for (const page of [one!, two!]) await page.goto(`${base}/#/services`);
    const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background(one!)).toBe('rgb(244, 246, 248)');
    const toggle = one!.getByRole('button', { name: /Theme:/ });
    await toggle.click(); // system -> light
    await toggle.click(); // light -> dark
    expect(await one!.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await background(one!)).toBe('rgb(15, 20, 25)');
    await expect.poll(() => background(two!)).toBe('rgb(15, 20, 25)');
    await context.close();
  });

  it('moving between pages before they finish loading throws nothing (no uncaught "signal is aborted")', async () => {
    const page = await admin.context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${base}/#/services`);
    await page.locator('[data-connection="live"]').waitFor();
    for (let round = 0; round < 2; round++) {
      for (const name of ['Logs', 'Monitors', 'Incidents', 'Tickets', 'Settings', 'Services']) {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
      }
    }
    await page.getByRole('heading', { name: 'Services' }).waitFor();
    await page.locator('[data-service]').first().waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
