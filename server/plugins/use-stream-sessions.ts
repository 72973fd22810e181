import type { ExecutionResult } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Bus, Unsubscribe } from '../bus/index.js';
import { topics } from '../bus/topics.js';
import type { Viewer } from '../domain/viewer.js';
import type { Context } from '../context.js';

interface Session {
  viewer: Viewer;
  end(result: ExecutionResult): void;
}

export interface StreamSessions {
  /** Ends every open stream of a service token (revoked on this or another instance). */
  endToken(tenantId: string, tokenId: string): void;
  /** How many subscriptions are open on this instance. */
  size(): number;
  close(): void;
}

export interface CreateStreamSessionsOptions {
  bus: Bus;
  /** How often expiry is checked; one shared timer for every stream. @default 1000 */
  sweepIntervalMs?: number;
}

/**
 * Tracks open subscriptions by caller so a stream ends with UNAUTHENTICATED when its JWT
 * expires or its service token is revoked (on any instance: revocations travel the bus).
 */
export function createStreamSessions({ bus, sweepIntervalMs = 1_000 }: CreateStreamSessionsOptions) {
  const byTenant = new Map<string, { sessions: Set<Session>; unsubscribe: Promise<Unsubscribe> }>();
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const { sessions } of byTenant.values()) {
      for (const session of sessions) {
        if (session.viewer.kind === 'user' && session.viewer.expiresAt <= now) {
          session.end(unauthenticated('Token expired: sign in again'));
        }
      }
    }
  }, sweepIntervalMs);
  sweeper.unref();

  function endToken(tenantId: string, tokenId: string) {
    for (const session of byTenant.get(tenantId)?.sessions ?? []) {
      if (session.viewer.kind === 'service' && session.viewer.tokenId === tokenId) {
        session.end(unauthenticated('Service token revoked'));
      }
    }
  }

  function add(session: Session): () => void {
    const tenantId = session.viewer.tenantId;
    let entry = byTenant.get(tenantId);
    if (!entry) {
      entry = {
        sessions: new Set(),
        unsubscribe: bus.subscribe(tenantId, topics.tokenRevoked(), ({ tokenId }) => endToken(tenantId, tokenId)),
      };
      entry.unsubscribe.catch(() => {});
      byTenant.set(tenantId, entry);
    }
    entry.sessions.add(session);
    return () => {
      entry.sessions.delete(session);
      if (entry.sessions.size === 0 && byTenant.get(tenantId) === entry) {
        byTenant.delete(tenantId);
        entry.unsubscribe.then((off) => off(), () => {});
      }
    };
  }

  const sessions: StreamSessions & { add: typeof add } = {
    add,
    endToken,
    size: () => [...byTenant.values()].reduce((n, e) => n + e.sessions.size, 0),
    close() {
      clearInterval(sweeper);
      for (const [, entry] of byTenant) entry.unsubscribe.then((off) => off(), () => {});
      byTenant.clear();
    },
  };
  return sessions;
}

const unauthenticated = (message: string): ExecutionResult => ({
  errors: [createGraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } })],
});

/** Wraps every subscription's result stream so `sessions` can end it early. */
export function useStreamSessions(sessions: ReturnType<typeof createStreamSessions>): Plugin<Context> {
  return {
    onSubscribe({ args }) {
      const viewer = (args.contextValue as Context).viewer;
      if (!viewer) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          setResult(endable(result, (end) => sessions.add({ viewer, end })));
        },
      };
    },
  };
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof (value as AsyncIterable<T>)?.[Symbol.asyncIterator] === 'function';
}

/** `source`, plus an `end(result)` that yields one last result and finishes. */
function endable<T>(source: AsyncIterable<T>, register: (end: (last: T) => void) => () => void): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let ending: ((last: T) => void) | undefined;
  const ended = new Promise<T>((resolve) => (ending = resolve));
  let finished = false;
  const unregister = register((last) => ending!(last));

  async function finish() {
    if (finished) return;
    finished = true;
    unregister();
    await iterator.return?.();
  }

  const generator: AsyncGenerator<T> = {
    async next() {
      if (finished) return { done: true, value: undefined };
      const winner = await Promise.race([
        iterator.next().then((r) => ({ kind: 'source' as const, r })),
        ended.then((last) => ({ kind: 'end' as const, last })),
      ]);
      if (winner.kind === 'end') {
        await finish();
        return { done: false, value: winner.last };
      }
      if (winner.r.done) await finish();
      return winner.r;
    },
    async return() {
      await finish();
      return { done: true, value: undefined };
    },
    async throw(error) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return generator;
    },
    async [Symbol.asyncDispose]() {
      await finish();
    },
  };
  return generator;
}
