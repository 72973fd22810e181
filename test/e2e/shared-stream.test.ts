import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { buildConsole, collectPageErrors, hasChromium, launchBrowser, openStreams, signedInContext } from './support.js';

const TABS = 8;

describe.skipIf(!hasChromium)('one event stream per browser, however many tabs', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: { token: string };
  let svc: string;

  beforeAll(async () => {
    const webRoot = buildConsole();
    t = await startApp({ config: { sseKeepAliveMs: 2_000 }, webRoot });
    browser = await launchBrowser();
    admin = await t.signUp('tabs');
    const created = await t.gql('mutation { createServiceToken(name: "tail", channels: ["*"]) { secret } }', {}, admin.token);
    svc = created.data.createServiceToken.secret;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const publish = async (channel: string, messages: string[]) => {
    const result = await t.gql('mutation ($c: String!, $e: [LogEntryInput!]!) { publishLogs(channel: $c, entries: $e) { count } }', { c: channel, e: messages.map((message) => ({ level: 'INFO', message })) }, svc);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  };
  const messages = (page: Page) => page.locator('[data-testid="log-view"] .log-line .msg').allTextContents();

  async function openTabs(context: BrowserContext, channel: string) {
    const pages: Page[] = [];
    const errors: string[][] = [];
    for (let i = 0; i < TABS; i++) {
      const page = await context.newPage();
      errors.push(collectPageErrors(page));
      await page.goto(`${t.url}/#/logs?channel=${channel}`);
      pages.push(page);
    }
    await Promise.all(pages.map((page) => page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 })));
    return { pages, errors };
  }

  /** Every tab answers a plain GraphQL request of its own, while all of them are live. */
  async function everyTabAnswers(pages: Page[]) {
    const answers = await Promise.all(
      pages.map((page) =>
        page.evaluate(async () => {
          const response = await fetch('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${localStorage.getItem('pulseboard.token')}` },
            body: JSON.stringify({ query: '{ viewer { name } }' }),
            signal: AbortSignal.timeout(5_000),
          });
          return (await response.json()).data.viewer.name as string;
        }),
      ),
    );
    expect(answers).toEqual(pages.map(() => 'tabs'));
  }

  /**
   * Publishes 60 lines in batches while `midway` runs (a tab closing), then checks that every
   * remaining tab shows all of them, once each, in order.
   */
  async function tailThrough(channel: string, pages: Page[], midway: () => Promise<void>) {
    const expected: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const lines = Array.from({ length: 10 }, (_, i) => `line ${batch * 10 + i + 1}`);
      expected.push(...lines);
      await publish(`${channel}:a`, lines);
      if (batch === 2) await midway();
    }
    for (const page of pages) {
      await expect.poll(() => messages(page), { timeout: 15_000 }).toEqual(expected);
      const cursors = await page.locator('[data-testid="log-view"] .log-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-cursor')));
      expect(new Set(cursors).size).toBe(cursors.length);
    }
  }

  it(`SharedWorker: ${TABS} tabs live on ONE server stream, every tab answered, a tab closed mid-tail loses nothing in the others`, async () => {
    const context = await signedInContext(browser, admin.token);
    try {
      const { pages, errors } = await openTabs(context, 'worker:*');
      expect(await pages[0]!.locator('[data-stream-mode]').getAttribute('data-stream-mode')).toBe('worker');
      await expect.poll(() => openStreams(t.url)).toBe(1);
      await everyTabAnswers(pages);

      const [first, ...others] = pages;
      await tailThrough('worker', others, () => first!.close());
      expect(await openStreams(t.url)).toBe(1);
      // per-tab unsubscribe: a tab leaving the Logs page stops its own operation only
      await others[0]!.goto(`${t.url}/#/services`);
      await publish('worker:a', ['after one tab left']);
      await expect.poll(() => messages(others[1]!)).toContain('after one tab left');
      expect(errors.flat()).toEqual([]);
    } finally {
      await context.close();
    }
    // the last tab gone: no stream left on the server
    await expect.poll(() => openStreams(t.url), { timeout: 10_000 }).toBe(0);
  }, 90_000);

  it(`without SharedWorker: the leader tab holds the one stream; closing it mid-tail hands over with every line once`, async () => {
    const context = await signedInContext(browser, admin.token, { streamMode: 'leader' });
    try {
      const { pages, errors } = await openTabs(context, 'leader:*');
      expect(await pages[3]!.locator('[data-stream-mode]').getAttribute('data-stream-mode')).toBe('leader');
      await expect.poll(() => openStreams(t.url)).toBe(1);
      await everyTabAnswers(pages);

      const leaders = await Promise.all(pages.map((page) => page.evaluate(() => document.documentElement.dataset.streamLeader === 'true')));
      expect(leaders.filter(Boolean)).toHaveLength(1);
      const leader = pages[leaders.indexOf(true)]!;
      const followers = pages.filter((page) => page !== leader);
      await tailThrough('leader', followers, () => leader.close());

      // one of the others took over; still one stream
      await expect.poll(async () => (await Promise.all(followers.map((page) => page.evaluate(() => document.documentElement.dataset.streamLeader === 'true')))).filter(Boolean).length).toBe(1);
      await expect.poll(() => openStreams(t.url)).toBe(1);
      await Promise.all(followers.map((page) => page.locator('[data-connection="live"]').waitFor()));
      expect(errors.flat()).toEqual([]);
    } finally {
      await context.close();
    }
    await expect.poll(() => openStreams(t.url), { timeout: 10_000 }).toBe(0);
  }, 90_000);

  it('signing out in one tab ends the browser’s stream and signs every tab out', async () => {
    const context = await signedInContext(browser, admin.token);
    try {
      const pages = [await context.newPage(), await context.newPage()];
      for (const page of pages) await page.goto(`${t.url}/#/services`);
      await Promise.all(pages.map((page) => page.locator('[data-connection="live"]').waitFor()));
      expect(await openStreams(t.url)).toBe(1);
      await pages[0]!.getByRole('button', { name: 'Sign out', exact: true }).click();
      await pages[1]!.getByRole('button', { name: 'Sign in' }).waitFor();
      await expect.poll(() => openStreams(t.url), { timeout: 10_000 }).toBe(0);
    } finally {
      await context.close();
    }
  });
});
