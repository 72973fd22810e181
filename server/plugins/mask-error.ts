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
    if (status) return { status, headers: retryAfter(error.extensions?.retryAfterMs) ?? {} };
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
      extensions: { ...original.extensions, code: original.code, ...(status ? { http: { status, headers: retryAfter(original.extensions.retryAfterMs) } } : {}) },
    });
  }
  if (error instanceof GraphQLError && !original && error.extensions.code === undefined && isCoercionFailure(error)) {
    return createGraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } });
  }
  return yogaMaskError(error, message, isDev);
}

/** graphql-js's messages for variables that are missing or of the wrong shape (execution never started). */
function isCoercionFailure(error: GraphQLError): boolean {
  return (error.extensions.http as { status?: number } | undefined)?.status === 400 && /^Variable "\$[^"]+" /.test(error.message);
}

/** A refusal with `retryAfterMs` says when to come back in the header every HTTP client knows. */
function retryAfter(retryAfterMs: unknown): Record<string, string> | undefined {
  return typeof retryAfterMs === 'number' ? { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } : undefined;
}

/** Expected failures (DomainError) are the caller's business: debug, not error, in the logs. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof DomainError || (error instanceof GraphQLError && error.originalError instanceof DomainError);
}
