import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousViolations } from './axe.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === 'true') throw new Error(`CI=true and ${CHROMIUM} is missing: .ci/run installs it with apt-get`);
if (!hasChromium) console.log(`[pulseboard] skipping the browser suite: ${CHROMIUM} not installed (apt-get install -y chromium)`);

/** Builds the console into a directory of this test file's own (files run in parallel). */
export function buildConsole(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'pulseboard-web-'));
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { stdio: 'ignore' });
  return outDir;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A browser context signed in with `token` (as if the person had signed in before). */
export async function signedInContext(browser: Browser, token: string, options: { viewport?: { width: number; height: number }; streamMode?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, colorScheme: options.colorScheme ?? 'dark', isMobile: options.viewport === PHONE, hasTouch: options.viewport === PHONE });
  await context.addInitScript(
    ([t, mode]) => {
      if (!sessionStorage.getItem('pulseboard.test-init')) {
        sessionStorage.setItem('pulseboard.test-init', '1');
        localStorage.setItem('pulseboard.token', t!);
        if (mode) localStorage.setItem('pulseboard.stream', mode);
      }
    },
    [token, options.streamMode ?? ''],
  );
  return context;
}

/** Uncaught errors a page throws, collected for asserting there are none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(process.env.PB_STACKS ? String(error.stack) : error.message));
  return errors;
}

/** `pulseboard_open_streams` from /metrics. */
export async function openStreams(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('pulseboard_open_streams'));
  return Number(line?.split(' ').at(-1));
}

/** Opens a console route and waits until its stream is live. */
export async function openLive(page: Page, base: string, hash: string) {
  await page.goto(`${base}/${hash}`);
  await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
}

/**
 * What every screen must hold in the state it is in: nothing loading, no serious axe violation, no
 * width beyond the screen — and a screenshot into `shots` (PULSEBOARD_SCREENSHOTS) when asked.
 */
export async function checkScreen(page: Page, name: string, size: 'desktop' | 'phone', shots?: string) {
  await expect.poll(() => page.locator('[data-testid="loading"]').count(), { timeout: 10_000 }).toBe(0);
  expect(await seriousViolations(page), `${name} at ${size}`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} at ${size} is wider than the screen`).toBeLessThanOrEqual(0);
  if (shots) await page.screenshot({ path: `${shots}/${name}-${size}.png`, animations: 'disabled' });
}
