import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgSequence, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * Background work run by one instance at a time: an instance claims a row by moving
 * `held_until` forward while it has passed; the others find it held and skip.
 */
export const maintenanceLeases = pgTable('maintenance_leases', {
  name: text('name').primaryKey(),
  heldUntil: timestamp('held_until', { withTimezone: true }).notNull(),
  holder: text('holder'),
});

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  // log retention: entries kept per channel, and for how long
  logRetentionCount: integer('log_retention_count').notNull().default(10_000),
  logRetentionHours: integer('log_retention_hours').notNull().default(24 * 7),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    // stored lower-cased, so the unique constraint is case-insensitive
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['ADMIN', 'MEMBER', 'VIEWER'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('users_tenant_idx').on(t.tenantId),
    check('users_role_check', sql`${t.role} in ('ADMIN', 'MEMBER', 'VIEWER')`),
  ],
);

export const serviceTokens = pgTable(
  'service_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    channels: text('channels').array().notNull(),
    // sha256 of the secret: secrets are 256 random bits, so a slow hash buys nothing
    secretHash: text('secret_hash').notNull().unique(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    // what the token may read beyond its channel patterns (READ_INCIDENTS, READ_MONITORS)
    scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
    // written in batches by each instance, not on every call
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('service_tokens_tenant_idx').on(t.tenantId)],
);

/**
 * A person's sign-in: it lasts while it is used (`expires_at` slides) and ends when revoked.
 * Its refresh credential is derived from (id, generation) with a server key, so nothing here is
 * a secret: renewing moves `generation` on, and an older generation presented again (outside a
 * short grace for concurrent tabs) ends the session.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull().default(0),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** One-time codes an admin hands over: an invitation to join, or a password reset. Stored hashed. */
export const accountCodes = pgTable(
  'account_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['INVITATION', 'PASSWORD_RESET'] }).notNull(),
    codeHash: text('code_hash').notNull().unique(),
    // PASSWORD_RESET: whose password
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    // INVITATION: who is invited, as what
    email: text('email'),
    role: text('role', { enum: ['ADMIN', 'MEMBER', 'VIEWER'] }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('account_codes_tenant_idx').on(t.tenantId, t.kind),
    check('account_codes_kind_check', sql`${t.kind} in ('INVITATION', 'PASSWORD_RESET')`),
  ],
);

/**
 * One row per tenant: the last log cursor handed out. Publishers take it with UPDATE … RETURNING,
 * so the row lock orders them: a cursor is assigned only after every smaller one committed,
 * and `seq > after` never skips an entry that commits late.
 */
export const logHeads = pgTable('log_heads', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
});

/**
 * publishLogs idempotency keys: written in the statement that stores the call's entries, so a
 * retry with the same key (same tenant and caller) finds the original cursors and stores
 * nothing. A call's entries are numbered contiguously, so `first_seq` and `count` are its
 * whole result. Kept a day (retention prunes by `created_at`).
 */
export const publishKeys = pgTable(
  'publish_keys',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    firstSeq: bigint('first_seq', { mode: 'number' }).notNull(),
    count: integer('count').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.caller, t.key] }), index('publish_keys_created_idx').on(t.createdAt)],
);

export const logChannels = pgTable(
  'log_channels',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    // last_seq before the latest commit moved it: the per-channel bus topic carries it as the
    // batch's prevSeq, so a channel's subscribers tell a lost message from a quiet channel
    prevSeq: bigint('prev_seq', { mode: 'number' }).notNull().default(0),
    // the highest cursor retention has deleted: resuming from below it would leave a gap
    prunedThrough: bigint('pruned_through', { mode: 'number' }).notNull().default(0),
    // entries stored: the count rule of retention reads this, not the table
    entryCount: bigint('entry_count', { mode: 'number' }).notNull().default(0),
    lastEntryAt: timestamp('last_entry_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.channel] })],
);

export const logEntries = pgTable(
  'log_entries',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    channel: text('channel').notNull(),
    // 0 TRACE … 5 FATAL, so minLevel is a comparison
    level: smallint('level').notNull(),
    message: text('message').notNull(),
    fields: jsonb('fields'),
    timestamp: timestamp('timestamp', { withTimezone: true, mode: 'string' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.seq] }),
    index('log_entries_channel_idx').on(t.tenantId, t.channel, t.seq),
    // the rare levels on their own: a merged tail with minLevel WARN/ERROR walks these newest
    // first instead of every entry (bench/data/plans); kept small by the levels' rarity
    index('log_entries_warn_idx').on(t.tenantId, t.seq).where(sql`level >= 3`),
    index('log_entries_error_idx').on(t.tenantId, t.seq).where(sql`level >= 4`),
  ],
);

