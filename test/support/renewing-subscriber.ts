import { createClient } from 'graphql-sse';

export interface Credentials {
  token: string;
  refreshToken: string;
}

/**
 * What an integrator's long-running subscriber does: subscribe with `Authorization: Bearer`;
 * when the stream ends with UNAUTHENTICATED (its access token expired, or its role changed),
 * renew with `refreshSession` and subscribe again after the last cursor received.
 */
export function renewingSubscriber(url: string, start: Credentials, query: string, field: string, after?: string) {
  let credentials = start;
  let cursor = after;
  let stopped = false;
  let dispose = () => {};
  const received: any[] = [];
  const endings: { message: string; reason?: string }[] = [];
  let failure: unknown;
  const client = createClient({
    url: `${url}/graphql/stream`,
    headers: () => ({ authorization: `Bearer ${credentials.token}` }),
    retryAttempts: 0,
  });

  async function renew() {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($r: String) { refreshSession(refreshToken: $r) { token refreshToken } }', variables: { r: credentials.refreshToken } }),
    });
    const body = (await response.json()) as any;
    if (!body.data) throw new Error(`renewal refused: ${JSON.stringify(body.errors)}`);
    credentials = body.data.refreshSession;
  }

  function round() {
    let ended: { message: string; reason?: string } | undefined;
    dispose = client.subscribe<any>(
      { query, variables: cursor ? { after: cursor } : {} },
      {
        next: (result) => {
          const error = result.errors?.[0];
          if (error) {
            if (error.extensions?.code === 'UNAUTHENTICATED') ended = { message: error.message, reason: error.extensions.reason as string };
            else failure = error;
            return;
          }
          const value = result.data![field];
          received.push(value);
          cursor = value.cursor;
        },
        error: (error) => (failure = error),
        complete: () => {
          if (stopped || !ended) return;
          endings.push(ended);
          renew().then(round, (error) => (failure = error));
        },
      },
    );
  }
  round();

  return {
    received,
    /** Each stream end the subscriber renewed after. */
    endings,
    failure: () => failure,
    credentials: () => credentials,
    stop() {
      stopped = true;
      dispose();
      client.dispose();
    },
  };
}
