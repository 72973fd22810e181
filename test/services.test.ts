import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { sseClient, subscribe } from './support/sse.js';
import { createTestStore, createTestBus, postgresUrl, redisUrl } from './support/services.js';

const REPORT = /* GraphQL */ `
  mutation ($input: ServiceStatusInput!) { reportServiceStatus(input: $input) { key state queueSize stale } }
`;
const STATUS = /* GraphQL */ `
  subscription { serviceStatus { kind key services { key state queueSize processedCount message } } }
`;

type Picture = Record<string, { state: string; queueSize: number | null }>;

/** Applies serviceStatus events to a picture, as a client would. */
function apply(picture: Picture, event: any): Picture {
  if (event.kind === 'SNAPSHOT') picture = {};
  else if (event.kind === 'REMOVED') delete picture[event.key];
  for (const s of event.services) picture[s.key] = { state: s.state, queueSize: s.queueSize };
  return picture;
}

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signUp']>>;
beforeAll(async () => {
  t = await startApp({ config: { staleCheckIntervalMs: 100 } });
  admin = await t.signUp('services');
});
afterAll(() => t.close());

const report = (input: Record<string, unknown>, token = admin.token) =>
  t.gql(REPORT, { input: { intervalSeconds: 60, state: 'RUNNING', ...input } }, token);

