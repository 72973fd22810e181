import {
  createSourceEventStream,
  execute,
  getOperationAST,
  Kind,
  OperationTypeNode,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLField,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isAsyncIterable } from '../async-iterable.js';

/**
 * Field extension that marks a subscription whose per-event result depends only on the event
 * and the selection (variables included), never on who subscribed.
 */
export const SHARED_EXECUTION = 'sharedExecution';

/**
 * Field extension: `(event) => string | undefined`, the event's cursor in a durable stream.
 * Its result is recorded in `eventIds`, and the transport writes it as the frame's SSE `id:`.
 */
export const EVENT_ID = 'eventId';

export interface UseSharedExecutionOptions<TContext> {
  /** Results are never shared across partitions (the tenant), whatever the event. */
  partitionOf: (context: TContext) => string;
  /** Where the cursor of each result of an {@link EVENT_ID} field is recorded. */
  eventIds?: WeakMap<ExecutionResult, string>;
}

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * Fan-out without per-subscriber execution: for subscription fields marked
 * {@link SHARED_EXECUTION}, subscribers that receive the same event object with the same
 * document, operation and variables get the same ExecutionResult object — executed once,
 * which lets the transport serialize and frame it once too.
 *
 * The subscribe resolver (and so every auth check) still runs per subscriber; only the
 * per-event execution is shared. Results are cached on the event (a WeakMap), so they live
 * exactly as long as some subscriber still holds the event.
 */
export function useSharedExecution<TContext>({ partitionOf, eventIds = new WeakMap() }: UseSharedExecutionOptions<TContext>): Plugin<TContext & Record<string, unknown>> {
  const resultsByEvent = new WeakMap<object, Map<string, Result>>();
  const documentKeys = new WeakMap<DocumentNode, string>();

  const documentKey = (document: DocumentNode) => {
    let key = documentKeys.get(document);
    if (key === undefined) documentKeys.set(document, (key = document.loc?.source.body ?? print(document)));
    return key;
  };

  function executeOnce(args: ExecutionArgs, selectionKey: string, event: unknown): Result {
    if (event === null || typeof event !== 'object') return execute({ ...args, rootValue: event });
    let results = resultsByEvent.get(event);
    if (!results) resultsByEvent.set(event, (results = new Map()));
    let result = results.get(selectionKey);
    if (!result) results.set(selectionKey, (result = execute({ ...args, rootValue: event })));
    return result;
  }

  async function subscribeMapped(
    args: ExecutionArgs,
    general: (args: ExecutionArgs) => unknown,
    { shared, eventId }: { shared: boolean; eventId?: (event: unknown) => string | undefined },
  ): Promise<unknown> {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) {
      // errors before any resolver ran (variables): the general path words them (BAD_USER_INPUT)
      const errors = (source as ExecutionResult).errors ?? [];
      return errors.every((error) => error.path === undefined) ? general(args) : source;
    }
    const selectionKey = JSON.stringify([
      partitionOf(args.contextValue as TContext),
      documentKey(args.document),
      args.operationName ?? null,
      args.variableValues ?? null,
    ]);
    const events = source[Symbol.asyncIterator]();
    const results: AsyncIterableIterator<ExecutionResult> = {
      async next() {
        const event = await events.next();
        if (event.done) return event;
        const executed = shared ? executeOnce(args, selectionKey, event.value) : execute({ ...args, rootValue: event.value });
        // a selection of plain fields executes synchronously: no extra await (a promise and a
        // microtask) per subscriber for a result already in hand
        const value = executed instanceof Promise ? await executed : executed;
        const id = eventId?.(event.value);
        if (id !== undefined) eventIds.set(value, id);
        return { done: false, value };
      },
      async return() {
        await events.return?.();
        return { done: true, value: undefined };
      },
      async throw(error: unknown) {
        await events.return?.();
        throw error;
      },
      [Symbol.asyncIterator]: () => results,
    };
    return results;
  }

  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const extensions = plainRootField(args)?.extensions;
      const shared = extensions?.[SHARED_EXECUTION] === true;
      const eventId = extensions?.[EVENT_ID] as ((event: unknown) => string | undefined) | undefined;
      if (!shared && !eventId) return;
      setSubscribeFn(((args: ExecutionArgs) => subscribeMapped(args, subscribeFn, { shared, eventId })) as Parameters<typeof setSubscribeFn>[0]);
    },
  };
}

function plainRootField(args: ExecutionArgs): GraphQLField<unknown, unknown> | undefined {
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  const selections = operation?.operation === OperationTypeNode.SUBSCRIPTION ? operation.selectionSet.selections : [];
  // one plain root field: fragments and directives at the root take the general path
  if (selections.length !== 1 || selections[0]!.kind !== Kind.FIELD || selections[0]!.directives?.length) return undefined;
  return args.schema.getSubscriptionType()?.getFields()[selections[0]!.name.value];
}
