import { getOperationAST, type ExecutionResult } from 'graphql';
import { isAsyncIterable } from '../async-iterable.js';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Bus, Unsubscribe } from '../bus/index.js';
import { topics } from '../bus/topics.js';
import { principalKey, type Viewer } from '../domain/auth/viewer.js';
import type { Metrics } from '../metrics.js';
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
  /** Concurrent subscriptions per user or service token, on this instance. @default 50 */
  maxPerPrincipal?: number;
  /** Concurrent subscriptions per tenant, on this instance. @default 2000 */
  maxPerTenant?: number;
  /** How often expiry is checked; one shared timer for every stream. @default 1000 */
  sweepIntervalMs?: number;
}

/**
 * Tracks open subscriptions by caller so a stream ends with UNAUTHENTICATED when its JWT
 * expires or its service token is revoked (on any instance: revocations travel the bus).
 */
export function createStreamSessions({ bus, sweepIntervalMs = 1_000, maxPerPrincipal = 50, maxPerTenant = 2_000 }: CreateStreamSessionsOptions) {
  const perPrincipal = new Map<string, number>();
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

  /** Null when `viewer` may open one more subscription, else the reason it may not. */
  function refusal(viewer: Viewer): string | null {
    if ((perPrincipal.get(principalKey(viewer)) ?? 0) >= maxPerPrincipal) return `At most ${maxPerPrincipal} concurrent subscriptions per caller`;
    if ((byTenant.get(viewer.tenantId)?.sessions.size ?? 0) >= maxPerTenant) return `At most ${maxPerTenant} concurrent subscriptions per tenant`;
    return null;
  }

  function add(session: Session): () => void {
    const tenantId = session.viewer.tenantId;
    const key = principalKey(session.viewer);
    perPrincipal.set(key, (perPrincipal.get(key) ?? 0) + 1);
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
      if (!entry.sessions.has(session)) return;
      const left = (perPrincipal.get(key) ?? 1) - 1;
      if (left > 0) perPrincipal.set(key, left);
      else perPrincipal.delete(key);
      entry.sessions.delete(session);
      if (entry.sessions.size === 0 && byTenant.get(tenantId) === entry) {
        byTenant.delete(tenantId);
        entry.unsubscribe.then((off) => off(), () => {});
      }
    };
  }

  const sessions: StreamSessions & { add: typeof add; refusal: typeof refusal } = {
    add,
    refusal,
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

/**
 * Wraps every subscription's result stream so `sessions` can end it early, refuses one past
 * the caller's or the tenant's cap (TOO_MANY_REQUESTS), and counts it in `metrics`.
 */
export function useStreamSessions(sessions: ReturnType<typeof createStreamSessions>, metrics: Metrics): Plugin<Context> {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const viewer = (args.contextValue as Context).viewer;
      if (!viewer) return;
      const refused = sessions.refusal(viewer);
      if (refused) {
        metrics.rejected('streams');
        setResultAndStopExecution({ errors: [createGraphQLError(refused, { extensions: { code: 'TOO_MANY_REQUESTS' } })] });
        return;
      }
      const field = rootField(args.document, args.operationName ?? undefined);
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          metrics.subscriptionStarted(viewer.tenantId, field);
          setResult(
            endable(result, (end) => sessions.add({ viewer, end }), {
              onResult: metrics.deliveries(viewer.tenantId, field),
              onEnd: () => metrics.subscriptionEnded(viewer.tenantId, field),
            }),
          );
        },
      };
    },
  };
}

function rootField(document: Parameters<typeof getOperationAST>[0], operationName?: string): string {
  const selection = getOperationAST(document, operationName)?.selectionSet.selections[0];
  return selection?.kind === 'Field' ? selection.name.value : 'unknown';
}

/**
 * `source`, plus an `end(result)` that yields one last result and finishes, counting each
 * result and the end in one wrapper (it runs once per delivery, so one layer, not two). Ending returns
 * the source (our sources wake when returned), so the pending `next()` settles — no race
 * against a promise that never settles, which would keep one reaction per event delivered.
 */
function endable<T>(
  source: AsyncIterable<T>,
  register: (end: (last: T) => void) => () => void,
  { onResult, onEnd }: { onResult: () => void; onEnd: () => void },
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let last: { value: T } | undefined;
  let finished = false;
  const unregister = register((value) => {
    if (finished || last) return;
    last = { value };
    void iterator.return?.();
  });

  async function finish() {
    if (finished) return;
    finished = true;
    unregister();
    onEnd();
    await iterator.return?.();
  }

  const generator: AsyncGenerator<T> = {
    async next() {
      if (finished) return { done: true, value: undefined };
      if (!last) {
        let result: IteratorResult<T>;
        try {
          result = await iterator.next();
        } catch (error) {
          await finish();
          throw error;
        }
        if (!last) {
          if (result.done) await finish();
          else onResult();
          return result;
        }
      }
      // ending: whatever the source had in hand is dropped; the client resumes by cursor
      const { value } = last!;
      await finish();
      return { done: false, value };
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
