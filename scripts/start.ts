// `npm start`: builds the console, then starts the server — saying what it is doing, and ending
// with the addresses to open. (The Docker image builds once and runs server/index.ts directly.)
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const say = (line: string) => process.stderr.write(`${line}\n`);

say('pulseboard: building the console (Vite, web/ -> web/dist) …');
const started = performance.now();
// Vite sets NODE_ENV=production for its build; the server must see the environment it was given
const nodeEnv = process.env.NODE_ENV;
try {
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)), logLevel: 'warn' });
} catch (error) {
  say(`pulseboard: the console did not build: ${(error as Error).message}`);
  process.exit(1);
}
if (nodeEnv === undefined) delete process.env.NODE_ENV;
else process.env.NODE_ENV = nodeEnv;
say(`pulseboard: console built in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// the server says what it opens and, once listening, where everything is
process.env.PULSEBOARD_BANNER = '1';
await import('../server/index.js');
