import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isAsyncIterable } from '../async-iterable.js';
import { DomainError } from '../domain/shared/errors.js';

/**
 * An operation that needs a signed-in caller and has none is refused as a whole: HTTP 401,
 * `UNAUTHENTICATED`, and no `data` — the same answer whether the credential was missing, bad
 * or expired, and whether the operation touched one protected field or all of them (a
 * response with data would have to be a 2xx under GraphQL over HTTP). Streams already open
 * end with the error as an event instead (docs/errors.md).
 */
export function useSignInRequired(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const { errors, extensions } = result as ExecutionResult;
          if (errors?.some(isUnauthenticated)) setResult(extensions ? { errors, extensions } : { errors });
        },
      };
    },
  };
}

function isUnauthenticated(error: GraphQLError): boolean {
  const original = error.originalError;
  return original instanceof DomainError ? original.code === 'UNAUTHENTICATED' : error.extensions?.code === 'UNAUTHENTICATED';
}
