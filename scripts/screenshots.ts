// `npm run screenshots`: the README's screenshots, made by the browser suite itself — every page
// and state at 1440x900 (dark) and 390x844 (light, the OS setting), with seeded data, plus the
// outage banner and the gap marker, and the Logs / Tickets / Services screens along their main
// paths (a line expanded, the inbox's views, a canned reply in the composer, a STALE service) —
// written to docs/screenshots/. One file at a time: two browser suites at once on a small
// machine make the screenshots (and the suites) race.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const dir = 'docs/screenshots';
mkdirSync(dir, { recursive: true });
const run = spawnSync('npx', ['vitest', 'run', '--no-file-parallelism', 'test/e2e/pages.test.ts', 'test/e2e/console.test.ts', 'test/e2e/ops-screens.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, PULSEBOARD_SCREENSHOTS: dir },
});
if (run.status !== 0) process.exit(run.status ?? 1);
console.log(`screenshots written to ${dir}/`);
