import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgSequence, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

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
  },
  (t) => [index('service_tokens_tenant_idx').on(t.tenantId)],
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

export const logChannels = pgTable(
  'log_channels',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    // the highest cursor retention has deleted: resuming from below it would leave a gap
    prunedThrough: bigint('pruned_through', { mode: 'number' }).notNull().default(0),
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
  (t) => [primaryKey({ columns: [t.tenantId, t.seq] }), index('log_entries_channel_idx').on(t.tenantId, t.channel, t.seq)],
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

export type ServiceRow = typeof services.$inferSelect;
export type ServiceHistoryRow = typeof serviceHistory.$inferSelect;
export type LogEntryRow = typeof logEntries.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ServiceTokenRow = typeof serviceTokens.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;
