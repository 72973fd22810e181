import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { withoutSuggestions } from './mask-error.js';

/**
 * Production tells no names the caller did not write. graphql-armor hides field suggestions,
 * but validation still suggests enum values and arguments (`Value "RUNING" does not exist in
 * "ServiceState" enum. Did you mean the enum value "RUNNING"?`): every validation error loses its
 * "Did you mean …?", on both endpoints and in the lanes (which run the same validation).
 */
export function useNoSuggestions(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length === 0) return;
        const cleaned = result.map((error) => withoutSuggestions(error) as GraphQLError);
        if (cleaned.some((error, i) => error !== result[i])) setResult(cleaned);
      };
    },
  };
}
