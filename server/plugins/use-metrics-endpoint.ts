import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../metrics.js';

export interface UseMetricsEndpointOptions {
  metrics: Metrics;
  /** What this instance holds right now (streams, reservations, feeds…), read at each scrape. */
  holdings: () => Holdings;
  /** Bearer token a scrape must send. */
  token?: string;
  /** Metrics live on their own port: the API port answers 404 for /metrics. */
  ownPort?: boolean;
  /** With neither a token nor a port of their own, answer anyone (development only). @default false */
  open?: boolean;
}

/**
 * Prometheus text at GET /metrics — never public by accident: with `token` a scrape sends
 * `Authorization: Bearer <token>`; with `ownPort` they are served only by `startMetricsServer`
 * (a port the proxy does not expose); with neither, only when `open` (not in production).
 */
export function useMetricsEndpoint({ metrics, holdings, token, ownPort = false, open = false }: UseMetricsEndpointOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/metrics') return;
      if (ownPort || (!token && !open)) {
        endResponse(Response.json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] }, { status: 404 }));
        return;
      }
      if (token && !bearerMatches(request.headers.get('authorization'), token)) {
        endResponse(
          Response.json(
            { errors: [{ message: 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>"', extensions: { code: 'UNAUTHENTICATED' } }] },
            { status: 401, headers: { 'www-authenticate': 'Bearer' } },
          ),
        );
        return;
      }
      if (request.method !== 'GET') return;
      endResponse(new Response(await text(metrics, holdings), { headers: { 'content-type': metrics.registry.contentType } }));
    },
  };
}

/** /metrics alone on `port` (with `token` if set): for a scraper on the private network. */
export async function startMetricsServer({ metrics, holdings, token, port, host }: { metrics: Metrics; holdings: () => Holdings; token?: string; port: number; host: string }): Promise<Server> {
  // serve never rejects: a failed scrape is answered with a 500
  const server = createServer((req, res) => void serve(req, res));
  async function serve(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics' || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    if (token && !bearerMatches(req.headers.authorization ?? null, token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    try {
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await text(metrics, holdings));
    } catch {
      res.writeHead(500).end();
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

type Holdings = Parameters<Metrics['setHoldings']>[0];

async function text(metrics: Metrics, holdings: () => Holdings): Promise<string> {
  metrics.setHoldings(holdings());
  return metrics.registry.metrics();
}

function bearerMatches(header: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  // compare digests: equal length, and no early exit on the first differing byte
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
