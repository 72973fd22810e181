import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Plugin } from 'graphql-yoga';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface UseStaticWebOptions {
  /** The built console (vite's outDir). */
  root: string;
  /** Paths that belong to the API and are never served from `root`. */
  apiPaths: string[];
}

/** Serves the built console at `/`, falling back to index.html for client-side routes. */
export function useStaticWeb({ root, apiPaths }: UseStaticWebOptions): Plugin {
  const base = normalize(root + sep);
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (apiPaths.some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))) return;
      const requested = normalize(join(base, decodeURIComponent(url.pathname)));
      if (!requested.startsWith(base)) return;
      const file = (await isFile(requested)) ? requested : join(base, 'index.html');
      if (!(await isFile(file))) return;
      const body = await readFile(file);
      const immutable = file.includes(`${sep}assets${sep}`);
      endResponse(
        new Response(request.method === 'HEAD' ? null : body, {
          headers: {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          },
        }),
      );
    },
  };
}

async function isFile(path: string) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