/** Orders every change to a service, across deletes and instances: latest-wins compares these. */
export const serviceVersion = pgSequence('service_version_seq');

export const services = pgTable(
  'services',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    state: text('state').notNull(),
    stale: boolean('stale').notNull().default(false),
    queueSize: integer('queue_size'),
    processedCount: bigint('processed_count', { mode: 'number' }),
    failedCount: bigint('failed_count', { mode: 'number' }),
    intervalSeconds: integer('interval_seconds').notNull(),
    message: text('message'),
    details: jsonb('details'),
    version: bigint('version', { mode: 'number' }).notNull(),
    lastReportAt: timestamp('last_report_at', { withTimezone: true }).notNull(),
    staleAt: timestamp('stale_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] }), index('services_stale_idx').on(t.staleAt)],
);

/** State changes of each service (bounded: the oldest are trimmed on insert). */
export const serviceHistory = pgTable(
  'service_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    state: text('state').notNull(),
    previousState: text('previous_state'),
    message: text('message'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('service_history_key_idx').on(t.tenantId, t.key, t.id)],
);

/**
 * One row per service and minute: the last queue size and counters reported in that minute, so
 * sparklines of queue size and throughput need no history of every report. Bounded: rows older
 * than SERVICE_SAMPLE_HOURS are trimmed when a service opens a new minute.
 */
export const serviceSamples = pgTable(
  'service_samples',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    queueSize: integer('queue_size'),
    maxQueueSize: integer('max_queue_size'),
    processedCount: bigint('processed_count', { mode: 'number' }),
    failedCount: bigint('failed_count', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key, t.minute] }),
    // retention: samples of services that stopped reporting (their own reports trim the rest)
    index('service_samples_minute_idx').on(t.minute),
  ],
);

export type ServiceSampleRow = typeof serviceSamples.$inferSelect;
export type ServiceRow = typeof services.$inferSelect;
export type ServiceHistoryRow = typeof serviceHistory.$inferSelect;
export type LogEntryRow = typeof logEntries.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ServiceTokenRow = typeof serviceTokens.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type AccountCodeRow = typeof accountCodes.$inferSelect;

/** Cursor heads of the tenant's durable event streams other than logs (incidents, tickets). */
export const streamHeads = pgTable(
  'stream_heads',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    stream: text('stream').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.stream] })],
);

export const monitors = pgTable(
  'monitors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['HTTP', 'TCP'] }).notNull(),
    // HTTP: an http(s) URL; TCP: host:port
    target: text('target').notNull(),
    method: text('method').notNull().default('GET'),
    intervalSeconds: integer('interval_seconds').notNull(),
    timeoutMs: integer('timeout_ms').notNull(),
    // e.g. "200-399" or "200,204"
    expectedStatus: text('expected_status').notNull(),
    keyword: text('keyword'),
    retries: integer('retries').notNull().default(0),
    checkSsl: boolean('check_ssl').notNull().default(false),
    sslAlertDays: integer('ssl_alert_days').notNull().default(14),
    paused: boolean('paused').notNull().default(false),
    status: text('status', { enum: ['PENDING', 'UP', 'DOWN'] }).notNull().default('PENDING'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    // the scheduler claims a monitor by moving this forward (a lease while its check runs)
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }).notNull(),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('monitors_tenant_idx').on(t.tenantId), index('monitors_due_idx').on(t.nextCheckAt)],
);

