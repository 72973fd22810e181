import { GraphQLError } from 'graphql';

interface QueryError extends Error {
  query: string;
  params: unknown[];
}

const isQueryError = (e: unknown): e is QueryError =>
  e instanceof Error && typeof (e as QueryError).query === 'string' && Array.isArray((e as QueryError).params);

/**
 * An error as the logs may show it. A failed statement (Drizzle's "Failed query: … params: …")
 * keeps its SQL text, SQLSTATE and constraint but never its parameters — they hold emails,
 * password and token hashes, messages — and any parameter value the database quoted back in
 * its own message is blanked. A GraphQL error is logged as the error it wraps.
 */
export function errorFields(error: Error): Record<string, unknown> {
  const root = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  let cause: QueryError | undefined;
  for (let e: unknown = root, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (isQueryError(e)) {
      cause = e;
      break;
    }
  }
  if (!cause) return { name: root.name, message: root.message };
  const db = cause.cause as (Error & { code?: string; constraint?: string; table?: string; column?: string }) | undefined;
  return {
    name: cause.name,
    message: 'Failed query',
    query: cause.query,
    params: `${cause.params.length} redacted`,
    ...(db instanceof Error
      ? { cause: { message: scrub(db.message, cause.params), code: db.code, constraint: db.constraint, table: db.table, column: db.column } }
      : {}),
  };
}

function scrub(message: string, params: unknown[]): string {
  let out = message;
  for (const param of params) {
    if (param === null || param === undefined) continue;
    const text = typeof param === 'string' ? param : typeof param === 'object' ? JSON.stringify(param) : String(param as string | number | bigint | boolean | symbol);
    if (text.length >= 3) out = out.split(text).join('[redacted]');
  }
  return out;
}
