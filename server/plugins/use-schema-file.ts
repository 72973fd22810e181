import { createHash } from 'node:crypto';
import { GraphQLError, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Introspection } from '../config.js';
import type { ResolveViewer } from '../context.js';

/** The schema as SDL, sorted: what `npm run schema` commits as schema.graphql. */
export function printSchemaFile(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export interface UseSchemaFileOptions {
  schema: GraphQLSchema;
  /** Same rule as introspection: the file tells as much. */
  introspection: Introspection;
  resolveViewer: ResolveViewer;
  /** @default '/graphql/schema.graphql' */
  path?: string;
}

/**
 * GET the printed schema, for codegen and other tools that want a file rather than an
 * introspection query. Under `signed-in` it takes the same Authorization header as the API;
 * under `off` the path does not exist.
 */
export function useSchemaFile({ schema, introspection, resolveViewer, path = '/graphql/schema.graphql' }: UseSchemaFileOptions): Plugin {
  if (introspection === 'off') return {};
  let file: { body: string; etag: string } | undefined;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== path || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      if (introspection === 'signed-in') {
        const refusal = await resolveViewer(request).then(
          (viewer) => (viewer ? null : 'Sign in to download the schema: send "Authorization: Bearer <token>"'),
          // a bad credential: the same 401 as on /graphql; anything else is ours, and masked
          (error: unknown) => {
            if (error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED') return error.message;
            throw error;
          },
        );
        if (refusal) {
          endResponse(
            fetchAPI.Response.json(
              { errors: [{ message: refusal, extensions: { code: 'UNAUTHENTICATED' } }] },
              { status: 401, statusText: 'Unauthorized', headers: { 'www-authenticate': 'Bearer' } },
            ),
          );
          return;
        }
      }
      if (!file) {
        const body = printSchemaFile(schema);
        file = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      }
      const headers = {
        'content-type': 'text/plain; charset=utf-8',
        etag: file.etag,
        // it may need a credential: shared caches keep out
        'cache-control': introspection === 'public' ? 'public, max-age=60' : 'private, no-cache',
      };
      if (request.headers.get('if-none-match') === file.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, statusText: 'Not Modified', headers }));
        return;
      }
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : file.body, { status: 200, statusText: 'OK', headers }));
    },
  };
}
