import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { buildConsole, checkScreen, collectPageErrors, DESKTOP, hasChromium, launchBrowser, openLive, PHONE, signedInContext } from './support.js';

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
  const publish = (channel: string, entries: Record<string, unknown>[]) =>
    gql('mutation ($c: String!, $e: [LogEntryInput!]!) { publishLogs(channel: $c, entries: $e) { count } }', { c: channel, e: entries }, svc);
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

  const open = (page: Page, hash: string) => openLive(page, t.url, hash);
  /** axe, width and (when asked) a screenshot of the state the page is in. */
  const check = (page: Page, name: string, size: 'desktop' | 'phone') => checkScreen(page, name, size, SHOTS);


  describe('logs', () => {
    const trace = 'TypeError: cannot read properties of undefined\n    at load (etl.js:12:5)\n    at run (etl.js:40:3)\n    at main (etl.js:88:1)';
    const json = JSON.stringify({ user: 'u-42', action: 'checkout', cart: { items: 3, total: 59.9 } });

    it('variable-height rows expand to pretty JSON and fields, wrap, regex highlight and search, chips, range, download, state in the URL', async () => {
      await publish('svc:api', [
        { level: 'INFO', message: 'extract: 1200 rows' },
        { level: 'ERROR', message: trace, fields: { http: { status: 502, path: '/orders' }, retry: true } },
        { level: 'INFO', message: json },
      ]);
      await publish('svc:worker', [
        { level: 'WARN', message: 'load slow: 2.3 s' },
        { level: 'DEBUG', message: 'heartbeat' },
      ]);
      const context = await signedInContext(browser, token, { viewport: DESKTOP });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await open(page, '#/logs?channel=svc:*');
      await expect.poll(() => page.getByTestId('line-count').textContent()).toBe('5 lines');
      const view = page.getByTestId('log-view');

      // a colour per channel, and a chip for each in the merged view
      const chips = page.getByRole('list', { name: 'Channels in this view' }).getByRole('link');
      await expect.poll(() => chips.count()).toBe(2);
      const colours = await view.locator('.log-line .ch').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.textContent, getComputedStyle(e).color])));
      expect(colours['svc:api']).not.toBe(colours['svc:worker']);

      // a stack trace: its first line on the row, the rest counted; a click opens it all, with its fields
      const traceRow = view.locator('.log-line', { hasText: 'TypeError' });
      expect(await traceRow.locator('.msg').textContent()).toBe('TypeError: cannot read properties of undefined');
      expect(await traceRow.locator('.more').textContent()).toBe('+3 lines');
      await traceRow.locator('.log-toggle').click();
      const traceDetail = view.locator('[data-detail]');
      await traceDetail.waitFor();
      expect(await traceDetail.getByTestId('log-body').textContent()).toBe(trace);
      const terms = await traceDetail.getByRole('term').allTextContents();
      const values = await traceDetail.getByRole('definition').allTextContents();
      expect(Object.fromEntries(terms.map((k, i) => [k, values[i]]))).toEqual({ 'http.status': '502', 'http.path': '/orders', retry: 'true' });
      // the next row moved down: rows are as tall as what they show
      const rowTop = async (text: string) => (await view.locator('.log-line', { hasText: text }).boundingBox())!.y;
      expect((await rowTop('"user"')) - (await rowTop('TypeError'))).toBeGreaterThan(100);
      await traceRow.locator('.log-toggle').click();
      await traceDetail.waitFor({ state: 'detached' });

      // a JSON message by keyboard: Enter opens it pretty-printed
      const jsonToggle = view.locator('.log-line', { hasText: '"user"' }).locator('.log-toggle');
      await jsonToggle.focus();
      await page.keyboard.press('Enter');
      expect(await jsonToggle.getAttribute('aria-expanded')).toBe('true');
      expect(await view.getByTestId('log-body').textContent()).toBe(JSON.stringify(JSON.parse(json), null, 2));
      await check(page, 'logs-expanded', 'desktop');
      await page.keyboard.press('Enter');

      // wrap: the whole trace on the row
      await page.getByLabel('Wrap').check();
      await expect.poll(async () => (await traceRow.boundingBox())!.height).toBeGreaterThan(60);

      // regex: highlighted as typed, searched in history on Enter, the panel closes
      await page.getByLabel(/regular expression/).check();
      await page.getByLabel('Search history').fill('load|extract');
      await expect.poll(() => view.locator('mark').allTextContents()).toEqual(['extract', 'load', 'load']);
      await page.getByLabel('Search history').press('Enter');
      const results = page.getByRole('region', { name: 'Search results' });
      await expect.poll(() => results.locator('[data-hit]').count()).toBe(3);
      expect(await results.getByRole('status').textContent()).toContain('applied in the browser over the newest 5 lines');
      await results.getByRole('button', { name: 'Close search results' }).click();
      await results.waitFor({ state: 'detached' });

      // a bad pattern is a message, not a crash
      await page.getByLabel('Search history').fill('(load');
      expect(await page.getByTestId('search-error').textContent()).toContain('Not a valid regular expression');
      expect(await page.getByRole('button', { name: 'Search', exact: true }).isDisabled()).toBe(true);
      expect(await view.locator('mark').count()).toBe(0);
      await page.getByLabel('Search history').fill('load|extract');
      // only the matching lines, as a filter
      await page.getByLabel('Only matching').check();
      await expect.poll(() => page.getByTestId('line-count').textContent()).toBe('3 of 5 lines');
      expect(await view.locator('.log-line .msg').allTextContents()).toEqual(['extract: 1200 rows', trace, 'load slow: 2.3 s']);
      await expect.poll(() => page.url()).toContain('only=1');
      await page.getByLabel('Only matching').uncheck();
      await expect.poll(() => page.getByTestId('line-count').textContent()).toBe('5 lines');

      // the URL holds the view; opened elsewhere it is the same view
      await page.getByLabel('Minimum level').selectOption('INFO');
      await expect.poll(() => page.getByTestId('line-count').textContent()).toBe('4 lines');
      await expect.poll(() => page.url()).toContain('#/logs?channel=svc%3A*&level=INFO&q=load%7Cextract&re=1&wrap=1');
      const url = page.url();
      const again = await context.newPage();
      await open(again, url.slice(t.url.length + 1));
      await expect.poll(() => again.getByTestId('line-count').textContent()).toBe('4 lines');
      expect(await again.getByLabel('Search history').inputValue()).toBe('load|extract');
      expect(await again.getByLabel(/regular expression/).isChecked()).toBe(true);
      expect(await again.getByLabel('Wrap').isChecked()).toBe(true);
      expect(await again.getByTestId('log-view').locator('mark').count()).toBe(3);
      await again.close();

      // download the view as text and as JSON lines
      const [text] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .log' }).click()]);
      const body = readFileSync((await text.path())!, 'utf8');
      expect(body.split('\n').filter((l) => /^\d{4}-/.test(l))).toHaveLength(4);
      expect(body).toContain('ERROR svc:api TypeError');
      const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .jsonl' }).click()]);
      const entries = readFileSync((await jsonl.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { channel: string; fields: unknown });
      expect(entries.map((e) => e.channel)).toEqual(['svc:api', 'svc:api', 'svc:api', 'svc:worker']);
      expect(entries[1]!.fields).toEqual({ http: { status: 502, path: '/orders' }, retry: true });

      // live lines arrive; pausing puts the cursor in the URL, and that link opens paused there
      await publish('svc:worker', [{ level: 'INFO', message: 'extract: 10 rows (live)' }]);
      await expect.poll(() => page.getByTestId('line-count').textContent()).toBe('5 lines');
      await page.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(() => page.url()).toMatch(/&at=\d+/);
      const paused = await context.newPage();
      await open(paused, page.url().slice(t.url.length + 1));
      await expect.poll(() => paused.getByTestId('line-count').textContent()).toBe('5 lines');
      expect(await paused.getByRole('button', { name: 'Resume' }).getAttribute('aria-pressed')).toBe('true');
      await publish('svc:worker', [{ level: 'INFO', message: 'after the pause' }]);
      await expect.poll(() => page.locator('[data-connection="live"]').count()).toBe(1);
      expect(await paused.getByTestId('line-count').textContent()).toBe('5 lines');
      await paused.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => paused.getByTestId('line-count').textContent()).toBe('6 lines');
      await paused.close();

      // a time range: the last 15 minutes hold everything; a custom range in the future holds nothing
      await page.getByLabel('Time range').selectOption('15m');
      await page.getByTestId('range-note').waitFor();
      await expect.poll(() => page.getByTestId('line-count').textContent()).toBe('6 lines');
      await expect.poll(() => page.url()).toContain('last=15m');
      await page.getByLabel('Time range').selectOption('custom');
      await page.getByLabel('From').fill('2099-01-01T00:00:00');
      await page.getByRole('button', { name: 'Apply range' }).click();
      await expect.poll(() => page.getByTestId('line-count').textContent()).toBe('0 lines');
      await expect.poll(() => page.url()).toContain('from=2099-');
      expect(errors).toEqual([]);
      await context.close();

      const phone = await signedInContext(browser, token, { viewport: PHONE, colorScheme: 'light' });
      const small = await phone.newPage();
      await open(small, '#/logs?channel=svc:*');
      await expect.poll(() => small.getByTestId('line-count').textContent()).toBe('7 lines');
      await small.getByTestId('log-view').locator('.log-line', { hasText: 'TypeError' }).locator('.log-toggle').click();
      await small.getByTestId('log-body').waitFor();
      await check(small, 'logs-expanded', 'phone');
      await phone.close();
    }, 120_000);
  });

  describe('tickets', () => {
    it('views with counts and unread, previews and priority, live; opening reads it; who wrote what is distinct; multi-line composer with /canned replies', async () => {
      const { userId: adaId } = await gql('{ viewer { id } }').then((d) => ({ userId: d.viewer.id as string }));
      await gql('mutation { createMember(input: {email: "bob@acme.example", password: "bob-password-1", name: "Bob Agent", role: MEMBER}) { id } }');
      const bob = (await gql('mutation { login(email: "bob@acme.example", password: "bob-password-1") { token } }', {}, '')).login.token as string;
      const widget = (await gql('mutation { createServiceToken(name: "support widget", channels: ["tickets"]) { secret } }')).createServiceToken.secret;
      const refund = (await gql('mutation { createTicket(input: {subject: "Refund please", customerName: "Carol", customerEmail: "carol@example.com", body: "I was charged twice.", priority: URGENT}) { id } }', {}, widget)).createTicket.id as string;
      await gql('mutation { createTicket(input: {subject: "Where is my invoice?", customerName: "Dan", customerEmail: "dan@example.com", body: "Cannot find it."}) { id } }', {}, widget);
      await gql(`mutation { updateTicket(id: "${refund}", assigneeId: "${adaId}") { id } }`);

      const context = await signedInContext(browser, token, { viewport: DESKTOP });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      // the open ticket's query runs again when a mutation returns a Ticket (markTicketRead): it must not loop
      let ticketQueries = 0;
      page.on('request', (request) => {
        if (request.postData()?.includes('query Ticket(')) ticketQueries++;
      });

      // a canned reply, saved for the workspace
      await open(page, '#/tickets/canned-replies');
      const form = page.getByRole('form', { name: 'New canned reply' });
      await form.getByLabel('Shortcut').fill('refund');
      await form.getByLabel('Title').fill('Refund on its way');
      await form.getByLabel('Text').fill('Your refund is on its way.\nIt takes 3-5 days.');
      await form.getByRole('button', { name: 'Add reply' }).click();
      await page.locator('[data-canned="refund"]').waitFor();
      await check(page, 'canned-replies', 'desktop');

      // Mine: one ticket, with its counts, priority, preview and unread
      await open(page, '#/tickets?view=MINE');
      const views = page.getByRole('navigation', { name: 'Inbox views' });
      await expect.poll(() => views.getByRole('link').allTextContents()).toEqual(['Mine 1', 'Unassigned 1', 'All 2']);
      const row = page.locator('[data-ticket="Refund please"]');
      await row.waitFor();
      expect(await page.locator('[data-ticket]').count()).toBe(1);
      expect(await row.locator('.prio').textContent()).toBe('URGENT');
      expect(await row.getByTestId('preview').textContent()).toBe('I was charged twice.');
      expect(await row.getAttribute('data-unread')).toBe('1');

      // live: the customer writes again
      await gql(`mutation { postTicketMessage(ticketId: "${refund}", body: "Any news?") { cursor } }`, {}, widget);
      await expect.poll(() => row.getByTestId('preview').textContent()).toBe('Any news?');
      await expect.poll(() => row.getAttribute('data-unread')).toBe('2');
      await check(page, 'tickets-inbox', 'desktop');

      // a teammate's reply and note, then opening the ticket reads it
      await gql(`mutation { postTicketMessage(ticketId: "${refund}", body: "I checked the payment provider") { cursor } }`, {}, bob);
      await gql(`mutation { postTicketMessage(ticketId: "${refund}", body: "Duplicate charge confirmed", internal: true) { cursor } }`, {}, bob);
      await expect.poll(() => row.getByTestId('preview').textContent()).toBe('Note: Duplicate charge confirmed');
      await row.getByRole('link').click();
      await page.locator('[data-message="Duplicate charge confirmed"]').waitFor();
      await expect.poll(() => row.getAttribute('data-unread')).toBe('0');
      await expect.poll(() => page.url()).toContain(`#/tickets/${refund}?view=MINE`);
      const sender = (body: string) => page.locator(`[data-message="${body}"]`).getAttribute('data-sender');
      expect(await sender('I was charged twice.')).toBe('CUSTOMER');
      expect(await sender('I checked the payment provider')).toBe('TEAMMATE');
      expect(await page.locator('[data-message="Duplicate charge confirmed"]').getAttribute('class')).toContain('internal');
      expect(await page.locator('[data-message="I checked the payment provider"]').getAttribute('class')).toContain('teammate');

      // the composer: Shift+Enter breaks the line, /ref offers the canned reply, Enter inserts, Enter sends
      const composer = page.getByLabel('Message');
      await composer.click();
      await page.keyboard.type('Hi Carol,');
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('/ref');
      const listbox = page.getByRole('listbox', { name: 'Canned replies' });
      await listbox.getByRole('option', { name: /\/refund/ }).waitFor();
      await page.keyboard.press('Enter');
      await listbox.waitFor({ state: 'detached' });
      expect(await composer.inputValue()).toBe('Hi Carol,\nYour refund is on its way.\nIt takes 3-5 days.');
      await check(page, 'ticket-chat', 'desktop');
      await page.keyboard.press('Enter');
      const mine = page.locator('[data-sender="YOU"]').last();
      await mine.waitFor();
      expect(await mine.getAttribute('data-message')).toBe('Hi Carol,\nYour refund is on its way.\nIt takes 3-5 days.');
      expect(await mine.getAttribute('class')).toContain('mine');
      expect(await mine.locator('.body').innerText()).toBe('Hi Carol,\nYour refund is on its way.\nIt takes 3-5 days.');
      expect(await composer.inputValue()).toBe('');
      expect(ticketQueries).toBeGreaterThan(0);
      expect(ticketQueries).toBeLessThan(10);
      expect(errors).toEqual([]);
      await context.close();

      const phone = await signedInContext(browser, token, { viewport: PHONE, colorScheme: 'light' });
      const small = await phone.newPage();
      await open(small, '#/tickets?view=ALL');
      await small.locator('[data-ticket="Where is my invoice?"]').waitFor();
      await check(small, 'tickets-inbox', 'phone');
      await open(small, `#/tickets/${refund}`);
      await small.locator('[data-message="Any news?"]').waitFor();
      await check(small, 'ticket-chat', 'phone');
      await phone.close();
    }, 120_000);
  });

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
      await expect.poll(() => page.url()).toContain('#/services?state=STALE&q=quick');
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
