/**
 * Every bus topic, with its payload type. Nothing else spells a topic string.
 *
 * Topics here are tenant-relative: the bus prefixes each with the tenant it is
 * published or subscribed in, so no topic can cross tenants by construction.
 * A topic ending in `*` is a pattern matching every topic with that prefix.
 */
declare const payloadType: unique symbol;
export type Topic<P> = string & { readonly [payloadType]?: P };

export interface TokenRevoked {
  tokenId: string;
}

/**
 * A person's access changed: every instance drops what it cached about them and ends the
 * open streams the change reaches (see `server/domain/auth/access-change.ts`).
 */
export interface AccessChanged {
  userId: string;
  reason: 'REMOVED' | 'ROLE_LOWERED' | 'ROLE_RAISED' | 'PASSWORD_CHANGED' | 'PASSWORD_RESET' | 'SIGNED_OUT' | 'SIGNED_OUT_EVERYWHERE' | 'SESSION_REUSED';
  /** SIGNED_OUT / SESSION_REUSED: the session that ended; PASSWORD_CHANGED: the one kept */
  sessionId?: string;
}

/**
 * A committed publishLogs batch, on the tenant topic (all of it) and on each of its channels'
 * topics (that channel's part). `prevSeq` is the cursor before `entries[0]` within the topic's
 * scope (the tenant, or the channel), so a subscriber sees its scope's cursors contiguously
 * and can tell a gap — a message Redis dropped, or two publishers' messages crossing — from a
 * quiet channel.
 */
export interface LogBatch {
  prevSeq: number;
  lastSeq: number;
  entries: LogEntry[];
}

export interface LogEntry {
  seq: number;
  channel: string;
  level: number;
  message: string;
  fields: unknown;
  timestamp: string;
  receivedAt: string;
}

export interface ServiceChanged {
  key: string;
  version: number;
  /** null when the service was deleted */
  service: ServiceSnapshot | null;
}

export interface ServiceSnapshot {
  key: string;
  name: string;
  state: string;
  /** The last state the service reported itself (what `state` was before STALE). */
  reportedState?: string;
  stale: boolean;
  /** When it turned STALE (null while reporting). */
  staleSince?: string | null;
  queueSize: number | null;
  processedCount: number | null;
  failedCount: number | null;
  intervalSeconds: number;
  message: string | null;
  details: unknown;
  version: number;
  lastReportAt: string;
  createdAt: string;
}

export interface MonitorCheckEvent {
  id: number;
  monitorId: string;
  ok: boolean;
  httpStatus: number | null;
  responseTimeMs: number | null;
  durationMs: number | null;
  error: string | null;
  certExpiresAt: string | null;
  certValid: boolean | null;
  checkedAt: string;
}

/** A committed incident transition or note; `seq` is its cursor in the tenant's incident stream. */
export interface IncidentEvent {
  seq: number;
  kind: 'OPENED' | 'ACKNOWLEDGED' | 'RESOLVED' | 'NOTE';
  incidentId: string;
  at: string;
  /** The person who made it; null: the alert rule (opened or cleared by checks). */
  actorId?: string | null;
  actorName?: string | null;
  note?: string | null;
  public?: boolean;
}

/** A stored ticket event; `seq` is its cursor in the tenant's ticket stream. */
export interface TicketEvent {
  seq: number;
  ticketId: string;
  kind: 'CREATED' | 'MESSAGE_POSTED' | 'STATUS_CHANGED' | 'ASSIGNED' | 'PRIORITY_CHANGED';
  authorKind: 'AGENT' | 'CUSTOMER' | null;
  authorId: string | null;
  authorName: string | null;
  body: string | null;
  internal: boolean;
  data: unknown;
  at: string;
}

/** Never stored: who is typing on, or looking at, a ticket right now. */
export interface TicketPresence {
  ticketId: string;
  kind: 'TYPING' | 'VIEWING';
  who: { id: string; name: string; kind: 'AGENT' | 'CUSTOMER' };
  expiresAt: number;
}

export const topics = {
  /** A service token was revoked: every instance ends that token's open streams. */
  tokenRevoked: () => 'token-revoked' as Topic<TokenRevoked>,
  /** A person was removed, changed role or password, or signed out: caches drop them, streams end. */
  accessChanged: () => 'access-changed' as Topic<AccessChanged>,
  /**
   * Every committed log batch of the tenant, whatever its channel (`prevSeq`: the tenant's
   * cursor before it). Only instances with a wildcard (`etl:*`) subscriber listen here.
   */
  logs: () => 'logs' as Topic<LogBatch>,
  /**
   * One channel's entries of each committed batch (`prevSeq`: that channel's cursor before
   * them), so an instance receives only the channels its subscribers watch.
   */
  logChannel: (channel: string) => `log:${channel}` as Topic<LogBatch>,
  /** Every completed monitor check of the tenant. */
  monitorChecks: () => 'monitor-checks' as Topic<MonitorCheckEvent>,
  /** Incident transitions, in the tenant's durable incident stream. */
  incidents: () => 'incidents' as Topic<IncidentEvent>,
  /** Stored ticket events of the tenant, in its durable ticket stream. */
  tickets: () => 'tickets' as Topic<TicketEvent>,
  /** Typing and viewing pings; they expire and are never stored. */
  ticketPresence: () => 'ticket-presence' as Topic<TicketPresence>,
  /** A service was reported, went stale, or was deleted. */
  serviceChanged: () => 'service-status' as Topic<ServiceChanged>,
};

/** The payload type a topic carries. */
export type PayloadOf<T> = T extends Topic<infer P> ? P : never;
