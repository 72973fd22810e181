import { describe, expect, it, vi } from 'vitest';
import { createDurableSubscriber, followCursor, StreamRestart, type DurableEvent, type StreamRequest, type StreamSink } from './durable-subscription';

/** A transport that records each operation it was asked for and lets the test speak for the server. */
function recordingTransport() {
  const ops: { request: StreamRequest; sink: StreamSink; stopped: boolean }[] = [];
  return {
    ops,
    last: () => ops.at(-1)!,
    subscribe(request: StreamRequest, sink: StreamSink) {
      const op = { request, sink, stopped: false };
      ops.push(op);
      return () => void (op.stopped = true);
    },
  };
}

const entry = (cursor: string, message = `m${cursor}`) => ({ data: { logs: { cursor, message } } });
const error = (code: string, extensions: Record<string, unknown> = {}) => ({ errors: [{ message: code, extensions: { code, ...extensions } }] });

function subscribeLogs(after: string | null = null) {
  const transport = recordingTransport();
  const events: DurableEvent[] = [];
  const stop = createDurableSubscriber(transport).subscribe({ query: 'subscription', variables: { channel: 'etl:*', after } }, (e) => events.push(e));
  const messages = () => events.flatMap((e) => (e.kind === 'next' ? [(e.result.data as any).logs.message] : e.kind === 'gap' ? [`gap ${e.after}..${e.resumedAfter}`] : []));
  return { transport, events, messages, stop };
}

describe('createDurableSubscriber', () => {
  it('starts again from the last cursor after a hand-over, and shows nothing twice', () => {
    const { transport, messages } = subscribeLogs('10');
    expect(transport.last().request.variables).toEqual({ channel: 'etl:*', after: '10' });
    transport.last().sink.next(entry('11'));
    transport.last().sink.next(entry('12'));
    const old = transport.last();
    old.sink.error(new StreamRestart('hub changed'));
    expect(old.stopped).toBe(true);
    expect(transport.last().request.variables).toEqual({ channel: 'etl:*', after: '12' });
    // the new hub replays a little too much; a late word from the old one is ignored
    transport.last().sink.next(entry('12'));
    old.sink.next(entry('13', 'stale'));
    transport.last().sink.next(entry('13'));
    expect(messages()).toEqual(['m11', 'm12', 'm13']);
  });

  it('SLOW_CONSUMER: resumes after the cursor the server gave, without surfacing an error', () => {
    const { transport, events } = subscribeLogs();
    transport.last().sink.next(entry('5'));
    transport.last().sink.next(error('SLOW_CONSUMER', { resumeAfter: '7' }));
    expect(transport.ops).toHaveLength(2);
    expect(transport.last().request.variables!.after).toBe('7');
    expect(events.every((e) => e.kind === 'next')).toBe(true);
  });

  it('CURSOR_EXPIRED: says where the gap is, then resumes from the oldest stored cursor', () => {
    const { transport, messages } = subscribeLogs('40');
    transport.last().sink.next(error('CURSOR_EXPIRED', { oldestCursor: '90' }));
    expect(transport.last().request.variables!.after).toBe('90');
    transport.last().sink.next(entry('91'));
    expect(messages()).toEqual(['gap 40..90', 'm91']);
  });

  it('SHUTTING_DOWN is not an error: the transport reconnects and the request already carries the cursor', () => {
    const { transport, events } = subscribeLogs();
    transport.last().sink.next(entry('3'));
    transport.last().sink.next(error('SHUTTING_DOWN', { retryAfterMs: 100 }));
    expect(transport.ops).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  it('a stream without `after` is restarted as it was; errors and completion reach the caller once', () => {
    const transport = recordingTransport();
    const events: DurableEvent[] = [];
    createDurableSubscriber(transport).subscribe({ query: 'subscription', variables: { monitorId: '1' } }, (e) => events.push(e));
    transport.last().sink.next({ data: { monitorChecks: { cursor: '9' } } });
    transport.last().sink.error(new StreamRestart('x'));
    expect(transport.last().request.variables).toEqual({ monitorId: '1' });
    transport.last().sink.complete();
    transport.last().sink.complete();
    expect(events.map((e) => e.kind)).toEqual(['next', 'complete']);
  });

  it('UNAUTHENTICATED (an access token ran out): renews, then resumes from the cursor; a session that is over passes the error on', async () => {
    const transport = recordingTransport();
    const events: DurableEvent[] = [];
    let renewed = true;
    const subscriber = createDurableSubscriber(transport, { renew: async () => renewed });
    subscriber.subscribe({ query: 'subscription', variables: { channel: 'etl:*', after: null } }, (e) => events.push(e));
    transport.last().sink.next(entry('8'));
    transport.last().sink.next(error('UNAUTHENTICATED'));
    // the server completes the operation right after ending it: that is not the subscription's end
    transport.last().sink.complete();
    await vi.waitFor(() => expect(transport.ops).toHaveLength(2));
    expect(transport.ops[0]!.stopped).toBe(true);
    expect(transport.last().request.variables!.after).toBe('8');
    expect(events.map((e) => e.kind)).toEqual(['next']);
    renewed = false;
    transport.last().sink.next(error('UNAUTHENTICATED'));
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ kind: 'next', result: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] } }));
    expect(transport.ops).toHaveLength(2);
  });

  it('unsubscribing stops the operation and silences it', () => {
    const { transport, events, stop } = subscribeLogs();
    stop();
    expect(transport.last().stopped).toBe(true);
    transport.last().sink.next(entry('1'));
    expect(events).toEqual([]);
  });
});

describe('followCursor', () => {
  it('keeps variables.after at the last cursor of a durable request, and leaves others alone', () => {
    const request = { query: '', variables: { channel: 'x', after: null as string | null } };
    followCursor(request, { data: { logs: { cursor: '41' } } });
    followCursor(request, { data: { ticketEvents: { cursor: null, kind: 'TYPING' } } });
    expect(request.variables.after).toBe('41');
    const live = { query: '', variables: { monitorId: '1' } };
    followCursor(live, { data: { monitorChecks: { cursor: '9' } } });
    expect(live.variables).toEqual({ monitorId: '1' });
  });
});
