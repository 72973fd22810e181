import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';

export interface CreateStaticWebOptions {
  /** The built console (vite's outDir); absent: nothing is served from disk. */
  root: string;
  /** Paths that belong to the API and are never served from `root`. */
  apiPaths: string[];
  /** Look files up on each request instead of listing them once at start (a console rebuilt while running). @default false */
  dev?: boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The built console at `/` through sirv (ETags, HEAD, ranges, index.html for client-side
 * routes, hashed assets cached for a year), in front of the API. A path whose percent-encoding
 * does not decode is answered 400 here, whatever it names: no handler behind ever sees it.
 */
export function createStaticWeb({ root, apiPaths, dev = false }: CreateStaticWebOptions): Handler {
  const serve = existsSync(root)
    ? sirv(root, {
        single: true,
        dev,
        etag: true,
        setHeaders: (res, pathname) =>
          res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
      })
    : null;
  const isApi = (path: string) => apiPaths.some((p) => path === p || path.startsWith(`${p}/`));
  return (req, res, next) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (!decodes(path)) {
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message: 'Malformed URL path: its percent-encoding does not decode', extensions: { code: 'BAD_REQUEST' } }] }));
      return;
    }
    if (!serve || (req.method !== 'GET' && req.method !== 'HEAD') || isApi(path)) return next();
    serve(req, res, next);
  };
}

function decodes(path: string): boolean {
  if (!path.includes('%')) return true;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
