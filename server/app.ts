import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ExecutionResult, GraphQLError } from 'graphql';
import { createYoga, useReadinessCheck, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createPublishBudgets, createRateLimiter } from './domain/shared/rate-limit.js';
import { createMetrics, type Metrics } from './metrics.js';
import { useCsrfPrevention } from './plugins/use-csrf-prevention.js';
import { useGetParamsCheck } from './plugins/use-get-params-check.js';
import { useHealth } from './plugins/use-health.js';
import type { Bus } from './bus/index.js';
import type { Config } from './config.js';
import { createContext, createNodeContext, createViewerResolver, type Context, type ContextDeps } from './context.js';
import type { Store } from './db/client.js';
import { createAuth, resolveJwtSecret } from './domain/auth/auth.js';
import { createSignInThrottle } from './domain/auth/sign-in-throttle.js';
import { createLogs } from './domain/logs/logs.js';
import { createServices } from './domain/services/services.js';
import { createIncidents } from './domain/incidents/incidents.js';
import { createMonitors } from './domain/monitors/monitors.js';
import { createNotifier, createWebhookLog } from './domain/incidents/notifications.js';
import { createCheckStats } from './domain/monitors/check-stats.js';
import { createStatusPages } from './domain/status-pages/status-pages.js';
import { useStatusPages } from './plugins/use-status-pages.js';
import { createScheduler } from './workers/monitor-scheduler.js';
import { createTickets } from './domain/tickets/tickets.js';
import { createStreams } from './streams/streams.js';
import { createStreamSessions } from './streams/sessions.js';
import { validPrincipals } from './domain/auth/credential-check.js';
import { createCannedReplies } from './domain/tickets/canned-replies.js';
import { startWorker, type Worker } from './workers/start-worker.js';
import { createRetention } from './domain/retention/retention.js';
import { createLogger, type Logger } from './logger.js';
import { createRequestIds } from './plugins/use-request-ids.js';
import { useStreamedSubscriptions } from './plugins/use-streamed-subscriptions.js';
import { isExpectedError, maskError, withoutSuggestions } from './plugins/mask-error.js';
import { useNoSuggestions } from './plugins/use-no-suggestions.js';
import { GRAPHIQL_EXAMPLES } from './plugins/graphiql-examples.js';
import { renderGraphiQL, useGraphiQLAssets } from './plugins/use-graphiql.js';
import { useHttpErrors } from './plugins/use-http-errors.js';
import { useIntrospectionPolicy } from './plugins/use-introspection-policy.js';
import { useSchemaFile } from './plugins/use-schema-file.js';
import { useSignInRequired } from './plugins/use-sign-in-required.js';
import { useNoCredentialsInUrl } from './plugins/use-no-credentials-in-url.js';
import { createStaticWeb } from './static-web.js';
import { startMetricsServer, useMetricsEndpoint } from './plugins/use-metrics-endpoint.js';
import { useSessionCookie } from './plugins/use-session-cookie.js';
import { useStreamSessions } from './plugins/use-stream-sessions.js';
import { schema } from './schema/index.js';
import { createSharedExecution } from './plugins/use-shared-execution.js';
import { createStreamLane } from './sse/stream-lane.js';
import { useGraphQLSSE } from './sse/use-graphql-sse.js';
import { createPublishFastLane } from './plugins/publish-fast-lane.js';

