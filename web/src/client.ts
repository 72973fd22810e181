import { authExchange } from '@urql/exchange-auth';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import type { ConnectionStore } from './lib/connection';
import type { Session } from './lib/session';
import type { BrowserStream } from './lib/stream/browser-stream';

export { createSession, endSession, restoreSession } from './lib/session';

/**
 * One urql client per signed-in session. Queries and mutations are ordinary fetches to
 * `/graphql`; subscriptions go through the browser's one shared event stream (`stream`, see
 * lib/stream/), resumed by cursor through the durable subscriber. The short-lived access
 * token is renewed from the HttpOnly session cookie (`session`) before it runs out, or when a
 * query is refused; the stream hub renews it the same way (App passes `session.renewToken`).
 */
export function createApiClient(session: Session, stream: BrowserStream, connection: ConnectionStore, onUnauthenticated: () => void): Client {
  return new Client({
    url: '/graphql',
    fetch: connection.trackedFetch(quietAbort(globalThis.fetch.bind(globalThis))),
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation: (operation) => utils.appendHeaders(operation, { authorization: `Bearer ${session.token()}` }),
        willAuthError: () => session.expiresSoon(),
        didAuthError: (error) => error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED'),
        refreshAuth: async () => void (await session.renew()),
      })),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (operation) => {
          const request = { query: operation.query ?? '', variables: { ...(operation.variables ?? {}) }, operationName: operation.operationName };
          return {
            subscribe: (sink) => ({
              unsubscribe: stream.durable.subscribe(request, (event) => {
                if (event.kind === 'next') {
                  if (event.result.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
                  sink.next(event.result as never);
                } else if (event.kind === 'error') sink.error(event.error);
                else if (event.kind === 'complete') sink.complete();
              }),
            }),
          };
        },
      }),
    ],
  });
}

/**
 * urql aborts a request whose result nobody wants any more (a page left mid-load) and then
 * reads — or is reading — its body: the rejection surfaced as an uncaught "signal is aborted
 * without reason" on every page change. So the request itself is not aborted (a query's answer
 * is small and harmless to finish), and once its signal fires the caller is never answered.
 */
export function quietAbort(fetchFn: typeof fetch): typeof fetch {
  return (input, init) => {
    const signal = init?.signal;
    if (!signal) return fetchFn(input, init);
    if (signal.aborted) return new Promise<Response>(() => {});
    const request = fetchFn(input, { ...init, signal: undefined });
    return new Promise<Response>((resolve, reject) => {
      request.then((response) => !signal.aborted && resolve(response), (error) => !signal.aborted && reject(error));
    });
  };
}
