import { createClient as createSseClient } from 'graphql-sse';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { backoffDelay } from './lib/backoff';
import type { ConnectionStore } from './lib/connection';
import { trackCursor } from './lib/cursor';

/**
 * One urql client per signed-in session. Every subscription of the tab shares one
 * GraphQL-over-SSE stream (single connection mode: browsers allow ~6 connections per
 * origin); the token travels in the Authorization header; reconnects back off with jitter,
 * forever, and durable subscriptions resume from their last cursor.
 */
export function createApiClient(token: string, connection: ConnectionStore, onUnauthenticated: () => void): Client {
  const headers = { authorization: `Bearer ${token}` };
  const sse = createSseClient({
    url: '/graphql/stream',
    singleConnection: true,
    lazy: false,
    // a fresh object each time: the client writes the reservation token into the headers it is
    // given, and a reconnect must reserve anew without it (the server refuses client-chosen tokens)
    headers: () => ({ ...headers }),
    retryAttempts: Number.POSITIVE_INFINITY,
    retry: (retries) => new Promise((resolve) => setTimeout(resolve, backoffDelay(retries))),
    on: {
      connecting: (reconnecting) => connection.connecting(reconnecting),
      connected: () => connection.connected(),
    },
    onNonLazyError: () => connection.lost(),
  });
  return new Client({
    url: '/graphql',
    fetchOptions: { headers },
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (operation) => {
          const request = { ...operation, query: operation.query ?? '', variables: { ...(operation.variables ?? {}) } };
          return {
            subscribe: (sink) => ({
              unsubscribe: sse.subscribe(request, {
                next: (result) => {
                  // the server is draining: the stream ends next and the client reconnects and resumes by cursor
                  if (result.errors?.some((e) => e.extensions?.code === 'SHUTTING_DOWN')) return connection.lost();
                  trackCursor(request, result);
                  if (result.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
                  sink.next(result as never);
                },
                error: (error) => sink.error(error),
                complete: () => sink.complete(),
              }),
            }),
          };
        },
      }),
    ],
  });
}
