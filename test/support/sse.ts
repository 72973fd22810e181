import { createClient, type Client } from 'graphql-sse';

export interface Subscription<T = any> {
  results: T[];
  /** resolves when the server completes the operation, rejects on a transport error */
  done: Promise<void>;
  /** resolves once `n` results have arrived */
  waitFor(n: number, ms?: number): Promise<T[]>;
  dispose(): void;
}

/** A real graphql-sse client against `url`/graphql/stream with a Bearer header. */
export function sseClient(url: string, token: string | undefined, singleConnection: boolean, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  return createClient({
    url: `${url}/graphql/stream`,
    singleConnection,
    // a function, so the client's reservation token never sticks to a reconnect's PUT
    headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
    ...extra,
  });
}

export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  const results: T[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let dispose = () => {};
  const done = new Promise<void>((resolve, reject) => {
    dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          results.push(value as T);
          for (const w of [...waiters]) if (results.length >= w.n) w.resolve();
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  // eslint-disable-next-line no-restricted-syntax -- `done` is awaited by callers that care; this keeps an ignored stream error from failing the run
  done.catch(() => {});
  return {
    results,
    done,
    dispose: () => dispose(),
    waitFor(n, ms = 10_000) {
      if (results.length >= n) return Promise.resolve(results);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out with ${results.length}/${n} results: ${JSON.stringify(results).slice(0, 500)}`)), ms);
        const waiter = {
          n,
          resolve: () => {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(waiter), 1);
            resolve(results);
          },
        };
        waiters.push(waiter);
        done.then(() => waiter.resolve(), () => {});
      });
    },
  };
}

/** Reads raw SSE text from a response until `until` matches or `ms` passes, then aborts. */
export async function readFrames(response: Response, until: (text: string) => boolean, ms = 5_000): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  while (!until(text) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
    if (!chunk || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  // eslint-disable-next-line no-restricted-syntax -- the text is read; a stream the server already ended cannot be cancelled
  await reader.cancel().catch(() => {});
  return text;
}
