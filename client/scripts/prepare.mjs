// npm's `prepare`: compiles dist/ on install and pack when TypeScript is at hand (a development
// install of the repository, `npm pack`). A production install (`npm ci --omit=dev`) has no
// compiler and needs no dist/ — the server does not import the kit — so it skips the build.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let tsc;
try {
  // typescript's exports name no bin/: find it beside the package's main module (lib/)
  tsc = join(dirname(createRequire(import.meta.url).resolve('typescript')), '..', 'bin', 'tsc');
} catch {
  process.exit(0);
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
