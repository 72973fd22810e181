import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createPublisher } from '../client/src/index.js';
import { startApp } from './support/app.js';
import { bodyText, serverTakesIdempotencyKeys, storedEntries } from './support/client-kit.js';
import { addServiceToken } from './support/people.js';
import { freePort } from './support/processes.js';
import { createTestBus, createTestStore } from './support/services.js';

const PUBLISH_RE = /mutation PublishLogs/;

/** A fetch that records every publish call: when it left, what came back and the wait asked for. */
function recordingFetch() {
  const calls: { batch: string; sentAt: number; answeredAt: number; status: number; waitMs?: number; code?: string }[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const sentAt = Date.now();
    const response = await fetch(input, init);
    if (!PUBLISH_RE.test(bodyText(init))) return response;
    const body = await response.clone().json().catch(() => null);
    const extensions = body?.errors?.[0]?.extensions;
    const { variables } = JSON.parse(bodyText(init));
    // a batch is known by its channel and first entry
    const batch = `${variables.channel}/${variables.entries[0].message}`;
    calls.push({ batch, sentAt, answeredAt: Date.now(), status: response.status, waitMs: extensions?.retryAfterMs, code: extensions?.code });
    return response;
  };
  return { calls, fetch: wrapped };
}

describe('createPublisher against a real server', () => {
  it('a flood: every entry stored once and in order per channel; 429s are waited out as long as the server says', async () => {
    // a tight budget, so the flood meets the limit many times
    const t = await startApp({ config: { publishTokenEntriesPerSecond: 400, publishBurstSeconds: 1 } });
    try {
      const admin = await t.signUp('flood');
      const token = await addServiceToken(t, admin.token, ['flood:*']);
      const recorder = recordingFetch();
      const publisher = createPublisher({ url: t.url, token, fetch: recorder.fetch, batchSize: 50, flushOnExit: false });
      const channels = ['flood:a', 'flood:b', 'flood:c', 'flood:d'];
      const perChannel = 1_000;
      for (let i = 0; i < perChannel; i++) for (const channel of channels) publisher.log(channel, 'info', `${channel} ${i}`, { i });
      await publisher.flush();

      const stored = await storedEntries(t, admin.tenantId, 'flood:*');
      for (const channel of channels) {
        expect(stored.filter((e) => e.channel === channel).map((e) => e.message)).toEqual(Array.from({ length: perChannel }, (_, i) => `${channel} ${i}`));
      }
      expect(stored).toHaveLength(channels.length * perChannel);
      expect(publisher.stats()).toMatchObject({ sent: channels.length * perChannel, dropped: 0, rejected: 0, queued: 0, inFlight: 0 });

      const refusals = recorder.calls.filter((c) => c.code === 'TOO_MANY_REQUESTS');
      expect(refusals.length).toBeGreaterThan(0);
      for (const refusal of refusals) {
        // a refused batch goes out again only once the wait it was given is over
        const retry = recorder.calls.find((c) => c.batch === refusal.batch && c.sentAt >= refusal.answeredAt);
        expect(retry!.sentAt - refusal.answeredAt).toBeGreaterThanOrEqual(refusal.waitMs! - 2);
      }
      await publisher.close();
    } finally {
      await t.close();
    }
  }, 120_000);

  it.runIf(serverTakesIdempotencyKeys)('a retry after a lost answer stores nothing twice (idempotency keys)', async () => {
    const t = await startApp();
    try {
      const admin = await t.signUp('lost');
      let lose = 3;
      // the server stores the batch, the answer never reaches the publisher: it must send it again
      const losing: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (PUBLISH_RE.test(bodyText(init)) && lose-- > 0) throw new TypeError('fetch failed (answer lost)');
        return response;
      };
      const publisher = createPublisher({ url: t.url, token: admin.token, fetch: losing, batchSize: 10, flushOnExit: false });
      for (let i = 0; i < 50; i++) publisher.log('lost', 'info', `line ${i}`);
      await publisher.flush();
      expect((await storedEntries(t, admin.tenantId, 'lost')).map((e) => e.message)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`));
      expect(publisher.stats().retries).toBeGreaterThanOrEqual(3);
      await publisher.close();
    } finally {
      await t.close();
    }
  });

  it('bounded memory while the server is down: the oldest waiting entries are dropped and counted, and the channel is told', async () => {
    const store = await createTestStore();
    const bus = createTestBus();
    const port = await freePort();
    let t = await startApp({ store, bus, port });
    const admin = await t.signUp('down');
    await t.close();
    const publisher = createPublisher({ url: t.url, token: admin.token, batchSize: 20, maxBufferedEntries: 100, flushIntervalMs: 10, flushOnExit: false, maxRetryDelayMs: 200 });
    try {
      for (let i = 0; i < 300; i++) publisher.log('down', 'info', `line ${i}`);
      // the first batch is in flight (being retried); the buffer holds the newest 100 behind it
      await expect.poll(() => publisher.stats().inFlight).toBe(20);
      expect(publisher.stats()).toMatchObject({ queued: 100, dropped: 180 });
      t = await startApp({ store, bus, port });
      await publisher.flush();
      const messages = (await storedEntries(t, admin.tenantId, 'down')).map((e) => e.message);
      expect(messages).toEqual([
        ...Array.from({ length: 20 }, (_, i) => `line ${i}`),
        'pulseboard-client: dropped 180 entries (buffer full while the server could not take them)',
        ...Array.from({ length: 100 }, (_, i) => `line ${i + 200}`),
      ]);
    } finally {
      await publisher.close();
      await t.close();
      await bus.close();
      await store.close();
    }
  });

  it('refused input loses only the refused entry; a refused credential is reported, not retried', async () => {
    const t = await startApp({ config: { logMaxMessageBytes: 1_000 } as any });
    try {
      const admin = await t.signUp('refused');
      const errors: Error[] = [];
      const publisher = createPublisher({ url: t.url, token: admin.token, batchSize: 10, maxMessageBytes: 100_000, flushOnExit: false, onError: (e) => errors.push(e) });
      for (let i = 0; i < 10; i++) publisher.log('refused', 'info', i === 6 ? 'x'.repeat(5_000) : `line ${i}`);
      await publisher.flush();
      expect((await storedEntries(t, admin.tenantId, 'refused')).map((e) => e.message)).toEqual([0, 1, 2, 3, 4, 5, 7, 8, 9].map((i) => `line ${i}`));
      expect(publisher.stats()).toMatchObject({ sent: 9, rejected: 1 });
      expect(errors).toHaveLength(1);

      const stranger = createPublisher({ url: t.url, token: 'pbs_not-a-token', flushOnExit: false, onError: (e) => errors.push(e) });
      stranger.log('refused', 'info', 'never');
      await stranger.flush();
      expect(stranger.stats()).toMatchObject({ sent: 0, rejected: 1, retries: 0 });
      expect(errors.at(-1)!.message).toMatch(/refused/);
      await publisher.close();
      await stranger.close();
    } finally {
      await t.close();
    }
  });

  it('heartbeat keeps a service from turning STALE; when it stops, the service does', async () => {
    const t = await startApp();
    try {
      const admin = await t.signUp('beat');
      const publisher = createPublisher({ url: t.url, token: admin.token, flushOnExit: false });
      let processed = 0;
      const stop = publisher.heartbeat(1, () => ({ key: 'beat-job', state: 'RUNNING', processedCount: ++processed }));
      const state = async () => (await t.gql('{ services { key state processedCount } }', {}, admin.token)).data.services.find((s: any) => s.key === 'beat-job');
      await expect.poll(state).toMatchObject({ state: 'RUNNING' });
      // past 3 × the interval, still reporting: never STALE
      await expect.poll(async () => (await state()).processedCount, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
      expect((await state()).state).toBe('RUNNING');
      stop();
      await expect.poll(async () => (await state()).state, { timeout: 20_000 }).toBe('STALE');
      await publisher.reportStatus({ key: 'beat-job', state: 'IDLE', intervalSeconds: 60 });
      expect((await state()).state).toBe('IDLE');
      await publisher.close();
    } finally {
      await t.close();
    }
  }, 60_000);

  it('flushes on exit: a script that logs and ends, and one stopped with SIGTERM, lose nothing', async () => {
    const t = await startApp();
    try {
      const admin = await t.signUp('exit');
      const script = (mode: 'end' | 'term') => `
        import { createPublisher } from './client/src/index.ts';
        const pb = createPublisher({ url: process.env.URL, token: process.env.TOKEN });
        for (let i = 0; i < 2000; i++) pb.log('exit:${mode}', 'info', 'line ' + i);
        ${mode === 'term' ? "setInterval(() => {}, 1000); console.log('logged');" : ''}
      `;
      const run = (mode: 'end' | 'term') =>
        new Promise<{ code: number | null; signal: string | null }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(mode)], {
            env: { ...process.env, URL: t.url, TOKEN: admin.token },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          child.stdout.on('data', () => mode === 'term' && child.kill('SIGTERM'));
          child.once('exit', (code, signal) => resolve({ code, signal }));
        });
      expect(await run('end')).toEqual({ code: 0, signal: null });
      expect((await run('term')).signal).toBe('SIGTERM');
      const stored = await storedEntries(t, admin.tenantId, 'exit:*');
      for (const mode of ['end', 'term']) {
        expect(stored.filter((e) => e.channel === `exit:${mode}`).map((e) => e.message)).toEqual(Array.from({ length: 2000 }, (_, i) => `line ${i}`));
      }
    } finally {
      await t.close();
    }
  }, 60_000);
});