export interface BuildAppOptions {
  config: Config;
  store: Store;
  bus: Bus;
  logger?: Logger;
  /** @default a new registry per app */
  metrics?: Metrics;
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
  metrics = createMetrics(),
  webRoot = fileURLToPath(new URL('../web/dist', import.meta.url)),
}: BuildAppOptions) {
  // every publish is counted; the bus the app was given is otherwise untouched
  const appBus = appBusFor(bus, metrics);
  const requestIds = createRequestIds();
  // sign-in throttling is shared between instances through Redis when there is one
  const throttleRedis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  // without a listener ioredis reports every failed reconnect as an unhandled 'error'; a throttle
  // that cannot reach Redis counts on this instance instead (rate-limiter-flexible's insurance limiter)
  throttleRedis?.on('error', () => {});
  const auth = createAuth({
    db: store.db,
    bus: appBus,
    // one listener per tenant seen, for the instance's life: not a live view's holding
    invalidations: bus,
    jwtSecret: await resolveJwtSecret(store.db, config.jwtSecret),
    jwtTtlSeconds: config.jwtTtlSeconds,
    sessionIdleSeconds: config.sessionIdleSeconds,
    allowSignup: config.allowSignup,
    cacheTtlMs: config.credentialCacheTtlMs,
    throttle: createSignInThrottle({ redis: throttleRedis }),
    onError: (error) => logger.warn('recording credential use failed', error as Error),
  });
  const logs = createLogs({
    db: store.db,
    bus: appBus,
    limits: { maxBatch: config.logMaxBatch, maxMessageBytes: config.logMaxMessageBytes, maxCommitsInFlight: store.kind === 'postgres' ? 4 : 1 },
    budgets: createPublishBudgets({
      tokenEntriesPerSecond: config.publishTokenEntriesPerSecond,
      tokenBytesPerSecond: config.publishTokenBytesPerSecond,
      tenantEntriesPerSecond: config.publishTenantEntriesPerSecond,
      tenantBytesPerSecond: config.publishTenantBytesPerSecond,
      burstSeconds: config.publishBurstSeconds,
      onRefused: metrics.rejected,
    }),
    onPublishDropped: metrics.busPublishDropped,
  });
  const services = createServices({ db: store.db, bus: appBus });
  const policy = { allowPrivate: config.monitorAllowPrivate };
  const incidents = createIncidents({ db: store.db, bus: appBus });
  const monitors = createMonitors({ db: store.db, bus: appBus, incidents, policy, minIntervalSeconds: config.monitorMinIntervalSeconds });
  const scheduler = createScheduler({ monitors, policy, logger, concurrency: config.monitorConcurrency, tickMs: config.monitorTickMs });
  const notifier = createNotifier({ db: store.db, policy, retryBaseMs: config.webhookRetryBaseMs, maxAttempts: config.webhookMaxAttempts });
  const checkStats = createCheckStats({ db: store.db });
  const retention = createRetention({
    db: store.db,
    policy: {
      checkDays: config.checkRetentionDays,
      rollupDays: config.rollupRetentionDays,
      deliveryDays: config.deliveryRetentionDays,
      // held a little short of the interval, so the next tick anywhere may take it
      leaseMs: Math.max(100, config.logPruneIntervalMs - 1_000),
    },
  });
  const webhookLog = createWebhookLog({ db: store.db });
  const statusPages = createStatusPages({ db: store.db, checkStats });
  const tickets = createTickets({ db: store.db, bus: appBus, limits: { maxBodyChars: config.ticketMaxBodyChars } });
  const cannedReplies = createCannedReplies({ db: store.db, maxBodyChars: config.ticketMaxBodyChars });
  const reportBackground = (what: string) => (error: unknown) => logger.warn(what, error as Error);
  const streams = createStreams({
    bus: appBus,
    logs,
    incidents,
    tickets,
    services,
    typingTtlMs: config.typingTtlMs,
    bufferLimit: config.logSubscriptionBuffer,
    onError: reportBackground('live feed resync failed (retried by the next sync)'),
  });
  // what the bus carried while it was down never arrived: every live view rereads the store
  const stopResyncOnReconnect = bus.onReconnect(() => void streams.resync().catch(reportBackground('resync after bus reconnect failed')));
  const deps: ContextDeps = {
    config,
    db: store.db,
    bus: appBus,
    auth,
    logs,
    services,
    monitors,
    checkStats,
    incidents,
    notifier,
    webhookLog,
    statusPages,
    scheduler,
    tickets,
    cannedReplies,
    streams,
    statusLimiter: createRateLimiter({ ratePerSecond: config.statusReportsPerSecond, name: 'status-reports', onRefused: metrics.rejected }),
    webhookTestLimiter: createRateLimiter({ ratePerSecond: 1, burst: 5, name: 'webhook-tests', onRefused: metrics.rejected }),
    metrics,
  };
  let workers: Worker[] = [];
  let metricsServer: Server | undefined;
  const sessionCookie = useSessionCookie({ secure: config.sessionCookieSecure });
  const resolveViewer = createViewerResolver(auth, (request) => sessionCookie.jar(request).value);
  const sessions = createStreamSessions({
    bus: appBus,
    maxPerPrincipal: config.maxStreamsPerCaller,
    maxPerTenant: config.maxStreamsPerTenant,
    validPrincipals: (viewers) => validPrincipals(store.db, viewers),
    recheckIntervalMs: config.credentialRecheckMs,
    onError: reportBackground('credential re-check failed (retried)'),
  });
  // durable results carry their cursor, written as the SSE `id:`
  const eventIds = new WeakMap<ExecutionResult, string>();
  const sse = useGraphQLSSE({
    resolveViewer,
    onError: (error) => {
      metrics.storeError();
      logger.error('stream request failed', error as Error);
    },
    keepAliveMs: config.sseKeepAliveMs,
    reservationTtlMs: config.sseReservationTtlMs,
    reservationsPerPrincipal: config.sseReservationsPerPrincipal,
    maxBacklogBytes: config.sseMaxBacklogBytes,
    maxBodyBytes: config.maxBodyBytes,
    eventIdOf: (result) => eventIds.get(result),
  });
  let draining = false;
  const holdings = () => ({
    openStreams: sse.openStreams(),
    reservations: sse.openReservations(),
    subscriptionSlots: sessions.size(),
    feeds: streams.held(),
    busSubscriptions: appBus.subscriptions(),
  });

  // CORS answers and `Connection: close` while draining are Yoga's (and its plugins') to write
  const laneStandsAside = (req: IncomingMessage) => draining || (config.corsOrigins.length > 0 && req.headers.origin !== undefined);
  const fastLane = createPublishFastLane<Context>({
    schema,
    contextOf: (req) => nodeContext(req),
    fallback: (req, res) => void yoga(req, res),
    enveloped: (context): ReturnType<YogaServerInstance<object, object>['getEnveloped']> => yoga.getEnveloped(context),
    maxBodyBytes: config.maxBodyBytes,
    standAside: laneStandsAside,
    onError: (error) => logger.error('fast-lane request failed', error as Error),
  });

  /** Yoga's error log: an expected failure (a DomainError, bad input) at debug, with the request's id. */
  const logMasked = (...args: unknown[]) => {
    const requestId = requestIds.ofError(args[0]);
    (isExpectedError(args[0]) ? logger.debug : logger.error)(...args, ...(requestId ? [{ requestId }] : []));
  };
  const maskResultError = (error: unknown, message: string, isDev?: boolean) => {
    const masked = maskError(error, message, isDev);
    if (masked.message === 'Unexpected error.') metrics.storeError();
    return config.production ? withoutSuggestions(masked) : masked;
  };
  const sharedExecution = createSharedExecution<Context>({ partitionOf: (context) => context.viewer?.tenantId ?? '', eventIds });
  const nodeContext = createNodeContext(deps, auth, sessionCookie.jar);
  const streamLane = createStreamLane({
    schema,
    contextOf: nodeContext,
    enveloped: (context) => yoga.getEnveloped(context),
    fallback: (req, res) => void yoga(req, res),
    maxBodyBytes: config.maxBodyBytes,
    standAside: laneStandsAside,
    sessions,
    metrics,
    sharedExecution,
    maskError: (error) => {
      const masked = maskResultError(error, 'Unexpected error.', false) as GraphQLError;
      // as Yoga does: what was masked is logged in full (an expected error at debug)
      if (masked !== error) logMasked(error);
      return masked;
    },
    transport: sse.lane,
    onError: (error) => {
      metrics.storeError();
      logger.error('stream lane request failed', error as Error);
    },
  });

  const yoga = createYoga({
    schema,
    context: createContext(deps, resolveViewer, sse.requestSignal, sessionCookie.jar),
    graphqlEndpoint: '/graphql',
    // ours (useHealth) answers /health with a body; Yoga's would answer any path ending in it
    healthCheckEndpoint: '/.well-known/yoga-health',
    graphiql: config.graphiql
      ? {
          title: 'Pulseboard GraphiQL',
          subscriptionsProtocol: 'SSE',
          defaultTabs: GRAPHIQL_EXAMPLES,
          defaultEditorToolsVisibility: true,
          shouldPersistHeaders: false,
          schemaDescription: true,
          inputValueDeprecation: true,
        }
      : false,
    renderGraphiQL,
    landingPage: false,
    maskedErrors: { isDev: false, maskError: maskResultError },
    cors: config.corsOrigins.length ? { origin: config.corsOrigins, credentials: false, maxAge: 600 } : false,
    maxRequestBodySize: config.maxBodyBytes,
    logging: { ...logger, error: logMasked },
    plugins: [
      requestIds.plugin(),
      useStreamedSubscriptions(),
      useHttpErrors(),
      useHealth(),
      useNoCredentialsInUrl(),
      useGetParamsCheck(),
      ...(config.csrfPrevention ? [useCsrfPrevention({ paths: ['/graphql', '/graphql/stream'] })] : []),
      useConnectionCloseWhile(() => draining),
      sessionCookie,
      useMetricsEndpoint({
        metrics,
        holdings,
        token: config.metricsToken,
        ownPort: config.metricsPort !== undefined,
        open: !config.production,
      }),
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
      EnvelopArmorPlugin({
        maxDepth: { n: config.maxQueryDepth, ignoreIntrospection: true },
        maxAliases: { n: 20 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 4_000 },
        // armor multiplies by `first`/`last`: the largest page (logHistory, last: 1000) with every
        // field costs ~47,000 and must pass; lists of lists at full size still do not
        costLimit: { maxCost: 100_000, ignoreIntrospection: true },
        blockFieldSuggestion: { enabled: config.production },
      }),
      ...(config.production ? [useNoSuggestions()] : []),
      useSignInRequired(),
      useIntrospectionPolicy({ introspection: config.introspection }),
      useSchemaFile({ schema, introspection: config.introspection, resolveViewer }),
      ...(config.graphiql ? [useGraphiQLAssets()] : []),
      sse.plugin,
      useStreamSessions(sessions, metrics),
      sharedExecution.plugin,
      useStatusPages({ statusPages, onError: (error) => logger.error('status page read failed', error as Error) }),
      // last: the result it hands back replaces execution after every other plugin's onExecute
      fastLane.plugin(),
    ],
  });

  const staticWeb = createStaticWeb({ root: webRoot, apiPaths: ['/graphql', '/health', '/ready', '/metrics'], dev: !config.production });
  const server: Server = createServer((req, res) => {
    // the request's id: the caller sees it, and the log line of an error it met carries it
    res.setHeader('x-request-id', requestIds.assign(req));
    staticWeb(req, res, () => (config.publishFastLane && fastLane.handle(req, res)) || (config.streamLane && streamLane.handle(req, res)) || void yoga(req, res));
  });
  let stopping: Promise<void> | undefined;

  return {
    yoga,
    server,
    auth,
    metrics,
    logs,
    streams,
    sessions,
    services,
    monitors,
    incidents,
    scheduler,
    notifier,
    tickets,
    retention,
    /** Requests the publish fast lane answered itself (for tests). */
    fastLaneServed: () => fastLane.served(),
    /** Subscriptions the stream lane served itself (for tests). */
    streamLaneServed: () => streamLane.served(),
    /** Streams open on this instance (for tests and metrics). */
    openStreams: () => sse.openStreams(),
    /** Everything live this instance holds, to see that a departed client left nothing behind. */
    holdings: () => ({
      openStreams: sse.openStreams(),
      reservations: sse.openReservations(),
      subscriptions: sessions.size(),
      callersWithSlots: sessions.principals(),
      feeds: Object.values(streams.held()).reduce((a, b) => a + b, 0),
      busSubscriptions: appBus.subscriptions(),
    }),
    async start(port = config.port, host = config.host): Promise<{ port: number; url: string }> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      workers = [
        startWorker('stale services', config.staleCheckIntervalMs, () => services.markStale(), logger),
        startWorker('retention', config.logPruneIntervalMs, () => retention.runPass(), logger),
        startWorker('webhooks', Math.min(1_000, config.webhookRetryBaseMs), () => notifier.deliverDue(), logger),
        startWorker('sessions and codes', 3_600_000, () => auth.maintain(), logger),
      ];
      if (config.metricsPort !== undefined) {
        metricsServer = await startMetricsServer({ metrics, holdings, token: config.metricsToken, port: config.metricsPort, host });
      }
      scheduler.start();
      const address = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      return { port: address.port, url: `http://${shownHost}:${address.port}` };
    },
    /**
     * Drains: stops accepting; every open stream gets a last SHUTTING_DOWN event and ends
     * without `complete` (so clients reconnect to another instance and resume by cursor);
     * responses from here on say `Connection: close`; in-flight requests finish within the
     * grace period.
     */
    stop(graceMs = config.shutdownGraceMs): Promise<void> {
      stopping ??= (async () => {
        draining = true;
        const closed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
        workers.forEach((w) => w.stop());
        await Promise.all([sse.stop(), scheduler.stop()]);
        sessions.close();
        streams.close();
        metricsServer?.close();
        await auth.stop();
        throttleRedis?.disconnect();
        stopResyncOnReconnect();
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/** While the server drains, every response tells the client not to reuse the connection. */
function useConnectionCloseWhile(draining: () => boolean): Plugin {
  return {
    onResponse({ response }) {
      if (draining()) response.headers.set('connection', 'close');
    },
  };
}

/** The app's view of the bus: every publish is counted, and so are the subscriptions it holds. */
function appBusFor(bus: Bus, metrics: Metrics): Bus & { subscriptions(): number } {
  let held = 0;
  return {
    ...bus,
    publish: (tenantId, topic, payload) => (metrics.published(tenantId, topic), bus.publish(tenantId, topic, payload)),
    async subscribe(tenantId, topic, onMessage) {
      const unsubscribe = await bus.subscribe(tenantId, topic, onMessage);
      held++;
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        held--;
        unsubscribe();
      };
    },
    subscriptions: () => held,
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
