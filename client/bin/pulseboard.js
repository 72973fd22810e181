#!/usr/bin/env node
// In the repository the CLI runs from its TypeScript source, through tsx (a dev dependency of
// the repository); an installed package runs its compiled dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/bin.ts', import.meta.url);
const tsx = existsSync(source) ? await import('tsx/esm/api').catch(() => null) : null;
if (tsx) {
  tsx.register();
  await import(source.href);
} else {
  await import('../dist/bin.js');
}
