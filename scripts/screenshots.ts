// Refreshes the README's screenshots: run `npm start` and `npm run demo` first, then
// `node --import tsx scripts/screenshots.ts` (PULSEBOARD_URL, default http://localhost:4000).
import { chromium } from 'playwright-core';

const api = process.env.PULSEBOARD_URL ?? 'http://localhost:4000';
const response = await fetch(`${api}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: 'mutation { login(email: "demo@pulseboard.dev", password: "pulseboard-demo") { token } }' }),
});
const token = (await response.json()).data.login.token as string;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
await context.addInitScript((t) => localStorage.setItem('pulseboard.token', t), token);
const page = await context.newPage();
for (const [path, file] of [
  ['#/services', 'services'],
  ['#/logs?channel=*', 'logs'],
] as const) {
  await page.goto(`${api}/${path}`);
  await page.locator('[data-connection="live"]').waitFor();
  await page.waitForTimeout(3_000);
  await page.screenshot({ path: `docs/screenshots/${file}.png` });
}
await browser.close();
console.log('wrote docs/screenshots/services.png and logs.png');
