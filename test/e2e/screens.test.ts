import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { startSite } from '../support/targets.js';
import { buildConsole, checkScreen, collectPageErrors, DESKTOP, hasChromium, launchBrowser, openLive, PHONE, signedInContext } from './support.js';

const SHOTS = process.env.PULSEBOARD_SCREENSHOTS;

/**
 * The screens of issue 21, each along its main path against a real server: monitors (heartbeat,
 * uptime, chart, edit/clone/pause/delete asked first, alert rules, webhooks with a test and the
 * delivery log, maintenance), incidents (filters in the URL, detail timeline), the public status
 * page in a signed-out browser, logs, tickets and services — with axe at both sizes.
 */
describe.skipIf(!hasChromium)('console screens', () => {
  let t: TestApp;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startSite>>;
  let hook: Awaited<ReturnType<typeof startSite>>;
  let token: string;
  const ids = { up: '', down: '' };

  const gql = async (query: string, variables: Record<string, unknown> = {}, as = token) => {
    const result = await t.gql(query, variables, as);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  };

  beforeAll(async () => {
    const webRoot = buildConsole();
    t = await startApp({ config: { monitorAllowPrivate: true, monitorMinIntervalSeconds: 1 }, webRoot });
    browser = await launchBrowser();
    site = await startSite({ status: 200 });
    hook = await startSite({ status: 202, body: 'thanks' });
    ({ token } = await t.signUp('Ada'));
    ids.up = (await gql(`mutation { createMonitor(input: {name: "Checkout API", url: "${site.url}", intervalSeconds: 3600}) { id } }`)).createMonitor.id;
    ids.down = (await gql(`mutation { createMonitor(input: {name: "Payments webhook", url: "${site.url}hook", intervalSeconds: 3600, expectedStatus: "204"}) { id } }`)).createMonitor.id;
    for (let i = 0; i < 3; i++) await gql(`mutation { runMonitorCheck(id: "${ids.up}") { ok } }`);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await hook?.close();
    await t?.close();
  });

  const open = (page: Page, hash: string) => openLive(page, t.url, hash);
  /** axe, width and (when asked) a screenshot of the state the page is in. */
  const check = (page: Page, name: string, size: 'desktop' | 'phone') => checkScreen(page, name, size, SHOTS);

  describe('monitors', () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];
    beforeAll(async () => {
      context = await signedInContext(browser, token, { viewport: DESKTOP });
      page = await context.newPage();
      errors = collectPageErrors(page);
    });
    afterAll(() => context?.close());

    it('lists monitors with a heartbeat bar and uptime over 24 h, 7 d and 30 d', async () => {
      await open(page, '#/monitors');
      const row = page.locator('[data-monitor="Checkout API"]');
      await row.waitFor();
      // the first check runs on create, then three by hand
      await expect.poll(() => row.locator('.beat.ok').count()).toBe(4);
      expect(await row.getByRole('img', { name: /Last 4 checks: 4 passed, 0 failed/ }).count()).toBe(1);
      expect(await row.textContent()).toContain('100 %');
    });

    it('creates a monitor: a field error moves nothing, Cancel is not primary, the detail shows at once', async () => {
      await open(page, '#/monitors');
      await page.getByRole('button', { name: 'New monitor' }).click();
      const form = page.getByRole('form', { name: 'New monitor' });
      expect((await form.getByRole('button', { name: 'Cancel' }).getAttribute('class')) ?? '').not.toContain('primary');
      expect(await form.getByRole('button', { name: 'Create' }).getAttribute('class')).toContain('primary');
      await form.getByLabel('Name').fill('Search');
      await form.getByLabel('URL').fill('not a url');
      const before = await form.boundingBox();
      await form.getByRole('button', { name: 'Create' }).click();
      await expect.poll(async () => (await form.locator('.field-error, .form-error').allTextContents()).join('').length).toBeGreaterThan(0);
      expect((await form.boundingBox())?.height).toBe(before?.height);
      await form.getByLabel('URL').fill(`${site.url}search`);
      await form.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: 'Search' }).waitFor({ timeout: 2_000 });
      await page.getByRole('img', { name: /Response time chart/ }).waitFor();
    });

    it('shows the chart with time labels, avg and p95, over ranges in the URL', async () => {
      await open(page, `#/monitors/${ids.up}`);
      const chart = page.getByRole('img', { name: /Response time chart, last 24 hours/ });
      await chart.waitFor();
      expect(await page.locator('.uplot canvas').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('chart-summary').textContent()).toMatch(/avg [\d.]+ m?s.*p95 [\d.]+ m?s/);
      await page.getByRole('group', { name: 'Chart range' }).getByRole('link', { name: '7 d' }).click();
      await page.getByRole('img', { name: /Response time chart, last 7 days/ }).waitFor();
      await expect.poll(() => page.url()).toContain('range=week');
      await check(page, 'monitor', 'desktop');
    });

    it('edits, pauses, clones, and deletes only after asking', async () => {
      await open(page, `#/monitors/${ids.up}`);
      await page.getByRole('heading', { name: 'Checkout API' }).waitFor();
      await page.getByRole('button', { name: 'Edit' }).click();
      const form = page.getByRole('form', { name: 'Edit monitor' });
      await form.getByLabel('Name').fill('Checkout API v2');
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Checkout API v2' }).waitFor();
      await page.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(() => page.getByTestId('monitor-status').textContent()).toBe('PAUSED');
      await page.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => page.getByTestId('monitor-status').textContent()).not.toBe('PAUSED');
      await page.getByRole('button', { name: 'Clone' }).click();
      await page.getByRole('heading', { name: 'Checkout API v2 (copy)' }).waitFor();
      await page.getByRole('button', { name: 'Delete' }).click();
      const dialog = page.getByRole('dialog', { name: /Delete “Checkout API v2 \(copy\)”/ });
      await dialog.getByRole('button', { name: 'Keep it' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete monitor' }).click();
      await page.getByRole('heading', { name: 'Monitors', exact: true }).waitFor();
      await page.locator('[data-monitor="Checkout API v2"]').waitFor();
      expect(await page.locator('[data-monitor="Checkout API v2 (copy)"]').count()).toBe(0);
    });

    it('alert rule with a webhook: create, send test, see the answer in the delivery log', async () => {
      await open(page, '#/monitors/rules');
      await page.getByRole('button', { name: 'New alert rule' }).click();
      const form = page.getByRole('form', { name: 'New alert rule' });
      await form.getByLabel('Name').fill('payments slow');
      await form.getByLabel('Condition').selectOption({ label: 'Slow responses' });
      await form.getByLabel('Slower than (ms)').fill('60000');
      await form.getByLabel('Monitor').selectOption({ label: 'Payments webhook' });
      await form.getByLabel(/Webhooks/).fill(`${hook.url}pager`);
      await form.getByRole('button', { name: 'Create rule' }).click();
      const row = page.locator('[data-rule="payments slow"]');
      await row.waitFor();
      await row.getByRole('button', { name: 'Send test' }).click();
      await page.getByRole('region', { name: 'Test results' }).locator('[data-delivery-status="DELIVERED"]').waitFor();
      await check(page, 'alert-rules', 'desktop');

      await open(page, '#/monitors/notifications');
      await page.getByLabel('Webhook URL').fill(`${hook.url}other`);
      await page.getByRole('button', { name: 'Send test' }).click();
      await page.getByTestId('test-result').getByText('202').first().waitFor();
      await expect.poll(() => page.locator('[data-delivery="test"]').count()).toBeGreaterThanOrEqual(2);
      await check(page, 'notifications', 'desktop');
    });

    it('schedules maintenance for a monitor', async () => {
      await open(page, '#/monitors/maintenance');
      await page.getByRole('button', { name: 'Schedule maintenance' }).click();
      const form = page.getByRole('form', { name: 'Schedule maintenance' });
      await form.getByLabel('What').fill('Database upgrade');
      await form.getByLabel('Checkout API v2').check();
      await form.getByRole('button', { name: 'Schedule' }).click();
      const row = page.locator('[data-window="Database upgrade"]');
      await row.waitFor();
      expect(await row.textContent()).toContain('IN FORCE');
      await check(page, 'maintenance', 'desktop');
      await row.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete window' }).click();
      await row.waitFor({ state: 'detached' });
      expect(errors).toEqual([]);
    });
  });

  describe('incidents', () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await signedInContext(browser, token, { viewport: DESKTOP });
      page = await context.newPage();
    });
    afterAll(() => context?.close());

    it('an incident appears live under filters kept in the URL, and its timeline tells who did what', async () => {
      await open(page, `#/incidents?status=OPEN&monitor=${ids.down}`);
      await page.getByText('No incidents match these filters.').waitFor();
      // "payments down" (with a webhook) opens it: a new rule looks at the monitor's state by itself
      // within seconds, and a check run by hand says so at once — whichever comes first
      await gql(`mutation ($url: String!) { createAlertRule(input: {name: "payments down", kind: DOWN, monitorId: "${ids.down}", webhookUrls: [$url]}) { id } }`, { url: `${hook.url}pager` });
      await gql(`mutation { runMonitorCheck(id: "${ids.down}") { ok } }`);
      const row = page.locator('[data-incident="1"]');
      await row.waitFor({ timeout: 10_000 });
      expect(await page.getByLabel('Status').inputValue()).toBe('OPEN');
      await check(page, 'incidents', 'desktop');
      await row.getByRole('link', { name: /Payments webhook is down/ }).click();
      await page.getByRole('heading', { name: /#1 Payments webhook is down/ }).waitFor();
      const timeline = page.getByRole('list', { name: /Timeline/ });
      await timeline.locator('[data-kind="OPENED"]').waitFor();
      expect(await timeline.locator('[data-kind="CHECK"]').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Acknowledge' }).click();
      await timeline.locator('[data-kind="ACKNOWLEDGED"]', { hasText: 'by Ada' }).waitFor();
      await page.getByLabel('Note', { exact: true }).fill('Receiver answers 200 where 204 is expected');
      await page.getByLabel('Show on status pages').check();
      await page.getByRole('button', { name: 'Add note' }).click();
      await timeline.locator('[data-kind="NOTE"]', { hasText: 'Receiver answers 200' }).waitFor();
      // the webhook of the rule heard of it: its attempts and answers are on the timeline
      await timeline.locator('[data-kind="WEBHOOK_ATTEMPT"]').first().waitFor({ timeout: 15_000 });
      await check(page, 'incident', 'desktop');
      await page.goto(`${t.url}/#/incidents?status=RESOLVED`);
      await page.getByText('No incidents match these filters.').waitFor();
    });
  });

  describe('public status page', () => {
    it('an admin picks monitors and a slug; a signed-out browser sees state, 90 days and incidents, live, and nothing else', async () => {
      await gql(`mutation { runMonitorCheck(id: "${ids.down}") { ok } }`);
      const admin = await signedInContext(browser, token, { viewport: DESKTOP });
      try {
        const page = await admin.newPage();
        await open(page, '#/monitors/status-pages');
        await page.getByRole('button', { name: 'New status page' }).click();
        const form = page.getByRole('form', { name: 'New status page' });
        await form.getByLabel('Title').fill('Acme status');
        await form.getByLabel('Slug (the address)').fill('acme');
        await form.getByLabel('Payments webhook').check();
        await form.getByLabel('Public name for Payments webhook').fill('Payments');
        await form.getByLabel(/^Checkout API/).first().check();
        await form.getByRole('button', { name: 'Publish page' }).click();
        await page.locator('[data-status-page="acme"]').waitFor();
        await check(page, 'status-pages', 'desktop');
      } finally {
        await admin.close();
      }

      for (const [viewport, size] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
        // nobody signed in: a fresh browser profile
        const anonymous = await browser.newContext({ viewport, colorScheme: size === 'phone' ? 'light' : 'dark' });
        try {
          const page = await anonymous.newPage();
          const errors = collectPageErrors(page);
          await page.goto(`${t.url}/status/acme`);
          await page.getByRole('heading', { name: 'Acme status' }).waitFor();
          const payments = page.locator('[data-public-monitor="Payments"]');
          await payments.waitFor();
          expect(await payments.locator('.sp-day').count()).toBe(90);
          expect(await page.getByTestId('headline').getAttribute('data-status')).not.toBe('OPERATIONAL');
          const html = await page.content();
          expect(html).not.toContain(site.url.replace(/\/$/, ''));
          expect(html).not.toContain('Sign out');
          expect(await page.evaluate(() => localStorage.getItem('pulseboard.token'))).toBeNull();
          expect(errors).toEqual([]);
          await check(page, 'status-page', size);
        } finally {
          await anonymous.close();
        }
      }

      // live: the monitor recovers and the open page follows by itself (it polls)
      const anonymous = await browser.newContext({ viewport: DESKTOP });
      try {
        const page = await anonymous.newPage();
        await page.goto(`${t.url}/status/acme`);
        const payments = page.locator('[data-public-monitor="Payments"]');
        await payments.getByText('Down').waitFor();
        site.behaviour.status = 204;
        await gql(`mutation { runMonitorCheck(id: "${ids.down}") { ok } }`);
        await expect.poll(() => payments.locator('.badge').textContent(), { timeout: 45_000, interval: 1_000 }).not.toBe('Down');
      } finally {
        site.behaviour.status = 200;
        await anonymous.close();
      }
    }, 120_000);
  });
});
