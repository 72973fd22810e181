/**
 * Expected failures, free of GraphQL. The API maps each to a GraphQL error whose
 * `extensions.code` is `code`; anything that is not a DomainError stays masked.
 * Every code, with its HTTP status and what a client does about it, is in docs/errors.md
 * (test/errors.test.ts fails on a code the table does not list).
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CURSOR_EXPIRED'
  | 'SLOW_CONSUMER'
  | 'TOO_MANY_REQUESTS';

/** Refusals of a request before any resolver runs: the transport's and the GraphQL engine's. */
export type RequestErrorCode =
  | 'BAD_REQUEST'
  | 'CSRF_PREVENTED'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'REQUEST_ENTITY_TOO_LARGE'
  | 'STREAM_NOT_FOUND'
  | 'INTERNAL_SERVER_ERROR';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, field?: string) =>
  new DomainError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
/**
 * The row, or NOT_FOUND: a missing object (or another tenant's, which reads the same) is an
 * error in queries and mutations alike; a query's field is `null` beside it (docs/errors.md).
 */
export function found<T>(row: T | null | undefined, message: string): T {
  if (row === null || row === undefined) throw notFound(message);
  return row;
}
/**
 * For `.catch()` where a missing row reads as `null`: NOT_FOUND becomes null, anything else (the
 * store failing) still fails the call — a broken database must not look like an empty one.
 */
export function nullIfNotFound(error: unknown): null {
  if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
  throw error;
}
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);
