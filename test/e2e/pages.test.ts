import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { startSite } from '../support/targets.js';
import { seriousViolations } from './axe.js';
import { buildConsole, collectPageErrors, DESKTOP, hasChromium, launchBrowser, PHONE, signedInContext } from './support.js';

// `npm run screenshots` sets this to docs/screenshots; the suite itself only checks
const SHOTS = process.env.PULSEBOARD_SCREENSHOTS;

/**
 * Every page and state of the console, at 1440x900 (dark) and 390x844 (light): no serious or
 * critical axe violation, nothing wider than the screen, no uncaught error — and, when asked,
 * the README's screenshots. Then the main paths by keyboard alone.
 */
describe.skipIf(!hasChromium)('every page, at desktop and phone size', () => {
  let t: TestApp;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startSite>>;
  let token: string;
  const ids: { monitor: string; ticket: string } = { monitor: '', ticket: '' };

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
    ({ token } = await t.signUp('Ada'));
    await seed();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await t?.close();
  });

  async function seed() {
    const svc = (await gql('mutation { createServiceToken(name: "demo services", channels: ["*"]) { secret } }')).createServiceToken.secret;
    const report = (input: Record<string, unknown>) => gql('mutation ($input: ServiceStatusInput!) { reportServiceStatus(input: $input) { key } }', { input }, svc);
    await report({ key: 'balance-sync', name: 'Balance sync', state: 'RUNNING', intervalSeconds: 3600, queueSize: 42, processedCount: 12_840, failedCount: 3, message: 'Synced 14 accounts' });
    await report({ key: 'account-discovery', name: 'Account discovery', state: 'IDLE', intervalSeconds: 3600, queueSize: 0, processedCount: 2_000, message: 'waiting for the next run' });
    await report({ key: 'etl:workflow456', name: 'ETL workflow 456', state: 'DEGRADED', intervalSeconds: 3600, queueSize: 118, processedCount: 56_000, failedCount: 12, message: 'Queue above 100' });
    const levels = ['INFO', 'DEBUG', 'INFO', 'WARN', 'INFO', 'ERROR', 'TRACE', 'INFO', 'FATAL'];
    await gql('mutation ($c: String!, $e: [LogEntryInput!]!) { publishLogs(channel: $c, entries: $e) { count } }', {
      c: 'etl:workflow456',
      e: Array.from({ length: 45 }, (_, i) => ({ level: levels[i % levels.length], message: i % 9 === 5 ? `load failed: connection reset by peer (batch ${i})` : `transform: ${1000 + i * 37} rows`, fields: { step: 'transform', batch: i } })),
    }, svc);
    const up = (await gql(`mutation { createMonitor(input: {name: "Checkout API", url: "${site.url}", intervalSeconds: 3600}) { id } }`)).createMonitor.id;
    ids.monitor = up;
    await gql(`mutation { runMonitorCheck(id: "${up}") { ok } }`);
    await gql(`mutation { runMonitorCheck(id: "${up}") { ok } }`);
    const down = (await gql(`mutation { createMonitor(input: {name: "Payments webhook", url: "${site.url}/hook", intervalSeconds: 3600, expectedStatus: "204"}) { id } }`)).createMonitor.id;
    await gql(`mutation { createAlertRule(input: {name: "down", kind: DOWN, monitorId: "${down}"}) { id } }`);
    await gql(`mutation { runMonitorCheck(id: "${down}") { ok } }`);
    await gql('mutation { createMember(input: {email: "bob@acme.example", password: "bob-password-1", name: "Bob Agent", role: MEMBER}) { id } }');
    const widget = (await gql('mutation { createServiceToken(name: "support widget", channels: ["tickets"]) { secret } }')).createServiceToken.secret;
    ids.ticket = (await gql('mutation { createTicket(input: {subject: "Card declined twice", customerName: "Carol", customerEmail: "carol@example.com", body: "My card was declined twice at checkout.", priority: HIGH}) { id } }', {}, widget)).createTicket.id;
    await gql('mutation { createTicket(input: {subject: "Export to CSV?", customerName: "Dan", customerEmail: "dan@example.com", body: "Can I export my report?"}) { id } }', {}, widget);
    await gql(`mutation { postTicketMessage(ticketId: "${ids.ticket}", body: "Looking into it, Carol.") { cursor } }`);
    await gql(`mutation { postTicketMessage(ticketId: "${ids.ticket}", body: "Fraud rule flagged the card", internal: true) { cursor } }`);
  }

  /** The state is checked (axe, width, errors) and, when asked, photographed. */
  async function check(page: Page, name: string, size: 'desktop' | 'phone') {
    // let live data and fonts settle: the state is there when the page says it is no longer loading
    await expect.poll(() => page.locator('[data-testid="loading"]').count(), { timeout: 10_000 }).toBe(0);
    const violations = await seriousViolations(page);
    expect(violations, `${name} at ${size}`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} at ${size} is wider than the screen`).toBeLessThanOrEqual(0);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${size}.png`, animations: 'disabled' });
  }

  async function walk(context: BrowserContext, size: 'desktop' | 'phone') {
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const open = async (hash: string) => {
      await page.goto(`${t.url}/${hash}`);
      await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    };

    await open('#/services');
    await page.locator('[data-service="balance-sync"]').waitFor();
    await check(page, 'services', size);

    await open('#/logs?channel=etl:*');
    await expect.poll(() => page.locator('.log-line').count()).toBeGreaterThan(20);
    await check(page, 'logs', size);
    await page.getByLabel('Search history').fill('connection reset');
    await page.getByLabel('Search history').press('Enter');
    await page.locator('[data-hit]').first().waitFor();
    await check(page, 'logs-search', size);

    await open('#/monitors');
    await page.locator('[data-monitor="Checkout API"]').waitFor();
    await check(page, 'monitors', size);
    await open(`#/monitors/${ids.monitor}`);
    await page.getByRole('img', { name: 'Response time chart' }).waitFor();
    await check(page, 'monitor', size);

    await open('#/incidents');
    await page.locator('[data-incident="1"]').waitFor();
    await check(page, 'incidents', size);

    await open('#/tickets');
    await page.locator('[data-ticket="Card declined twice"]').waitFor();
    await check(page, 'tickets', size);
    await open(`#/tickets/${ids.ticket}`);
    await page.locator('[data-message="Looking into it, Carol."]').waitFor();
    await check(page, 'ticket', size);

    await open('#/settings');
    await page.getByText('support widget').waitFor();
    await check(page, 'settings', size);

    if (size === 'phone') {
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs' }).waitFor();
      await check(page, 'menu', size);
    }

    // signed out: the sign-in page
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await check(page, 'sign-in', size);
    expect(errors).toEqual([]);
  }

  it('desktop 1440x900, dark: every page passes axe, fits, throws nothing', async () => {
    const context = await signedInContext(browser, token, { viewport: DESKTOP, colorScheme: 'dark' });
    try {
      await walk(context, 'desktop');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('phone 390x844, light (the OS setting): every page passes axe, fits, throws nothing', async () => {
    const context = await signedInContext(browser, token, { viewport: PHONE, colorScheme: 'light' });
    try {
      await walk(context, 'phone');
    } finally {
      await context.close();
    }
  }, 120_000);

  describe('by keyboard alone', () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await signedInContext(browser, token, { viewport: DESKTOP });
      page = await context.newPage();
    });
    afterAll(() => context?.close());

    /** Presses Tab until the focused element matches, as a keyboard user would. */
    async function tabTo(describe: (el: Element) => boolean | string, what: string, max = 60) {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(`(${describe.toString()})(document.activeElement)`);
        if (focused) return;
      }
      throw new Error(`${what}: not reached with ${max} presses of Tab`);
    }
    const start = async (hash: string) => {
      // a fresh document: a hash change alone would keep the focus where it was
      await page.goto('about:blank');
      await page.goto(`${t.url}/${hash}`);
      await page.locator('[data-connection="live"]').waitFor();
      // from the top of the page, through the skip link, like a keyboard user arriving
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    };

    it('opens a monitor’s detail', async () => {
      await start('#/monitors');
      await page.locator('[data-monitor="Checkout API"]').waitFor();
      await tabTo((el) => el.textContent === 'Checkout API' && el.tagName === 'A', 'the monitor link');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Checkout API' }).waitFor();
      await expect.poll(() => page.url()).toContain(`#/monitors/${ids.monitor}`);
    });

    it('opens a ticket’s chat and sends a reply', async () => {
      await start('#/tickets');
      await page.locator('[data-ticket="Export to CSV?"]').waitFor();
      await tabTo((el) => el.tagName === 'A' && !!el.textContent?.includes('Export to CSV?'), 'the ticket link');
      await page.keyboard.press('Enter');
      await page.locator('[data-message="Can I export my report?"]').waitFor();
      await tabTo((el) => el.getAttribute('aria-label') === 'Message', 'the message box');
      await page.keyboard.type('Yes: Reports → Export');
      await page.keyboard.press('Enter');
      await page.locator('[data-message="Yes: Reports → Export"]').waitFor();
    });

    it('opens a log search hit in its context', async () => {
      await start('#/logs?channel=etl:*');
      await expect.poll(() => page.locator('.log-line').count()).toBeGreaterThan(20);
      await tabTo((el) => el.getAttribute('aria-label') === 'Search history', 'the search box');
      await page.keyboard.type('batch 14');
      await page.keyboard.press('Enter');
      await page.locator('[data-hit]').first().waitFor();
      await tabTo((el) => el.hasAttribute('data-hit'), 'the first hit');
      await page.keyboard.press('Enter');
      const focused = page.locator('.log-line.focus');
      await focused.waitFor();
      expect(await focused.textContent()).toContain('batch 14');
    });

    it('on a phone, opens the menu and goes to another page', async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${t.url}/#/services`);
      await page.locator('[data-connection="live"]').waitFor();
      await tabTo((el) => el.textContent?.includes('Menu') === true && el.tagName === 'BUTTON', 'the menu button');
      await page.keyboard.press('Enter');
      await tabTo((el) => el.textContent === 'Incidents' && el.tagName === 'A', 'the Incidents link');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Incidents' }).waitFor();
      await page.setViewportSize(DESKTOP);
    });
  });
});
