import { createClient as createSseClient } from 'graphql-sse';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

/**
 * One urql client per signed-in session. Subscriptions share one GraphQL-over-SSE stream
 * (single connection mode); the token travels in the Authorization header.
 */
export function createApiClient(getToken: () => string | null): Client {
  const headers = (): Record<string, string> => {
    const token = getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const sse = createSseClient({ url: '/graphql/stream', singleConnection: true, headers });
  return new Client({
    url: '/graphql',
    fetchOptions: () => ({ headers: headers() }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (operation) => ({
          subscribe: (sink) => ({ unsubscribe: sse.subscribe({ ...operation, query: operation.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
}
