#!/usr/bin/env node
// In the repository the CLI runs from its TypeScript source (through tsx, a dev dependency of
// the repository); an installed package runs its compiled dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/bin.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/bin.js');
}
