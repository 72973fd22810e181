// `npm run screenshots`: the README's screenshots, made by the browser suite itself — every page
// and state at 1440x900 (dark) and 390x844 (light, the OS setting), with seeded data, plus the
// outage banner and the gap marker — written to docs/screenshots/.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const dir = 'docs/screenshots';
mkdirSync(dir, { recursive: true });
const run = spawnSync('npx', ['vitest', 'run', 'test/e2e/pages.test.ts', 'test/e2e/console.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, PULSEBOARD_SCREENSHOTS: dir },
});
if (run.status !== 0) process.exit(run.status ?? 1);
console.log(`screenshots written to ${dir}/`);
