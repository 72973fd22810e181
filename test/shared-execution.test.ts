import { parse, type ExecutionResult } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { SHARED_EXECUTION, useSharedExecution } from '../server/plugins/use-shared-execution.js';

interface Ctx {
  tenant: string;
}

/**
 * A schema whose subscriptions hand every subscriber the same event objects (as the log feed
 * does), counting how often an event's fields are resolved.
 */
function setup() {
  const listeners = new Set<(event: { id: number; text: string }) => void>();
  const resolved = { shared: 0, general: 0 };
  const source = () => {
    const queue: { id: number; text: string }[] = [];
    let wake: (() => void) | undefined;
    const listener = (event: { id: number; text: string }) => {
      queue.push(event);
      wake?.();
    };
    listeners.add(listener);
    return (async function* () {
      try {
        for (;;) {
          while (queue.length) yield queue.shift()!;
          await new Promise<void>((r) => (wake = r));
        }
      } finally {
        listeners.delete(listener);
      }
    })();
  };
  const schema = createSchema<Ctx>({
    typeDefs: /* GraphQL */ `
      type Event { id: Int!, text(upper: Boolean): String! }
      type Query { ok: Boolean }
      type Subscription { shared: Event!, general: Event! }
    `,
    resolvers: {
      Event: {
        text: (e: { text: string }, { upper }: { upper?: boolean }) => (upper ? e.text.toUpperCase() : e.text),
      },
      Subscription: {
        shared: { subscribe: source, resolve: (e: unknown) => (resolved.shared++, e) },
        general: { subscribe: source, resolve: (e: unknown) => (resolved.general++, e) },
      },
    },
  });
  schema.getSubscriptionType()!.getFields().shared!.extensions = { [SHARED_EXECUTION]: true };
  const yoga = createYoga<Ctx>({ schema, plugins: [useSharedExecution<Ctx>({ partitionOf: (c) => c.tenant })] });

  async function subscribe(query: string, tenant: string, variables?: Record<string, unknown>) {
    const { subscribe, contextFactory, schema } = yoga.getEnveloped({ tenant } as never);
    const result = await subscribe({ schema, document: parse(query), contextValue: { ...(await contextFactory()), tenant }, variableValues: variables });
    if (!(Symbol.asyncIterator in (result as object))) return { error: result as ExecutionResult };
    const iterator = (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
    return { next: () => iterator.next().then((r) => r.value as ExecutionResult), stop: () => iterator.return?.() };
  }
  const emit = (event: { id: number; text: string }) => listeners.forEach((l) => l(event));
  return { subscribe, emit, resolved };
}

const SHARED = 'subscription ($upper: Boolean) { shared { id text(upper: $upper) } }';

describe('shared subscription execution', () => {
  it('subscribers with the same selection get one execution per event, as the same result object', async () => {
    const { subscribe, emit, resolved } = setup();
    const subs = await Promise.all([1, 2, 3].map(() => subscribe(SHARED, 'a')));
    emit({ id: 1, text: 'one' });
    emit({ id: 2, text: 'two' });
    const results = await Promise.all(subs.map(async (s) => [await s.next!(), await s.next!()]));
    expect(results[0]!.map((r) => r.data)).toEqual([{ shared: { id: 1, text: 'one' } }, { shared: { id: 2, text: 'two' } }]);
    expect(results[1]![0]).toBe(results[0]![0]);
    expect(results[2]![1]).toBe(results[0]![1]);
    expect(resolved.shared).toBe(2);
    await Promise.all(subs.map(async (s) => s.stop!()));
  });

  it('different variables or another tenant execute separately', async () => {
    const { subscribe, emit, resolved } = setup();
    const plain = await subscribe(SHARED, 'a');
    const upper = await subscribe(SHARED, 'a', { upper: true });
    const otherTenant = await subscribe(SHARED, 'b');
    emit({ id: 1, text: 'one' });
    expect((await plain.next!()).data).toEqual({ shared: { id: 1, text: 'one' } });
    expect((await upper.next!()).data).toEqual({ shared: { id: 1, text: 'ONE' } });
    const other = await otherTenant.next!();
    expect(other.data).toEqual({ shared: { id: 1, text: 'one' } });
    expect(resolved.shared).toBe(3);
  });

  it('a field without the mark executes once per subscriber', async () => {
    const { subscribe, emit, resolved } = setup();
    const subs = await Promise.all([1, 2].map(() => subscribe('subscription { general { id } }', 'a')));
    emit({ id: 7, text: 'x' });
    const [first, second] = await Promise.all(subs.map((s) => s.next!()));
    expect(first!.data).toEqual({ general: { id: 7 } });
    expect(second).not.toBe(first);
    expect(resolved.general).toBe(2);
  });

  it('a bad variable is a BAD_USER_INPUT error before any subscription starts', async () => {
    const { subscribe } = setup();
    const { error } = await subscribe(SHARED, 'a', { upper: 'yes' });
    expect(error?.errors?.[0]?.message).toMatch(/\$upper/);
    expect(error?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
