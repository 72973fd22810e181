import { describe, expect, it } from 'vitest';
import { createPublisher, createSubscriber, type Gap, type LogEntry, type TicketEvent } from '../client/src/index.js';
import { startApp } from './support/app.js';
import { startInstance } from './support/processes.js';
import { createTestBus, createTestStore } from './support/services.js';
import { durableStore, registerOver, urlOf } from './support/client-kit.js';

const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

async function publishAll(url: string, token: string, channel: string, messages: string[], fields?: Record<string, unknown>) {
  const publisher = createPublisher({ url, token, flushOnExit: false, batchSize: 100 });
  for (const message of messages) publisher.log(channel, 'info', message, fields);
  await publisher.close({ timeoutMs: 60_000 });
  expect(publisher.stats()).toMatchObject({ sent: messages.length, dropped: 0, rejected: 0 });
}

describe('createSubscriber: durable log streams against a real server', () => {
  it('across a server killed (SIGKILL) and started again: every entry once, in order', async () => {
    const store = await durableStore();
    let instance = await startInstance(store.env);
    try {
      const token = await registerOver(instance.url);
      const received: LogEntry[] = [];
      const states: string[] = [];
      const live = createSubscriber({ url: instance.url, token, reconnectMaxMs: 500 }).subscribeLogs({ channel: 'kill:*', after: '0' }, (e) => received.push(e), {
        onState: (s) => states.push(s),
      });
      await publishAll(instance.url, token, 'kill:a', lines('before', 300));
      await expect.poll(() => received.length, { timeout: 30_000 }).toBe(300);

      instance.child.kill('SIGKILL');
      await instance.exited;
      await expect.poll(() => states.at(-1), { timeout: 30_000 }).toBe('reconnecting');
      instance = await startInstance(store.env, instance.port);
      await publishAll(instance.url, token, 'kill:a', lines('after', 300));
      await expect.poll(() => received.length, { timeout: 30_000 }).toBe(600);
      expect(received.map((e) => e.message)).toEqual([...lines('before', 300), ...lines('after', 300)]);
      expect(live.cursor).toBe(received.at(-1)!.cursor);
      live.close();
    } finally {
      instance.child.kill('SIGKILL');
      await instance.exited;
      await store.drop();
    }
  }, 120_000);

  it('SLOW_CONSUMER: a reader that stalls is ended by the server, resumes after the cursor it was given, and misses nothing', async () => {
    const t = await startApp({ config: { logSubscriptionBuffer: 20 } });
    try {
      const { token } = await t.signUp('slow');
      // a reader that stops reading its stream until the test lets it go on
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let streams = 0;
      let sawSlowConsumer = false;
      const gated: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!urlOf(input).endsWith('/graphql/stream') || !response.body) return response;
        const first = ++streams === 1;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (first) await released;
            const { value, done } = await reader.read();
            if (done) return controller.close();
            if (decoder.decode(value, { stream: true }).includes('SLOW_CONSUMER')) sawSlowConsumer = true;
            controller.enqueue(value);
          },
          cancel: (reason) => reader.cancel(reason),
        });
        return new Response(body, { status: response.status, headers: response.headers });
      };
      const received: string[] = [];
      const stream = createSubscriber({ url: t.url, token, fetch: gated }).subscribeLogs({ channel: 'slow' }, (e) => received.push(e.message));
      await expect.poll(() => t.app.streams.held().logs).toBe(1);
      // ~12 MB: more than the socket buffers hold, so the server's own buffer (20) overflows
      const pad = 'x'.repeat(4_000);
      await publishAll(t.url, token, 'slow', lines('line', 3_000), { pad });
      release();
      await expect.poll(() => received.length, { timeout: 60_000 }).toBe(3_000);
      expect(received).toEqual(lines('line', 3_000));
      expect(sawSlowConsumer).toBe(true);
      expect(streams).toBeGreaterThanOrEqual(2);
      stream.close();
    } finally {
      await t.close();
    }
  }, 120_000);

  it('CURSOR_EXPIRED arrives as a typed gap, then the stream goes on from the oldest entry kept', async () => {
    const t = await startApp();
    try {
      const admin = await t.signUp('gap');
      await t.gql('mutation { updateLogRetention(maxEntriesPerChannel: 10, maxAgeHours: 24) { maxEntriesPerChannel } }', {}, admin.token);
      await publishAll(t.url, admin.token, 'gap', lines('old', 50));
      await t.app.retention.runPass({ force: true });
      const gaps: Gap[] = [];
      const received: string[] = [];
      const stream = createSubscriber({ url: t.url, token: admin.token }).subscribeLogs({ channel: 'gap', after: '1' }, (e) => received.push(e.message), { onGap: (g) => gaps.push(g) });
      await expect.poll(() => received.length).toBe(10);
      expect(gaps).toEqual([{ after: '1', resumedAfter: expect.any(String) }]);
      expect(received).toEqual(lines('old', 50).slice(40));
      stream.close();
    } finally {
      await t.close();
    }
  });

  it('ticket events resume the same way across a server restart (stored events once, in order)', async () => {
    const store = await createTestStore();
    const bus = createTestBus();
    let t = await startApp({ store, bus });
    const port = Number(new URL(t.url).port);
    try {
      const agent = await t.signUp('tickets');
      const widget = (await t.gql('mutation { createServiceToken(name: "widget", channels: ["tickets"]) { secret } }', {}, agent.token)).data.createServiceToken.secret;
      const created = await t.gql(
        'mutation ($input: CreateTicketInput!) { createTicket(input: $input) { id } }',
        { input: { subject: 'Card declined', customerName: 'Carol', customerEmail: 'carol@example.com', body: 'message 0' } },
        widget,
      );
      const ticketId = created.data.createTicket.id;
      const post = (body: string) => t.gql('mutation ($id: ID!, $body: String!) { postTicketMessage(ticketId: $id, body: $body) { cursor } }', { id: ticketId, body }, agent.token);
      const events: TicketEvent[] = [];
      const stream = createSubscriber({ url: t.url, token: agent.token, reconnectMaxMs: 300 }).subscribeTicketEvents({ ticketId, after: '0' }, (e) => events.push(e));
      const bodies = () => events.filter((e) => e.kind === 'MESSAGE_POSTED').map((e) => e.message!.body);
      for (let i = 1; i <= 5; i++) await post(`message ${i}`);
      await expect.poll(bodies).toHaveLength(6);
      await t.close();
      t = await startApp({ store, bus, port, ownDeps: false });
      for (let i = 6; i <= 10; i++) await post(`message ${i}`);
      await expect.poll(bodies, { timeout: 30_000 }).toHaveLength(11);
      expect(bodies()).toEqual(Array.from({ length: 11 }, (_, i) => `message ${i}`));
      const cursors = events.flatMap((e) => (e.cursor ? [e.cursor] : []));
      expect(new Set(cursors).size).toBe(cursors.length);
      stream.close();
    } finally {
      await t.close();
      await bus.close();
      await store.close();
    }
  }, 90_000);

  it('a refused credential ends the stream with a typed error instead of retrying for ever', async () => {
    const t = await startApp();
    try {
      const error = await new Promise<any>((resolve) => createSubscriber({ url: t.url, token: 'pbs_nobody' }).subscribeLogs({ channel: 'x' }, () => {}, { onError: resolve }));
      expect(error.name).toBe('StreamFailure');
      expect(error.code).toBe('UNAUTHENTICATED');
    } finally {
      await t.close();
    }
  });
});
