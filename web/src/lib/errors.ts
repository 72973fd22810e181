import type { CombinedError } from 'urql';

/** The message and field of a failed mutation, as a form shows it; null when it worked. */
export function mutationError(result: { error?: CombinedError }): { message: string; field?: string; code?: string } | null {
  if (!result.error) return null;
  const failure = result.error.graphQLErrors[0];
  if (failure) return { message: failure.message, field: failure.extensions?.field as string | undefined, code: failure.extensions?.code as string | undefined };
  return { message: 'Cannot reach the server — try again' };
}
