import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApp } from './app.js';
import { createPostgresDatabase, postgresUrl } from './services.js';

/** A fetch call's body as text (the kit always sends JSON strings). */
export const bodyText = (init?: RequestInit) => (typeof init?.body === 'string' ? init.body : '');

/** A fetch call's URL as text, whatever form the caller gave it in. */
export const urlOf = (input: string | URL | Request) => (input instanceof Request ? input.url : input.toString());

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

/** A store that outlives a server process: a PostgreSQL database of its own, else a PGlite directory. */
export async function durableStore(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (postgresUrl) {
    const database = await createPostgresDatabase();
    return { env: { DATABASE_URL: database.url }, drop: database.drop };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'pb-kit-'));
  return { env: { DATA_DIR: dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Registers a workspace on a server process (the first one is always open); returns its admin's token. */
export async function registerOver(url: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($input: RegisterInput!) { register(input: $input) { token } }',
      variables: { input: { email: `kit-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Kit', tenantName: 'Kit Inc' } },
    }),
  });
  const body = (await response.json()) as any;
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.register.token as string;
}