export const monitorChecks = pgTable(
  'monitor_checks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    monitorId: uuid('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    ok: boolean('ok').notNull(),
    httpStatus: integer('http_status'),
    // how long the target took to answer; null when it never answered (refused, timed out, DNS)
    responseTimeMs: integer('response_time_ms'),
    // how long the attempt took, answered or not (a timeout's is the timeout)
    durationMs: integer('duration_ms'),
    error: text('error'),
    certExpiresAt: timestamp('cert_expires_at', { withTimezone: true }),
    certValid: boolean('cert_valid'),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('monitor_checks_monitor_idx').on(t.monitorId, t.id),
    index('monitor_checks_monitor_time_idx').on(t.monitorId, t.checkedAt),
    // retention takes the oldest checks of every monitor at once
    index('monitor_checks_checked_at_idx').on(t.checkedAt),
  ],
);

/**
 * One row per monitor and hour: the hour's checks summed, so a 30-day chart, uptime over weeks
 * and 90-day status bars read hundreds of rows instead of tens of thousands. Written in the
 * check's own transaction. Response-time columns cover the checks that got an answer (a
 * response time); `histogram[i]` counts them per bin of RESPONSE_TIME_BINS
 * (server/domain/monitors/histogram.ts), so a p95 over any hours can be estimated.
 */
export const monitorCheckHours = pgTable(
  'monitor_check_hours',
  {
    monitorId: uuid('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    tenantId: uuid('tenant_id').notNull(),
    checks: integer('checks').notNull(),
    okChecks: integer('ok_checks').notNull(),
    // over the checks that have a response time
    timedChecks: integer('timed_checks').notNull(),
    responseMsSum: bigint('response_ms_sum', { mode: 'number' }).notNull(),
    minMs: integer('min_ms'),
    maxMs: integer('max_ms'),
    histogram: integer('histogram').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.monitorId, t.hour] }), index('monitor_check_hours_hour_idx').on(t.hour)],
);

export const alertRules = pgTable(
  'alert_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // null: every monitor of the tenant
    monitorId: uuid('monitor_id').references(() => monitors.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['DOWN', 'SLOW', 'SSL_EXPIRY', 'STATUS_CODE'] }).notNull(),
    thresholdMs: integer('threshold_ms'),
    consecutiveChecks: integer('consecutive_checks').notNull().default(1),
    days: integer('days'),
    holdDownSeconds: integer('hold_down_seconds').notNull().default(0),
    // hysteresis: good checks in a row before the incident may resolve (null: consecutiveChecks)
    recoveryChecks: integer('recovery_checks'),
    // SLOW: a check counts as good at or under this (null: thresholdMs)
    recoveryThresholdMs: integer('recovery_threshold_ms'),
    webhookUrls: text('webhook_urls').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('alert_rules_tenant_idx').on(t.tenantId)],
);

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    // tenant-wide sequence of incidents: the connection's order
    number: bigint('number', { mode: 'number' }).notNull(),
    ruleId: uuid('rule_id').references(() => alertRules.id, { onDelete: 'set null' }),
    monitorId: uuid('monitor_id').references(() => monitors.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    status: text('status', { enum: ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: uuid('acknowledged_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolutionNote: text('resolution_note'),
    // when the condition stopped holding; resolves after the rule's hold-down
    clearingSince: timestamp('clearing_since', { withTimezone: true }),
  },
  (t) => [index('incidents_tenant_idx').on(t.tenantId, t.number), index('incidents_rule_monitor_idx').on(t.ruleId, t.monitorId)],
);

export const incidentEvents = pgTable(
  'incident_events',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['OPENED', 'ACKNOWLEDGED', 'RESOLVED', 'NOTE'] }).notNull(),
    // who made the change: a person (id and name as they were), or null for the alert rule itself
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    // NOTE: the note; RESOLVED: the resolution note
    note: text('note'),
    // NOTE: shown on the tenant's public status pages
    public: boolean('public').notNull().default(false),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.seq] }), index('incident_events_incident_idx').on(t.incidentId, t.seq)],
);

export const maintenanceWindows = pgTable('maintenance_windows', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  title: text('title'),
  monitorIds: uuid('monitor_ids').array().notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
});

