import { readFileSync } from 'node:fs';
import type { TestApp } from './app.js';

/** Every entry stored for a pattern, in cursor order, read from the store itself. */
export async function storedEntries(t: TestApp, tenantId: string, pattern = '*') {
  const head = await t.app.logs.head(tenantId);
  const all: { seq: number; channel: string; level: string; message: string; fields: unknown }[] = [];
  for await (const page of t.app.logs.replay(tenantId, pattern, 0, head)) all.push(...(page as any[]));
  return all;
}

/**
 * Whether this build's schema takes `publishLogs(idempotencyKey:)` (issue 16). Tests that need the
 * server to de-duplicate retries run once it does; the kit works either way.
 */
export const serverTakesIdempotencyKeys = (() => {
  const schema = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
  const start = schema.indexOf('  publishLogs(');
  return start >= 0 && schema.slice(start, schema.indexOf('): PublishLogsPayload', start)).includes('idempotencyKey');
})();
