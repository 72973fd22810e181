import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createYoga, useReadinessCheck } from 'graphql-yoga';
import type { Bus } from './bus/index.js';
import type { Config } from './config.js';
import { createContext, createViewerResolver, type ContextDeps } from './context.js';
import type { Store } from './db/client.js';
import { createAuth, resolveJwtSecret } from './domain/auth.js';
import { createLogFeeds } from './domain/log-feed.js';
import { createLogs } from './domain/logs.js';
import { createServices } from './domain/services.js';
import { createIncidents } from './domain/incidents.js';
import { createMonitors } from './domain/monitors.js';
import { createNotifier } from './domain/notifications.js';
import { createScheduler } from './monitors/scheduler.js';
import { createTickets } from './domain/tickets.js';
import { createTicketPresence } from './domain/ticket-presence.js';
import { startWorker, type Worker } from './workers.js';
import { createLogger, type Logger } from './logger.js';
import { isExpectedError, maskError } from './plugins/mask-error.js';
import { useNoCredentialsInUrl } from './plugins/use-no-credentials-in-url.js';
import { useStaticWeb } from './plugins/use-static-web.js';
import { createStreamSessions, useStreamSessions } from './plugins/use-stream-sessions.js';
import { schema } from './schema/index.js';
import { useGraphQLSSE } from './sse/use-graphql-sse.js';

export interface BuildAppOptions {
  config: Config;
  store: Store;
  bus: Bus;
  logger?: Logger;
  /** Built console to serve at `/`. @default '<repo>/web/dist' */
  webRoot?: string;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/** Assembles the server from its dependencies; nothing listens until `start()`. */
export async function buildApp({
  config,
  store,
  bus,
  logger = createLogger(config.logLevel),
  webRoot = fileURLToPath(new URL('../web/dist', import.meta.url)),
}: BuildAppOptions) {
  const auth = createAuth({
    db: store.db,
    bus,
    jwtSecret: await resolveJwtSecret(store.db, config.jwtSecret),
    jwtTtlSeconds: config.jwtTtlSeconds,
  });
  const logs = createLogs({
    db: store.db,
    bus,
    limits: { maxBatch: config.logMaxBatch, maxMessageBytes: config.logMaxMessageBytes },
  });
  const logFeeds = createLogFeeds({ bus, logs });
  const services = createServices({ db: store.db, bus });
  const policy = { allowPrivate: config.monitorAllowPrivate };
  const incidents = createIncidents({ db: store.db, bus });
  const monitors = createMonitors({ db: store.db, bus, incidents, policy, minIntervalSeconds: config.monitorMinIntervalSeconds });
  const scheduler = createScheduler({ monitors, policy, logger, concurrency: config.monitorConcurrency, tickMs: config.monitorTickMs });
  const notifier = createNotifier({ db: store.db, policy, retryBaseMs: config.webhookRetryBaseMs, maxAttempts: config.webhookMaxAttempts });
  const tickets = createTickets({ db: store.db, bus, limits: { maxBodyChars: config.ticketMaxBodyChars } });
  const presence = createTicketPresence({ bus, typingTtlMs: config.typingTtlMs });
  const deps: ContextDeps = { config, db: store.db, bus, auth, logs, logFeeds, services, monitors, incidents, scheduler, tickets, presence };
  let workers: Worker[] = [];
  const resolveViewer = createViewerResolver(auth);
  const sessions = createStreamSessions({ bus });
  const sse = useGraphQLSSE({
    resolveViewer,
    keepAliveMs: config.sseKeepAliveMs,
    reservationTtlMs: config.sseReservationTtlMs,
    reservationsPerPrincipal: config.sseReservationsPerPrincipal,
    maxBodyBytes: config.maxBodyBytes,
  });

  const yoga = createYoga({
    schema,
    context: createContext(deps, resolveViewer),
    graphqlEndpoint: '/graphql',
    graphiql: config.production ? false : { title: 'Pulseboard', subscriptionsProtocol: 'GRAPHQL_SSE' },
    landingPage: false,
    maskedErrors: { maskError, isDev: false },
    maxRequestBodySize: config.maxBodyBytes,
    logging: { ...logger, error: (...args: unknown[]) => (isExpectedError(args[0]) ? logger.debug : logger.error)(...args) },
    plugins: [
      useNoCredentialsInUrl(),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          const failures = await checkDependencies(store, bus);
          return Response.json(
            failures.length ? { status: 'unavailable', reasons: failures } : { status: 'ready' },
            { status: failures.length ? 503 : 200 },
          );
        },
      }),
      sse,
      useStreamSessions(sessions),
      useStaticWeb({ root: webRoot, apiPaths: ['/graphql', '/health', '/ready', '/metrics'] }),
    ],
  });

  const server: Server = createServer(yoga);
  let stopping: Promise<void> | undefined;

  return {
    yoga,
    server,
    auth,
    logs,
    logFeeds,
    services,
    monitors,
    incidents,
    scheduler,
    notifier,
    tickets,
    /** Streams open on this instance (for tests and metrics). */
    openStreams: () => sse.openStreams(),
    async start(port = config.port, host = config.host): Promise<{ port: number; url: string }> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      workers = [
        startWorker('stale services', config.staleCheckIntervalMs, () => services.markStale(), logger),
        startWorker('log retention', config.logPruneIntervalMs, () => logs.prune(), logger),
        startWorker('webhooks', Math.min(1_000, config.webhookRetryBaseMs), () => notifier.deliverDue(), logger),
      ];
      scheduler.start();
      const address = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      return { port: address.port, url: `http://${shownHost}:${address.port}` };
    },
    /**
     * Stops accepting, ends open streams without `complete` (so clients reconnect to
     * another instance), lets in-flight requests finish within the grace period.
     */
    stop(graceMs = config.shutdownGraceMs): Promise<void> {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
        workers.forEach((w) => w.stop());
        await scheduler.stop();
        sse.stop();
        sessions.close();
        logFeeds.close();
        presence.close();
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

async function checkDependencies(store: Store, bus: Bus): Promise<string[]> {
  const failures: string[] = [];
  const within = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), 2_000).unref())]);
  await Promise.all([
    within(store.ping()).catch((e: Error) => failures.push(`store: ${e.message}`)),
    within(bus.ping()).catch((e: Error) => failures.push(`bus: ${e.message}`)),
  ]);
  return failures;
}
