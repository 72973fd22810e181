import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { seriousViolations } from './axe.js';
import { buildConsole, collectPageErrors, DESKTOP, hasChromium, launchBrowser, PHONE, signedInContext } from './support.js';

const SHOTS = process.env.PULSEBOARD_SCREENSHOTS;

/**
 * Logs, Tickets and Services of issue 21 along their main paths against a real server: logs
 * published with a service token, tickets between a support widget's token and two agents,
 * services reporting, going STALE and deleted — with axe and width checks at both sizes.
 */
describe.skipIf(!hasChromium)('logs, tickets and services screens', () => {
  let t: TestApp;
  let browser: Browser;
  let token: string;
  let svc: string;

  const gql = async (query: string, variables: Record<string, unknown> = {}, as = token) => {
    const result = await t.gql(query, variables, as);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  };
  const report = (input: Record<string, unknown>) => gql('mutation ($input: ServiceStatusInput!) { reportServiceStatus(input: $input) { key } }', { input }, svc);

  beforeAll(async () => {
    const webRoot = buildConsole();
    t = await startApp({ webRoot });
    browser = await launchBrowser();
    ({ token } = await t.signUp('Ada'));
    svc = (await gql('mutation { createServiceToken(name: "publisher", channels: ["*"]) { secret } }')).createServiceToken.secret;
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(page: Page, hash: string) {
    await page.goto(`${t.url}/${hash}`);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
  }

  /** axe, width and (when asked) a screenshot of the state the page is in. */
  async function check(page: Page, name: string, size: 'desktop' | 'phone') {
    await expect.poll(() => page.locator('[data-testid="loading"]').count(), { timeout: 10_000 }).toBe(0);
    expect(await seriousViolations(page), `${name} at ${size}`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} at ${size} is wider than the screen`).toBeLessThanOrEqual(0);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${size}.png`, animations: 'disabled' });
  }

  describe('services', () => {
    it('a grid with sparklines and details; a silent service shows STALE with its last state; filter in the URL; delete asks first', async () => {
      await report({ key: 'quick-worker', name: 'Quick worker', state: 'RUNNING', intervalSeconds: 1, queueSize: 5, processedCount: 100, details: { region: 'eu-west', build: { version: '1.4.2' } } });
      await report({ key: 'slow-sync', name: 'Slow sync', state: 'DEGRADED', intervalSeconds: 3600, queueSize: 118, processedCount: 56_000, failedCount: 12, message: 'Queue above 100' });
      await report({ key: 'nightly-export', name: 'Nightly export', state: 'IDLE', intervalSeconds: 3600, queueSize: 0, processedCount: 2_000 });
      const context = await signedInContext(browser, token, { viewport: DESKTOP });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await open(page, '#/services');
      const quick = page.locator('[data-service="quick-worker"]');
      await quick.waitFor();
      expect(await quick.getByTestId('details').textContent()).toContain('build.version1.4.2');
      expect(await quick.getByRole('img', { name: /^Queue, last 60 min: now 5/ }).count()).toBe(1);
      expect(await quick.getByRole('link', { name: 'Logs of Quick worker' }).getAttribute('href')).toBe('#/logs?channel=quick-worker');
      // it promised every second and went silent: STALE after 3 intervals, its last real state kept
      await expect.poll(() => quick.getByTestId('state-badge').textContent(), { timeout: 15_000 }).toBe('STALE — was RUNNING');
      expect(await quick.getAttribute('data-state')).toBe('STALE');
      // three cards fill a 1440 px screen
      const widths = await page.locator('[data-service]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      expect(widths.reduce((a, b) => a + b, 0)).toBeGreaterThan(1200);
      await check(page, 'services-live', 'desktop');

      await page.getByLabel('State').selectOption('STALE');
      await expect.poll(() => page.locator('[data-service]').count()).toBe(1);
      await page.getByLabel('Filter by name, key or message').fill('nothing like it');
      await page.getByText('No service matches this filter.').waitFor();
      await page.getByLabel('Filter by name, key or message').fill('quick');
      expect(page.url()).toContain('#/services?state=STALE&q=quick');
      await page.reload();
      await quick.waitFor();
      expect(await page.locator('[data-service]').count()).toBe(1);
      expect(await page.getByLabel('State').inputValue()).toBe('STALE');

      await open(page, '#/services');
      const slow = page.locator('[data-service="slow-sync"]');
      await slow.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog', { name: 'Delete “Slow sync”?' }).getByRole('button', { name: 'Keep it' }).click();
      expect(await slow.count()).toBe(1);
      await slow.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete service' }).click();
      await slow.waitFor({ state: 'detached' });
      expect((await gql('{ services { key } }')).services.map((s: { key: string }) => s.key).sort()).toEqual(['nightly-export', 'quick-worker']);
      expect(errors).toEqual([]);
      await context.close();

      const phone = await signedInContext(browser, token, { viewport: PHONE, colorScheme: 'light' });
      const small = await phone.newPage();
      await open(small, '#/services');
      await small.locator('[data-service="quick-worker"]').waitFor();
      const xs = await small.locator('[data-service]').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
      expect(new Set(xs).size).toBe(1);
      await check(small, 'services-live', 'phone');
      await phone.close();
    }, 90_000);
  });
});
