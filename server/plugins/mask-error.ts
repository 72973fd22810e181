import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga';
import { DomainError, type ErrorCode } from '../domain/shared/errors.js';

/**
 * The HTTP status a code sets while a response's status is still open (docs/errors.md): the
 * request as a whole is refused. Other codes stay 200: a field error travels beside the data
 * that did resolve; inside an open event stream every error is an event.
 */
export const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, TOO_MANY_REQUESTS: 429 };

/** The status and headers a result refuses its request with, if one of its errors does. */
export function refusalOf(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): { status: number; headers: Record<string, string> } | undefined {
  for (const error of errors ?? []) {
    const status = HTTP_STATUS[error.extensions?.code as ErrorCode];
    if (status) return { status, headers: retryAfter(error.extensions ?? {}) ?? {} };
  }
  return undefined;
}

/**
 * Yoga's error masking, with two additions. A DomainError (an expected failure from
 * server/domain) surfaces with its message, `extensions.code` and extensions; and a request
 * whose variables do not coerce gets `BAD_USER_INPUT`, as graphql-js leaves it without a code.
 * Everything else is masked as "Unexpected error." — no messages, stacks or paths from internals.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    const gql = error instanceof GraphQLError ? error : undefined;
    const status = HTTP_STATUS[original.code];
    return createGraphQLError(original.message, {
      nodes: gql?.nodes,
      path: gql?.path,
      extensions: { ...original.extensions, code: original.code, ...(status ? { http: { status, headers: retryAfter(original.extensions) } } : {}) },
    });
  }
  if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return withCode(error);
  return yogaMaskError(error, message, isDev);
}

/**
 * Gives a library's request error the code the contract promises when it came without one:
 * graphql-js leaves variable coercion failures bare (`BAD_USER_INPUT`), and graphql-armor's
 * limits (depth, aliases, cost, tokens, directives) say "Syntax Error: … limit …" with no code
 * (`GRAPHQL_VALIDATION_FAILED`, with a validation error's status: 400, or 200 under
 * application/json). Real syntax errors already carry GRAPHQL_PARSE_FAILED from Yoga.
 */
export function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions.code !== undefined) return error;
  const http = error.extensions.http as { status?: number } | undefined;
  if (http?.status === 400 && /^Variable "\$[^"]+" /.test(error.message)) {
    return createGraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } });
  }
  if (error.message.startsWith('Syntax Error:')) {
    // a limit is not a syntax error: "Query Cost limit of 100000 exceeded, found 123456."
    const message = / limit of \d+ exceeded/.test(error.message) ? error.message.replace(/^Syntax Error: /, '') : error.message;
    return createGraphQLError(message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED', http: { spec: true, status: 400 } },
    });
  }
  return error;
}

/**
 * A refusal with `retryAfterMs` says when to come back in the header every HTTP client knows;
 * a budget's refusal (`limitPerSecond`, `remaining`) adds the IETF draft's RateLimit-* fields.
 */
function retryAfter(extensions: Record<string, unknown>): Record<string, string> | undefined {
  const { retryAfterMs, limitPerSecond, remaining } = extensions;
  if (typeof retryAfterMs !== 'number') return undefined;
  const seconds = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  if (typeof limitPerSecond !== 'number' || typeof remaining !== 'number') return { 'Retry-After': seconds };
  return { 'Retry-After': seconds, 'RateLimit-Limit': String(limitPerSecond), 'RateLimit-Remaining': String(Math.max(0, remaining)), 'RateLimit-Reset': seconds };
}

/**
 * Expected failures are the caller's business — debug, not error, in the logs, or any caller could
 * fill the error log: a DomainError, and a request error of graphql-js or Yoga (a document that
 * does not parse or validate, a variable that does not coerce), which has no other error inside.
 */
export function isExpectedError(error: unknown): boolean {
  if (error instanceof DomainError) return true;
  if (!(error instanceof GraphQLError)) return false;
  const original = error.originalError;
  return original instanceof DomainError || !original || (original instanceof GraphQLError && !original.originalError);
}

const SUGGESTION = / Did you mean [^?]*\?/g;

/**
 * Production tells no names the caller did not write: graphql-armor hides field suggestions in
 * validation, but a variable that does not coerce still says `Did you mean the enum value "INFO"?`.
 */
export function withoutSuggestions(error: Error): Error {
  if (!(error instanceof GraphQLError)) return error;
  const message = error.message.replace(SUGGESTION, '');
  if (message === error.message) return error;
  return createGraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: error.extensions });
}