export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    // null for a test delivery
    incidentId: uuid('incident_id').references(() => incidents.id, { onDelete: 'cascade' }),
    // the rule whose webhook this is (null: an ad-hoc test of a URL)
    ruleId: uuid('rule_id').references(() => alertRules.id, { onDelete: 'set null' }),
    test: boolean('test').notNull().default(false),
    url: text('url').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['PENDING', 'DELIVERED', 'FAILED'] }).notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    index('notification_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('notification_deliveries_incident_idx').on(t.incidentId),
    index('notification_deliveries_tenant_idx').on(t.tenantId, t.createdAt),
    // retention: the oldest deliveries of every tenant at once
    index('notification_deliveries_created_idx').on(t.createdAt),
  ],
);

export const notificationAttempts = pgTable('notification_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  deliveryId: uuid('delivery_id')
    .notNull()
    .references(() => notificationDeliveries.id, { onDelete: 'cascade' }),
  attempt: integer('attempt').notNull(),
  httpStatus: integer('http_status'),
  error: text('error'),
  durationMs: integer('duration_ms'),
  // the start of the receiver's answer (bounded), to see why it refused
  responseBody: text('response_body'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('notification_attempts_delivery_idx').on(t.deliveryId)]);

/** A public page of chosen monitors, served without sign-in at /status/<slug>. */
export const statusPages = pgTable(
  'status_pages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    // global: the public URL carries no tenant
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    description: text('description'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('status_pages_tenant_idx').on(t.tenantId)],
);

export const statusPageMonitors = pgTable(
  'status_page_monitors',
  {
    pageId: uuid('page_id')
      .notNull()
      .references(() => statusPages.id, { onDelete: 'cascade' }),
    monitorId: uuid('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    // the name the public sees (null: the monitor's name)
    label: text('label'),
  },
  (t) => [primaryKey({ columns: [t.pageId, t.monitorId] })],
);

export type StatusPageRow = typeof statusPages.$inferSelect;
export type MonitorCheckHourRow = typeof monitorCheckHours.$inferSelect;
export type MonitorRow = typeof monitors.$inferSelect;
export type MonitorCheckRow = typeof monitorChecks.$inferSelect;
export type AlertRuleRow = typeof alertRules.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type MaintenanceWindowRow = typeof maintenanceWindows.$inferSelect;
export type NotificationDeliveryRow = typeof notificationDeliveries.$inferSelect;
export type NotificationAttemptRow = typeof notificationAttempts.$inferSelect;

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    number: bigint('number', { mode: 'number' }).notNull(),
    subject: text('subject').notNull(),
    status: text('status', { enum: ['OPEN', 'PENDING', 'RESOLVED', 'CLOSED'] }).notNull().default('OPEN'),
    priority: text('priority', { enum: ['LOW', 'NORMAL', 'HIGH', 'URGENT'] }).notNull().default('NORMAL'),
    customerName: text('customer_name').notNull(),
    customerEmail: text('customer_email').notNull(),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tickets_tenant_idx').on(t.tenantId, t.number),
    // inbox counters and status filters read the open tickets, not a year of closed ones
    index('tickets_status_idx').on(t.tenantId, t.status, t.number),
  ],
);

/** Every stored ticket event (messages, status changes, assignments) in the tenant's ticket stream. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['CREATED', 'MESSAGE_POSTED', 'STATUS_CHANGED', 'ASSIGNED', 'PRIORITY_CHANGED'] }).notNull(),
    // MESSAGE_POSTED: the message itself
    authorKind: text('author_kind', { enum: ['AGENT', 'CUSTOMER'] }),
    authorId: uuid('author_id'),
    authorName: text('author_name'),
    body: text('body'),
    internal: boolean('internal').notNull().default(false),
    // STATUS_CHANGED / ASSIGNED / PRIORITY_CHANGED
    data: jsonb('data'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.seq] }), index('ticket_events_ticket_idx').on(t.ticketId, t.seq)],
);

/** How far each agent has read each ticket: unread counts are messages after this cursor. */
export const ticketReads = pgTable(
  'ticket_reads',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull(),
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] })],
);

/** Saved answers an agent inserts with a shortcut, shared by the workspace. */
export const cannedReplies = pgTable(
  'canned_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    shortcut: text('shortcut').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('canned_replies_shortcut_idx').on(t.tenantId, t.shortcut)],
);

export type CannedReplyRow = typeof cannedReplies.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;
export type TicketEventRow = typeof ticketEvents.$inferSelect;
