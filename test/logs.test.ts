import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogStream } from '../server/domain/log-stream.js';
import { DomainError } from '../server/domain/errors.js';
import { startApp, type TestApp } from './support/app.js';
import { createTestBus, createTestStore, postgresUrl, redisUrl, type BusKind, type StoreKind } from './support/services.js';
import { sseClient, subscribe } from './support/sse.js';

const PUBLISH = /* GraphQL */ `
  mutation ($channel: String!, $entries: [LogEntryInput!]!) { publishLogs(channel: $channel, entries: $entries) { cursors count } }
`;
const LOGS = /* GraphQL */ `
  subscription ($channel: String!, $after: String, $minLevel: LogLevel) {
    logs(channel: $channel, after: $after, minLevel: $minLevel) { cursor channel level message fields }
  }
`;

const lines = (prefix: string, n: number, level = 'INFO') => Array.from({ length: n }, (_, i) => ({ level, message: `${prefix} ${i + 1}` }));

const combos: [StoreKind, BusKind][] = [['pglite', 'memory']];
if (postgresUrl && redisUrl) combos.push(['postgres', 'redis']);

describe.each(combos)('logs on %s with the %s bus', (storeKind, busKind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['signUp']>>;
  beforeAll(async () => {
    t = await startApp({ storeKind, busKind });
    admin = await t.signUp('logs');
  });
  afterAll(() => t.close());

  const publish = (channel: string, entries: unknown[], token = admin.token) => t.gql(PUBLISH, { channel, entries }, token);
  const stored = async (tenantId: string) =>
    Number(((await t.store.db.execute(sql`select count(*)::int as n from log_entries where tenant_id = ${tenantId}`)) as any).rows[0].n);

  it('publish -> receive, with the cursors the mutation returned', async () => {
    const client = sseClient(t.url, admin.token, false);
    const sub = subscribe(client, LOGS, { channel: 'balance-sync' });
    await new Promise((r) => setTimeout(r, 200));
    const result = await publish('balance-sync', [
      { level: 'INFO', message: 'sync started', fields: { accounts: 3 } },
      { level: 'WARN', message: 'slow bank' },
    ]);
    expect(result.errors).toBeUndefined();
    const received = await sub.waitFor(2);
    expect(received.map((r) => r.data.logs)).toEqual([
      { cursor: result.data.publishLogs.cursors[0], channel: 'balance-sync', level: 'INFO', message: 'sync started', fields: { accounts: 3 } },
      { cursor: result.data.publishLogs.cursors[1], channel: 'balance-sync', level: 'WARN', message: 'slow bank', fields: null },
    ]);
    client.dispose();
  });
});
