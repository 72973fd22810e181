import type { IncomingMessage } from 'node:http';
import { useErrorHandler, type Plugin } from 'graphql-yoga';
import { requestIdFrom } from '../logger.js';

const HEADER = 'x-request-id';

/**
 * Request ids for the logs, without AsyncLocalStorage. On Node 20 an AsyncLocalStorage turns on
 * promise hooks for the whole process, and Yoga makes many promises per request: measured with
 * `BENCH_SERVERS=plain-yoga,pulseboard-memory BENCH_SCENARIOS=ingest npm run bench`, a
 * single-entry publish cost 1,188 CPU ms per 1,000 calls with it and 801 without. So the id
 * travels with what is logged instead: each HTTP request gets one (the caller's `x-request-id`
 * when it is a plain token, written back into the request so every layer reads the same), and
 * every error a GraphQL operation of that request produces is remembered with it, so the line
 * Yoga logs for an unexpected error names the request it failed.
 */
export function createRequestIds() {
  const byError = new WeakMap<object, string>();
  return {
    /** Chooses the id of a Node request (once) and returns it. */
    assign(req: IncomingMessage): string {
      const id = requestIdFrom(req.headers[HEADER]);
      req.headers[HEADER] = id;
      return id;
    },
    /** The id of the request an error came from, if it came from an operation. */
    ofError: (error: unknown): string | undefined => (error && typeof error === 'object' ? byError.get(error) : undefined),
    plugin(): Plugin {
      // runs before Yoga masks the errors, so the objects it remembers are the ones Yoga logs
      return useErrorHandler(({ errors, context }) => {
        // in the execution phase envelop hands over the execution's arguments, not its context
        const ctx = ((context as { contextValue?: object }).contextValue ?? context) as { request?: Request };
        const id = ctx.request?.headers.get(HEADER);
        if (!id) return;
        for (const error of errors) {
          byError.set(error, id);
          const original = (error as { originalError?: unknown }).originalError;
          if (original && typeof original === 'object') byError.set(original, id);
        }
      });
    },
  };
}

export type RequestIds = ReturnType<typeof createRequestIds>;