describe('service status', () => {
  it('the first event is a SNAPSHOT of every service, then one UPDATED per change, REMOVED on delete', async () => {
    const { token } = await t.signUp('snapshot');
    await report({ key: 'balance-sync', name: 'Balance sync', queueSize: 10 }, token);
    await report({ key: 'discovery', state: 'IDLE' }, token);

    const client = sseClient(t.url, token, false);
    const sub = subscribe(client, STATUS);
    const [snapshot] = await sub.waitFor(1);
    expect(snapshot.data.serviceStatus).toEqual({
      kind: 'SNAPSHOT',
      key: null,
      services: [
        { key: 'balance-sync', state: 'RUNNING', queueSize: 10, processedCount: null, message: null },
        { key: 'discovery', state: 'IDLE', queueSize: null, processedCount: null, message: null },
      ],
    });
    await report({ key: 'balance-sync', queueSize: 4, processedCount: 6 }, token);
    await report({ key: 'etl', state: 'DEGRADED', message: 'retrying' }, token);
    await t.gql('mutation { deleteService(key: "discovery") }', {}, token);
    const events = (await sub.waitFor(4)).slice(1).map((r) => r.data.serviceStatus);
    expect(events).toEqual([
      { kind: 'UPDATED', key: 'balance-sync', services: [{ key: 'balance-sync', state: 'RUNNING', queueSize: 4, processedCount: 6, message: null }] },
      { kind: 'UPDATED', key: 'etl', services: [{ key: 'etl', state: 'DEGRADED', queueSize: null, processedCount: null, message: 'retrying' }] },
      { kind: 'REMOVED', key: 'discovery', services: [] },
    ]);
    expect((await t.gql('{ services { key } }', {}, token)).data.services.map((s: any) => s.key)).toEqual(['balance-sync', 'etl']);
    client.dispose();
  });

  it('a service silent for 3 × its interval becomes STALE by itself, subscribers are told, a report clears it', async () => {
    const { token } = await t.signUp('stale');
    const client = sseClient(t.url, token, true);
    const sub = subscribe(client, STATUS);
    await sub.waitFor(1);
    await report({ key: 'quiet', intervalSeconds: 1 }, token);
    const events = await sub.waitFor(3, 8_000);
    expect(events.slice(1).map((r) => r.data.serviceStatus.services[0].state)).toEqual(['RUNNING', 'STALE']);
    const history = await t.gql('{ serviceHistory(key: "quiet") { state previousState message } }', {}, token);
    expect(history.data.serviceHistory).toEqual([
      { state: 'RUNNING', previousState: null, message: null },
      { state: 'STALE', previousState: 'RUNNING', message: 'No report for 3 × 1 s' },
    ]);
    await report({ key: 'quiet', intervalSeconds: 60 }, token);
    expect((await sub.waitFor(4)).at(-1).data.serviceStatus.services[0].state).toBe('RUNNING');
    client.dispose();
  });

  it('two subscribers — one reading, one stalled — end with the same picture as the server', async () => {
    const { token, tenantId } = await t.signUp('latest-wins');
    await report({ key: 'a', queueSize: 0 }, token);
    const reader = subscribe(sseClient(t.url, token, false), STATUS);
    await reader.waitFor(1);
    // the stalled one: opened, then not pulled until the end
    const operation = new AbortController();
    const stalled = await t.app.streams.serviceStatus({ tenantId, signal: operation.signal });
    const first = await stalled.next();
    expect(first.value!.kind).toBe('SNAPSHOT');

    for (let i = 1; i <= 30; i++) await report({ key: ['a', 'b', 'c'][i % 3], queueSize: i }, token);
    await t.gql('mutation { deleteService(key: "c") }', {}, token);
    await report({ key: 'd', state: 'FAILED' }, token);

    const server: Picture = {};
    for (const s of (await t.gql('{ services { key state queueSize } }', {}, token)).data.services) server[s.key] = { state: s.state, queueSize: s.queueSize };

    await new Promise((r) => setTimeout(r, 300));
    let readerPicture: Picture = {};
    for (const r of reader.results) readerPicture = apply(readerPicture, r.data.serviceStatus);
    expect(readerPicture).toEqual(server);

    let stalledPicture = apply({}, { kind: 'SNAPSHOT', services: first.value!.services.map((s: any) => ({ key: s.key, state: s.state, queueSize: s.queueSize })) });
    let pulled = 0;
    for (;;) {
      const next = await Promise.race([stalled.next(), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
      if (!next) break;
      pulled++;
      stalledPicture = apply(stalledPicture, { ...next.value, services: next.value!.services.map((s: any) => ({ key: s.key, state: s.state, queueSize: s.queueSize })) });
    }
    expect(stalledPicture).toEqual(server);
    // coalesced: far fewer events than changes, at most one per service
    expect(pulled).toBeLessThanOrEqual(4);
    operation.abort();
  });

  it('tenant B sees nothing of tenant A', async () => {
    const a = await t.signUp('status-a');
    const b = await t.signUp('status-b');
    await report({ key: 'secret-job' }, a.token);
    const sub = subscribe(sseClient(t.url, b.token, false), STATUS);
    await sub.waitFor(1);
    await report({ key: 'secret-job', queueSize: 99 }, a.token);
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.results.map((r) => r.data.serviceStatus)).toEqual([{ kind: 'SNAPSHOT', key: null, services: [] }]);
    expect((await t.gql('{ services { key } service(key: "secret-job") { key } }', {}, b.token)).data).toEqual({ services: [], service: null });
    const del = await t.gql('mutation { deleteService(key: "secret-job") }', {}, b.token);
    expect(del.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql('{ service(key: "secret-job") { queueSize } }', {}, a.token)).data.service.queueSize).toBe(99);
  });

  it('a service token reports only for keys its patterns allow; a MEMBER may not report', async () => {
    const created = await t.gql('mutation { createServiceToken(name: "sync", channels: ["balance-sync"]) { secret } }', {}, admin.token);
    const secret = created.data.createServiceToken.secret;
    expect((await report({ key: 'balance-sync' }, secret)).data.reportServiceStatus.state).toBe('RUNNING');
    const refused = await report({ key: 'payroll' }, secret);
    expect(refused.errors![0]).toMatchObject({ message: 'Not allowed to call reportServiceStatus: this service token covers only balance-sync', extensions: { code: 'FORBIDDEN', tokenPatterns: ['balance-sync'] } });
    expect((await t.gql('{ service(key: "payroll") { key } }', {}, admin.token)).data.service).toBeNull();
  });

  it.each([
    [{ key: 'bad key' }, 'Invalid channel "bad key"'],
    [{ key: 'ok', intervalSeconds: 0 }, 'intervalSeconds must be between 1 and 86400'],
    [{ key: 'ok', queueSize: -1 }, 'queueSize must be a whole number >= 0'],
    [{ key: 'ok', state: 'STALE' }, 'STALE is set by the server'],
    [{ key: 'ok', details: [1] }, 'details must be a JSON object'],
  ])('bad report %# is BAD_USER_INPUT and stores nothing', async (input, message) => {
    const { token } = await t.signUp('bad-report');
    const result = await report(input, token);
    expect(result.errors?.[0]?.message).toContain(message);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql('{ services { key } }', {}, token)).data.services).toEqual([]);
  });
});

describe.skipIf(!redisUrl || !postgresUrl)('service status across instances', () => {
  it('a report on A reaches a subscriber on B; STALE is announced once', async () => {
    const store = await createTestStore('postgres');
    const prefix = `pbtest:status:${Date.now()}:`;
    const [busA, busB] = [createTestBus('redis', prefix), createTestBus('redis', prefix)];
    const a = await startApp({ store, bus: busA, config: { staleCheckIntervalMs: 100 } });
    const b = await startApp({ store, bus: busB, config: { staleCheckIntervalMs: 100 } });
    try {
      const { token } = await a.signUp('across');
      const sub = subscribe(sseClient(b.url, token, true), STATUS);
      await sub.waitFor(1);
      await a.gql(REPORT, { input: { key: 'x', state: 'RUNNING', intervalSeconds: 1 } }, token);
      await sub.waitFor(3, 8_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(sub.results.slice(1).map((r) => r.data.serviceStatus.services[0].state)).toEqual(['RUNNING', 'STALE']);
    } finally {
      await a.close();
      await b.close();
      await Promise.all([busA.close(), busB.close()]);
      await store.close();
    }
  });
});
