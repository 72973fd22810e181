import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga';
import { DomainError } from '../domain/shared/errors.js';

/**
 * Yoga's error masking, with one exception: a DomainError (an expected failure from
 * server/domain) surfaces with its message and `extensions.code`. Everything else is
 * masked as "Unexpected error." — no messages, stacks or paths from internals.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    const gql = error instanceof GraphQLError ? error : undefined;
    return createGraphQLError(original.message, {
      nodes: gql?.nodes,
      path: gql?.path,
      extensions: { ...original.extensions, code: original.code },
    });
  }
  return yogaMaskError(error, message, isDev);
}

/** Expected failures (DomainError) are the caller's business: debug, not error, in the logs. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof DomainError || (error instanceof GraphQLError && error.originalError instanceof DomainError);
}
