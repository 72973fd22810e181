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
export function useSharedExecution<TContext>(options: UseSharedExecutionOptions<TContext>): Plugin<TContext & Record<string, unknown>> {
  return createSharedExecution(options).plugin;
}

/** How a subscription field's events are executed: shared, and whether they carry a cursor. */
export interface EventExecution {
  shared: boolean;
  eventId?: (event: unknown) => string | undefined;
}

/** The shared execution as a plugin, and as the per-event executor the stream lane calls directly. */
export function createSharedExecution<TContext>({ partitionOf, eventIds = new WeakMap() }: UseSharedExecutionOptions<TContext>) {
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

  /** The execution the operation's root field asks for, or undefined when it asks for none. */
  function executionOf(args: ExecutionArgs): EventExecution | undefined {
    const extensions = plainRootField(args)?.extensions;
    const shared = extensions?.[SHARED_EXECUTION] === true;
    const eventId = extensions?.[EVENT_ID] as EventExecution['eventId'];
    return shared || eventId ? { shared, eventId } : undefined;
  }

  /**
   * One subscriber's per-event execution: the result of its selection for an event (the same
   * object for every subscriber with that selection when shared), its cursor recorded.
   */
  function eventExecutor(args: ExecutionArgs, { shared, eventId }: EventExecution): (event: unknown) => Result {
    const selectionKey = JSON.stringify([
      partitionOf(args.contextValue as TContext),
      documentKey(args.document),
      args.operationName ?? null,
      args.variableValues ?? null,
    ]);
    // JSON.stringify hands back a rope of ~20 pieces, which an idle stream would hold for its
    // whole life (~700 bytes); converting it to a number (NaN, discarded) makes V8 flatten it
    Number(selectionKey);
    return (event) => {
      const executed = shared ? executeOnce(args, selectionKey, event) : execute({ ...args, rootValue: event });
      const id = eventId?.(event);
      if (id === undefined) return executed;
      if (!(executed instanceof Promise)) return eventIds.set(executed, id), executed;
      return executed.then((value) => (eventIds.set(value, id), value));
    };
  }

  async function subscribeMapped(args: ExecutionArgs, general: (args: ExecutionArgs) => unknown, execution: EventExecution): Promise<unknown> {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) {
      // errors before any resolver ran (variables): the general path words them (BAD_USER_INPUT)
      const errors = (source as ExecutionResult).errors ?? [];
      return errors.every((error) => error.path === undefined) ? general(args) : source;
    }
    const executeEvent = eventExecutor(args, execution);
    const events = source[Symbol.asyncIterator]();
    const results: AsyncIterableIterator<ExecutionResult> = {
      async next() {
        const event = await events.next();
        if (event.done) return event;
        const executed = executeEvent(event.value);
        // a selection of plain fields executes synchronously: no extra await (a promise and a
        // microtask) per subscriber for a result already in hand
        return { done: false, value: executed instanceof Promise ? await executed : executed };
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

  const plugin: Plugin<TContext & Record<string, unknown>> = {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const execution = executionOf(args);
      if (!execution) return;
      setSubscribeFn(((args: ExecutionArgs) => subscribeMapped(args, subscribeFn, execution)) as Parameters<typeof setSubscribeFn>[0]);
    },
  };
  return { plugin, executionOf, eventExecutor };
}

/** What the stream lane calls: the field's execution and a subscriber's per-event executor. */
export type SharedExecution = Pick<ReturnType<typeof createSharedExecution>, 'executionOf' | 'eventExecutor'>;

function plainRootField(args: ExecutionArgs): GraphQLField<unknown, unknown> | undefined {
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  const selections = operation?.operation === OperationTypeNode.SUBSCRIPTION ? operation.selectionSet.selections : [];
  // one plain root field: fragments and directives at the root take the general path
  if (selections.length !== 1 || selections[0]!.kind !== Kind.FIELD || selections[0]!.directives?.length) return undefined;
  return args.schema.getSubscriptionType()?.getFields()[selections[0]!.name.value];
}
