/**
 * One GraphQL request over HTTP, and what a client should do with its answer: use it, wait and
 * send it again (a limit, a restart, a network error), or give up (the request itself is wrong).
 */

export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: readonly GraphQLErrorShape[];
}

/** A credential, or a function that gives the current one (called for every request). */
export type TokenSource = string | (() => string | Promise<string>);

export interface Endpoint {
  /** The server, e.g. `http://localhost:4000` (a URL ending in `/graphql` works too). @default process.env.PULSEBOARD_URL, else http://localhost:4000 */
  url?: string;
  /** A service token (`pbs_…`) or a person's access token. @default process.env.PULSEBOARD_TOKEN */
  token?: TokenSource;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

const env = (name: string): string | undefined => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name] || undefined;

/** The endpoint with Node's environment filling what the options leave out (PULSEBOARD_URL, PULSEBOARD_TOKEN). */
export function resolveEndpoint<T extends Endpoint>(options: T): T & { url: string } {
  return { ...options, url: options.url ?? env('PULSEBOARD_URL') ?? 'http://localhost:4000', token: options.token ?? env('PULSEBOARD_TOKEN') };
}

/** `http://host:4000`, `http://host:4000/` and `http://host:4000/graphql` all mean the same server. */
export function graphqlUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  return /\/graphql$/.test(base) ? base : `${base}/graphql`;
}

export const streamUrl = (url: string) => `${graphqlUrl(url)}/stream`;

export async function authHeaders(token: TokenSource | undefined): Promise<Record<string, string>> {
  const value = typeof token === 'function' ? await token() : token;
  return value ? { authorization: `Bearer ${value}` } : {};
}

/** The request failed and sending the same request again later may work. */
export class RetryableError extends Error {
  constructor(
    message: string,
    /** The wait the server asked for (`retryAfterMs`, else `Retry-After`), if it did. */
    readonly retryAfterMs?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'RetryableError';
  }
}

/** The server refused the request for good (a bad credential, bad input): sending it again will not help. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status: number,
    readonly errors: readonly GraphQLErrorShape[] = [],
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Codes that mean "later": a limit, a restart in progress. */
const LATER = new Set(['TOO_MANY_REQUESTS', 'SHUTTING_DOWN', 'UNAVAILABLE']);

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * POSTs one operation. Resolves with the response when it has data (field errors included);
 * throws RetryableError for network errors, 429/5xx and "later" codes, RequestError otherwise.
 */
export async function postGraphQL<T>(
  endpoint: Endpoint,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  signal?: AbortSignal,
): Promise<GraphQLResponse<T>> {
  const doFetch = endpoint.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(graphqlUrl(endpoint.url ?? 'http://localhost:4000'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(await authHeaders(endpoint.token)),
      },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new RetryableError(`network error: ${(error as Error)?.message ?? error}`);
  }
  const headerWait = parseRetryAfter(response.headers.get('retry-after'));
  let result: GraphQLResponse<T> | undefined;
  try {
    result = (await response.json()) as GraphQLResponse<T>;
  } catch {
    // a proxy's HTML error page, a body cut short by a restart
  }
  const coded = result?.errors?.find((e) => typeof e.extensions?.code === 'string');
  const code = coded?.extensions?.code as string | undefined;
  const bodyWait = typeof coded?.extensions?.retryAfterMs === 'number' ? (coded.extensions.retryAfterMs as number) : undefined;
  if (response.status === 429 || response.status >= 500 || (code && LATER.has(code)) || !result) {
    // retryAfterMs is the server's exact figure; Retry-After is the same rounded up to seconds
    throw new RetryableError(coded?.message ?? `HTTP ${response.status}`, bodyWait ?? headerWait, code);
  }
  if (!response.ok || (result.errors?.length && !result.data)) {
    throw new RequestError(coded?.message ?? result.errors?.[0]?.message ?? `HTTP ${response.status}`, code, response.status, result.errors ?? []);
  }
  return result;
}

/** Exponential backoff with jitter: between half and all of base·2^attempt, capped. */
export function backoff(attempt: number, baseMs = 250, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
