import type { Plugin } from 'graphql-yoga';

const CREDENTIAL_PARAMS = new Set(['access_token', 'accesstoken', 'auth', 'authorization', 'bearer', 'jwt', 'api_key', 'apikey']);
const LOOKS_LIKE_CREDENTIAL = /^(Bearer\s|eyJ[\w-]*\.[\w-]*\.|pbs_)/i;

/**
 * Refuses a bearer credential in the URL, where proxies and browser history keep it.
 * The GraphQL-over-SSE reservation token (`?token=` on the stream endpoint) is not a
 * credential — it is bound to the caller — so it passes unless it looks like one.
 */
export function useNoCredentialsInUrl(): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      for (const [name, value] of url.searchParams) {
        if (CREDENTIAL_PARAMS.has(name.toLowerCase()) || LOOKS_LIKE_CREDENTIAL.test(value)) {
          endResponse(
            new fetchAPI.Response(
              JSON.stringify({
                errors: [
                  {
                    message: `Credentials are not accepted in the URL (parameter "${name}"); send "Authorization: Bearer <token>"`,
                    extensions: { code: 'BAD_REQUEST' },
                  },
                ],
              }),
              { status: 400, headers: { 'content-type': 'application/json; charset=utf-8' } },
            ),
          );
          return;
        }
      }
    },
  };
}
