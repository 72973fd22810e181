import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/** Where GraphiQL's own files are served; the GraphiQL page is GET /graphql (Accept: text/html). */
export const GRAPHIQL_ASSETS_PATH = '/graphql/graphiql';

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

const FILES: Record<string, { export: 'js' | 'css' | 'editorWorkerService' | 'jsonWorker' | 'graphqlWorker' | 'favicon'; type: string }> = {
  'graphiql.js': { export: 'js', type: 'text/javascript; charset=utf-8' },
  'graphiql.css': { export: 'css', type: 'text/css; charset=utf-8' },
  'editor.worker.js': { export: 'editorWorkerService', type: 'text/javascript; charset=utf-8' },
  'json.worker.js': { export: 'jsonWorker', type: 'text/javascript; charset=utf-8' },
  'graphql.worker.js': { export: 'graphqlWorker', type: 'text/javascript; charset=utf-8' },
  'favicon.ico': { export: 'favicon', type: 'image/x-icon' },
};

/** Monaco asks for its workers by these labels. */
const WORKERS = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };

/** The key the console keeps its sign-in under (web/src/App.tsx): GraphiQL on the same origin reuses it. */
const CONSOLE_TOKEN_KEY = 'pulseboard.token';

/**
 * Serves GraphiQL's scripts, styles, editor workers and icon from the `@graphql-yoga/render-graphiql`
 * package (Yoga's own offline build) under GRAPHIQL_ASSETS_PATH, so the page loads nothing from
 * another host. Each file is built once on first use, gzipped, and cached by browsers for good.
 */
export function useGraphiQLAssets(): Plugin {
  let assets: Promise<Map<string, Asset>> | undefined;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(`${GRAPHIQL_ASSETS_PATH}/`) || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      assets ??= loadAssets();
      const asset = (await assets).get(url.pathname.slice(GRAPHIQL_ASSETS_PATH.length + 1));
      if (!asset) return;
      const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
      const headers: Record<string, string> = {
        'content-type': asset.type,
        'cache-control': 'public, max-age=86400',
        etag: asset.etag,
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      };
      if (request.headers.get('if-none-match') === asset.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, statusText: 'Not Modified', headers }));
        return;
      }
      const body = request.method === 'HEAD' ? null : gzip ? asset.gzipped : asset.body;
      endResponse(new fetchAPI.Response(body as BodyInit | null, { status: 200, statusText: 'OK', headers }));
    },
  };
}

async function loadAssets(): Promise<Map<string, Asset>> {
  const built = await import('@graphql-yoga/render-graphiql/graphiql');
  const assets = new Map<string, Asset>();
  for (const [name, file] of Object.entries(FILES)) {
    const source = built[file.export];
    const body = source.startsWith('data:') ? Buffer.from(source.slice(source.indexOf(',') + 1), 'base64') : Buffer.from(source);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { type: file.type, body, gzipped: gzipSync(body), etag });
  }
  return assets;
}

/**
 * GraphiQL's page: Yoga's GraphiQL app with its files from GRAPHIQL_ASSETS_PATH. When the console
 * on this origin is signed in, the header editor starts with its `Authorization` header.
 */
export function renderGraphiQL(options: GraphiQLOptions): string {
  const workers = Object.fromEntries(Object.entries(WORKERS).map(([label, file]) => [label, `${GRAPHIQL_ASSETS_PATH}/${file}`]));
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${GRAPHIQL_ASSETS_PATH}/favicon.ico" />
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${scriptJson(workers)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };
    </script>
    <script src="${GRAPHIQL_ASSETS_PATH}/graphiql.js"></script>
    <script>
      const options = ${scriptJson(options)};
      const token = localStorage.getItem(${scriptJson(CONSOLE_TOKEN_KEY)});
      if (token) options.headers = JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2);
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), options);
    </script>
  </body>
</html>
`;
}

/** JSON that cannot close the <script> element it sits in. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
