import { randomBytes } from 'node:crypto';
import { SECRET_HINT, weakSecretReason } from './domain/auth/secret-strength.js';

/**
 * Environment -> typed config. The one place the process environment is read; every
 * variable is documented in the README's configuration table.
 */
export interface Config {
  /** @default 4000 */
  port: number;
  /** @default '0.0.0.0' */
  host: string;
  /** PostgreSQL URL; absent means embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite directory, or ':memory:' for a throwaway store. @default './data' */
  dataDir: string;
  /** Redis URL; absent means the in-process bus. */
  redisUrl?: string;
  /** Redis Cluster seed nodes (host:port), for sharded pub/sub; wins over redisUrl. */
  redisClusterNodes: string[];
  /** HS256 secret; absent (outside production) means one generated once and kept in the store. */
  jwtSecret?: string;
  /** Lifetime of an access token; clients renew it from their session. @default 900 (15 min) */
  jwtTtlSeconds: number;
  /** A sign-in session unused this long ends (each use moves the end on). @default 1209600 (14 days) */
  sessionIdleSeconds: number;
  /** Anyone reaching the server may create a workspace; otherwise only the first, then invitations. @default false */
  allowSignup: boolean;
  /** Proxies of our own in front (nginx: 1): the client address is read from X-Forwarded-For. @default 0 */
  trustProxyHops: number;
  /** Session cookie `Secure` attribute: 'auto' sets it over TLS. @default 'auto' */
  sessionCookieSecure: boolean | 'auto';
  /** Bearer token GET /metrics requires. */
  metricsToken?: string;
  /** Serve /metrics on this port only (and not on `port`). */
  metricsPort?: number;
  /** How long an instance trusts a cached credential lookup without hearing of a change. @default 30000 */
  credentialCacheTtlMs: number;
  /** Keep-alive comment interval on SSE responses. @default 15000 */
  sseKeepAliveMs: number;
  /** Unused single-connection reservations expire after this. @default 30000 */
  sseReservationTtlMs: number;
  /** Open reservations per principal. @default 10 */
  sseReservationsPerPrincipal: number;
  /** Bytes of events held for a reserved stream not yet opened; past it the reservation ends. @default 1048576 */
  sseMaxBacklogBytes: number;
  /** Request body limit in bytes, on /graphql and /graphql/stream alike. @default 1_000_000 */
  maxBodyBytes: number;
  /** Grace period for draining on SIGTERM. @default 10000 */
  shutdownGraceMs: number;
  /** Entries per publishLogs call. @default 1000 */
  logMaxBatch: number;
  /** Bytes per log message. @default 16384 */
  logMaxMessageBytes: number;
  /**
   * Live events held per subscription for a consumer that is not keeping up: durable streams
   * (logs, incidents, ticketEvents) then end with SLOW_CONSUMER and a resume cursor,
   * monitorChecks keeps the newest. @default 1000
   */
  logSubscriptionBuffer: number;
  /** How often open streams' credentials are re-checked against the store. @default 5000 */
  credentialRecheckMs: number;
  /** How often an instance tries to take the retention pass (one instance runs it per interval). @default 60000 */
  logPruneIntervalMs: number;
  /** Raw monitor checks kept, in days (charts past a day read the hourly rollup). @default 30 */
  checkRetentionDays: number;
  /** Hourly check rollups kept, in days (status pages show 90). @default 400 */
  rollupRetentionDays: number;
  /** Finished webhook deliveries kept, in days. @default 30 */
  deliveryRetentionDays: number;
  /** How often silent services are checked for STALE. @default 1000 */
  staleCheckIntervalMs: number;
  /** Let monitors and webhooks reach private and loopback addresses. @default false */
  monitorAllowPrivate: boolean;
  /** Checks running at once per instance. @default 10 */
  monitorConcurrency: number;
  /** How often the scheduler claims due monitors. @default 1000 */
  monitorTickMs: number;
  /** The shortest monitor interval accepted. @default 10 */
  monitorMinIntervalSeconds: number;
  /** First webhook retry after this, doubling each time. @default 5000 */
  webhookRetryBaseMs: number;
  /** @default 6 */
  webhookMaxAttempts: number;
  /** Characters per ticket message. @default 10000 */
  ticketMaxBodyChars: number;
  /** How long a TYPING indicator lasts. @default 5000 */
  typingTtlMs: number;
  /** Concurrent subscriptions per user or service token (per instance). @default 50 */
  maxStreamsPerCaller: number;
  /** Concurrent subscriptions per tenant (per instance). @default 2000 */
  maxStreamsPerTenant: number;
  /**
   * Serve repeated publishLogs / reportServiceStatus calls from the fast lane
   * (server/plugins/publish-fast-lane.ts): the same answers at about twice the calls per second.
   * Off sends every request through Yoga's HTTP layer. @default true
   */
  publishFastLane: boolean;
  /** Serve distinct-mode event streams of shared-execution fields without Yoga's per-request layers. */
  streamLane: boolean;
  /** publishLogs entries per second per caller — service token or user (per instance). @default 50000 */
  publishTokenEntriesPerSecond: number;
  /** publishLogs bytes (messages and fields) per second per caller (per instance). @default 16 MiB */
  publishTokenBytesPerSecond: number;
  /** publishLogs entries per second per tenant, its callers together (per instance). @default 100000 */
  publishTenantEntriesPerSecond: number;
  /** publishLogs bytes per second per tenant (per instance). @default 48 MiB */
  publishTenantBytesPerSecond: number;
  /** Seconds' worth each publish budget holds: the burst above the rate. @default 5 */
  publishBurstSeconds: number;
  /** reportServiceStatus calls per second per caller, a budget of its own (per instance). @default 50 */
  statusReportsPerSecond: number;
  /** Deepest selection accepted (introspection aside). @default 12 */
  maxQueryDepth: number;
  /** Origins allowed to call the API from a browser; empty means same-origin only. */
  corsOrigins: string[];
  /** Refuse "simple" cross-site requests on both GraphQL endpoints. @default true */
  csrfPrevention: boolean;
  production: boolean;
  /** Serve GraphiQL at GET /graphql, its assets from node_modules (no outside host). @default true */
  graphiql: boolean;
  /**
   * Who may introspect the schema (`__schema`, `__type`) and download /graphql/schema.graphql:
   * `public`, `signed-in` (any valid credential) or `off`.
   * @default 'signed-in' in production, 'public' otherwise
   */
  introspection: Introspection;
  /** Structured logs; 'silent' for tests. @default 'info' */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export type Introspection = 'public' | 'signed-in' | 'off';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** REDIS_CLUSTER_NODES: comma-separated host:port seeds of a Redis Cluster. */
function clusterNodes(env: Env): string[] {
  const nodes = (env.REDIS_CLUSTER_NODES ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  for (const node of nodes) {
    const port = Number(node.slice(node.lastIndexOf(':') + 1));
    if (node.lastIndexOf(':') <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new ConfigError(`REDIS_CLUSTER_NODES must be comma-separated host:port pairs, got "${node}"`);
    }
  }
  return nodes;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}), got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

/** Reads and validates the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent, got "${logLevel}"`);
  }
  const production = env.NODE_ENV === 'production';
  const introspection = (env.INTROSPECTION || (production ? 'signed-in' : 'public')) as Introspection;
  if (!['public', 'signed-in', 'off'].includes(introspection)) {
    throw new ConfigError(`INTROSPECTION must be one of public, signed-in, off, got "${introspection}"`);
  }
  const jwtSecret = env.JWT_SECRET || undefined;
  if (jwtSecret === undefined && production) {
    throw new ConfigError(`JWT_SECRET is required in production (every instance must share it): ${SECRET_HINT}`);
  }
  const weak = jwtSecret === undefined ? null : weakSecretReason(jwtSecret);
  // a short secret is refused everywhere; a placeholder one outside production only costs the developer
  if (weak && (production || jwtSecret!.length < 32)) {
    throw new ConfigError(`JWT_SECRET is refused: ${weak}; ${SECRET_HINT}`);
  }
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  const cookieSecure = env.SESSION_COOKIE_SECURE || 'auto';
  if (!['auto', 'true', 'false'].includes(cookieSecure)) throw new ConfigError(`SESSION_COOKIE_SECURE must be auto, true or false, got "${cookieSecure}"`);
  return {
    port: int(env, 'PORT', 4000),
    host: env.HOST || '0.0.0.0',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: env.DATA_DIR || './data',
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisClusterNodes: clusterNodes(env),
    jwtSecret,
    jwtTtlSeconds: int(env, 'JWT_TTL_SECONDS', 900, 1),
    sessionIdleSeconds: int(env, 'SESSION_IDLE_SECONDS', 14 * 86_400, 60),
    allowSignup: bool(env, 'ALLOW_SIGNUP', false),
    trustProxyHops: int(env, 'TRUST_PROXY_HOPS', 0, 0),
    sessionCookieSecure: cookieSecure === 'auto' ? 'auto' : cookieSecure === 'true',
    metricsToken,
    metricsPort: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 1) : undefined,
    credentialCacheTtlMs: int(env, 'CREDENTIAL_CACHE_TTL_MS', 30_000, 100),
    sseKeepAliveMs: int(env, 'SSE_KEEP_ALIVE_MS', 15_000, 100),
    sseReservationTtlMs: int(env, 'SSE_RESERVATION_TTL_MS', 30_000, 100),
    sseReservationsPerPrincipal: int(env, 'SSE_RESERVATIONS_PER_PRINCIPAL', 10, 1),
    sseMaxBacklogBytes: int(env, 'SSE_MAX_BACKLOG_BYTES', 1_048_576, 1024),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 1_000_000, 1024),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0),
    logMaxBatch: int(env, 'LOG_MAX_BATCH', 1000, 1),
    logMaxMessageBytes: int(env, 'LOG_MAX_MESSAGE_BYTES', 16_384, 1),
    logSubscriptionBuffer: int(env, 'LOG_SUBSCRIPTION_BUFFER', 1000, 1),
    credentialRecheckMs: int(env, 'CREDENTIAL_RECHECK_MS', 5_000, 100),
    logPruneIntervalMs: int(env, 'LOG_PRUNE_INTERVAL_MS', 60_000, 100),
    checkRetentionDays: int(env, 'CHECK_RETENTION_DAYS', 30, 1),
    rollupRetentionDays: int(env, 'ROLLUP_RETENTION_DAYS', 400, 90),
    deliveryRetentionDays: int(env, 'DELIVERY_RETENTION_DAYS', 30, 1),
    staleCheckIntervalMs: int(env, 'STALE_CHECK_INTERVAL_MS', 1_000, 50),
    monitorAllowPrivate: bool(env, 'MONITOR_ALLOW_PRIVATE', false),
    monitorConcurrency: int(env, 'MONITOR_CONCURRENCY', 10, 1),
    monitorTickMs: int(env, 'MONITOR_TICK_MS', 1_000, 50),
    monitorMinIntervalSeconds: int(env, 'MONITOR_MIN_INTERVAL_SECONDS', 10, 1),
    webhookRetryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 5_000, 10),
    webhookMaxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', 6, 1),
    ticketMaxBodyChars: int(env, 'TICKET_MAX_BODY_CHARS', 10_000, 1),
    typingTtlMs: int(env, 'TYPING_TTL_MS', 5_000, 100),
    maxStreamsPerCaller: int(env, 'MAX_STREAMS_PER_CALLER', 50, 1),
    maxStreamsPerTenant: int(env, 'MAX_STREAMS_PER_TENANT', 2_000, 1),
    publishFastLane: bool(env, 'PUBLISH_FAST_LANE', true),
    streamLane: bool(env, 'STREAM_LANE', true),
    publishTokenEntriesPerSecond: int(env, 'PUBLISH_TOKEN_ENTRIES_PER_SECOND', 50_000, 1),
    publishTokenBytesPerSecond: int(env, 'PUBLISH_TOKEN_BYTES_PER_SECOND', 16 * 1024 * 1024, 1),
    publishTenantEntriesPerSecond: int(env, 'PUBLISH_TENANT_ENTRIES_PER_SECOND', 100_000, 1),
    publishTenantBytesPerSecond: int(env, 'PUBLISH_TENANT_BYTES_PER_SECOND', 48 * 1024 * 1024, 1),
    publishBurstSeconds: int(env, 'PUBLISH_BURST_SECONDS', 5, 1),
    statusReportsPerSecond: int(env, 'STATUS_REPORTS_PER_SECOND', 50, 1),
    maxQueryDepth: int(env, 'MAX_QUERY_DEPTH', 12, 2),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    csrfPrevention: bool(env, 'CSRF_PREVENTION', true),
    production,
    graphiql: bool(env, 'GRAPHIQL', true),
    introspection,
    logLevel,
  };
}

/** Config for tests and embedded use: defaults plus overrides, no environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // production: true brings production's defaults, as NODE_ENV=production does (with a strong
  // throwaway secret, which production requires); tests sign up many workspaces, so sign-up stays open
  const env = {
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
    ALLOW_SIGNUP: 'true',
    ...(overrides.production ? { NODE_ENV: 'production', JWT_SECRET: randomBytes(48).toString('base64url') } : {}),
  };
  return { ...loadConfig(env), ...overrides };
}
