import { GraphQLError } from 'graphql';
import { createGraphQLError, type YogaInitialContext } from 'graphql-yoga';
import type { Auth } from './domain/auth/auth.js';
import type { LogFeeds } from './streams/log-feed.js';
import type { Logs } from './domain/logs/logs.js';
import type { Services } from './domain/services/services.js';
import type { Incidents } from './domain/incidents/incidents.js';
import type { Monitors } from './domain/monitors/monitors.js';
import type { Scheduler } from './workers/monitor-scheduler.js';
import type { Tickets } from './domain/tickets/tickets.js';
import type { TicketPresenceRegistry } from './streams/ticket-presence.js';
import type { RateLimiter } from './domain/shared/rate-limit.js';
import type { Metrics } from './metrics.js';
import { DomainError } from './domain/shared/errors.js';
import type { Viewer } from './domain/auth/viewer.js';
import type { Bus } from './bus/index.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';

/** What every resolver may reach: the caller, and the app's dependencies. */
export interface Context {
  viewer: Viewer | null;
  config: Config;
  db: Database;
  bus: Bus;
  auth: Auth;
  logs: Logs;
  logFeeds: LogFeeds;
  services: Services;
  monitors: Monitors;
  incidents: Incidents;
  scheduler: Scheduler;
  tickets: Tickets;
  presence: TicketPresenceRegistry;
  publishLimiter: RateLimiter;
  metrics: Metrics;
}

export type ContextDeps = Omit<Context, 'viewer'>;

export type ResolveViewer = (request: Request) => Promise<Viewer | null>;

/**
 * Request -> viewer, from the Authorization header (never the URL), once per request.
 * A present but bad credential rejects with an UNAUTHENTICATED GraphQL error.
 */
export function createViewerResolver(auth: Auth): ResolveViewer {
  const cache = new WeakMap<Request, Promise<Viewer | null>>();
  return (request) => {
    let viewer = cache.get(request);
    if (!viewer) {
      viewer = authenticate(auth, request.headers.get('authorization'));
      cache.set(request, viewer);
    }
    return viewer;
  };
}

async function authenticate(auth: Auth, header: string | null): Promise<Viewer | null> {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('Authorization header must be "Bearer <token>"');
  try {
    return await auth.authenticate(match[1]!);
  } catch (error) {
    if (error instanceof DomainError) throw unauthenticated(error.message);
    throw error;
  }
}

const unauthenticated = (message: string): GraphQLError =>
  createGraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/** Yoga's context factory: the viewer plus the app's dependencies. */
export function createContext(deps: ContextDeps, resolveViewer: ResolveViewer) {
  return async ({ request }: YogaInitialContext): Promise<Context> => ({ ...deps, viewer: await resolveViewer(request) });
}
