import type { Plugin } from 'graphql-yoga';

/**
 * Yoga parses a GET request's `variables` and `extensions` with a bare JSON.parse, so a
 * malformed one surfaces as a masked 500. Answer it as what it is: a bad request.
 */
export function useGetParamsCheck({ path = '/graphql' }: { path?: string } = {}): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' || url.pathname !== path) return;
      for (const name of ['variables', 'extensions']) {
        const raw = url.searchParams.get(name);
        if (raw === null) continue;
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch {
          value = undefined;
        }
        if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
          endResponse(
            Response.json({ errors: [{ message: `The ${name} parameter must be a JSON object`, extensions: { code: 'BAD_REQUEST' } }] }, { status: 400 }),
          );
          return;
        }
      }
    },
  };
}
