import { and, asc, desc, eq, gt, gte, ilike, inArray, like, lt, lte, max, sql, type SQL } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { afterCommitPublishFailed } from '../../bus/index.js';
import { topics, type LogEntry } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { escapeLike } from '../../db/escape-like.js';
import { prepareStatement } from '../../db/prepared.js';
import { logChannels, logEntries, logHeads, tenants } from '../../db/schema.js';
import { matchesPattern, parseChannel } from './channels.js';
import { DomainError, badInput } from '../shared/errors.js';
import { toCursor } from '../shared/cursor.js';
import type { PublishBudgets } from '../shared/rate-limit.js';
import { levelNumber, type LogLevel } from './levels.js';

export interface LogEntryInput {
  level: LogLevel;
  message: string;
  timestamp?: Date | null;
  fields?: unknown;
}

export interface LogLimits {
  /** @default 1000 */
  maxBatch?: number;
  /** @default 16384 */
  maxMessageBytes?: number;
  /** @default 16384 */
  maxFieldsBytes?: number;
  /** Nesting of objects and arrays in `fields` (`{"a": 1}` is 1). @default 32 */
  maxFieldsDepth?: number;
  /** Characters of an idempotency key. @default 200 */
  maxIdempotencyKeyLength?: number;
  /** Entries of queued publish calls committed together (a call is never split). @default 2000 */
  maxCommitEntries?: number;
  /**
   * Group commits of one tenant in flight at once. PGlite runs one statement at a time, so 1;
   * on PostgreSQL the next commit's round trip overlaps the one before (they still commit in
   * order: each takes the tenant's head row lock first). @default 1
   */
  maxCommitsInFlight?: number;
  /** Bus publishes not yet settled; past it a commit's publish is dropped (feeds fill the gap from the store). @default 1000 */
  maxPublishesInFlight?: number;
}

export interface PublishOptions {
  /** Who publishes (`principalKey`): the budget charged and the scope of idempotency keys. */
  caller?: string;
  /** A retry with the same key (same tenant and caller, within a day) stores nothing and answers the first call's cursors. */
  idempotencyKey?: string | null;
}

/**
 * The timestamps an entry may carry: what both a JavaScript Date and PostgreSQL's timestamptz
 * hold and print as a four-digit year (year 0 and negative years are not valid timestamptz
 * input as JavaScript prints them), from the Unix epoch on — a log line from before 1970 is a
 * bug in its clock, not history.
 */
export const MIN_TIMESTAMP = Date.UTC(1970, 0, 1);
export const MAX_TIMESTAMP = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

interface QueuedPublish {
  channel: string;
  entries: LogEntryInput[];
  receivedAt: string;
  caller: string;
  key?: string;
  resolve: (stored: LogEntry[]) => void;
  reject: (error: unknown) => void;
}
export interface HistoryArgs {
  channel: string;
  before?: number;
  last: number;
  /** forward instead: the `first` entries after this cursor */
  after?: number;
  first?: number;
  minLevel?: LogLevel;
  search?: string;
}

export type Logs = ReturnType<typeof createLogs>;

/** Channel pattern -> SQL condition on log rows. */
function channelCondition(pattern: string): SQL {
  if (!pattern.endsWith('*')) return eq(logEntries.channel, pattern);
  const prefix = pattern.slice(0, -1);
  return prefix ? like(logEntries.channel, `${escapeLike(prefix)}%`) : sql`true`;
}


/**
 * Whether PostgreSQL's jsonb can hold `value`: it refuses NUL and unpaired surrogates in any
 * string, key or value. Checked per call, so one bad call never fails a group commit.
 */
function storableJson(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('\0') && !/\p{Surrogate}/u.test(value);
  if (Array.isArray(value)) return value.every(storableJson);
  if (value && typeof value === 'object') return Object.entries(value).every(([key, v]) => storableJson(key) && storableJson(v));
  return true;
}

/**
 * Whether `value` nests objects and arrays deeper than `limit`, found without recursion: a
 * body of 6,000 nested objects must answer BAD_USER_INPUT, not overflow a stack (here, in
 * JSON.stringify or in the store's jsonb parser).
 */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Log channels: publish (store first, then the bus), history, replay, retention. */
export function createLogs({
  db,
  bus,
  limits = {},
  budgets,
  onPublishDropped,
}: {
  db: Database;
  bus: Bus;
  limits?: LogLimits;
  /** Charged per call after validation, before the call joins a commit: a refused call stores nothing. */
  budgets?: PublishBudgets;
  /** Told when a commit's bus publish is dropped because too many are in flight (metrics). */
  onPublishDropped?: () => void;
}) {
  const {
    maxBatch = 1000,
    maxMessageBytes = 16_384,
    maxFieldsBytes = 16_384,
    maxFieldsDepth = 32,
    maxIdempotencyKeyLength = 200,
    maxCommitEntries = 2000,
    maxPublishesInFlight = 1000,
    maxCommitsInFlight = 1,
  } = limits;

  /**
   * Everything a store could refuse is refused here, per call and before the call joins a
   * group commit: a bad call answers BAD_USER_INPUT naming its field and fails no one else's.
   * Returns the bytes the call costs (messages and fields), which its budget is charged.
   */
  function validate(entries: LogEntryInput[]): number {
    if (entries.length === 0) throw badInput('entries must not be empty', 'entries');
    if (entries.length > maxBatch) throw badInput(`At most ${maxBatch} entries per publishLogs call, got ${entries.length}`, 'entries');
    let bytes = 0;
    entries.forEach((entry, i) => {
      const messageBytes = Buffer.byteLength(entry.message);
      if (messageBytes > maxMessageBytes) {
        throw badInput(`entries[${i}].message is longer than ${maxMessageBytes} bytes`, `entries.${i}.message`);
      }
      bytes += messageBytes;
      // PostgreSQL text cannot hold NUL; refused here rather than failing the whole commit
      if (entry.message.includes('\0')) throw badInput(`entries[${i}].message must not contain NUL (U+0000)`, `entries.${i}.message`);
      if (entry.timestamp != null) {
        const time = entry.timestamp.getTime();
        if (!(time >= MIN_TIMESTAMP && time <= MAX_TIMESTAMP)) {
          throw badInput(`entries[${i}].timestamp must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z`, `entries.${i}.timestamp`);
        }
      }
      if (entry.fields != null) {
        if (typeof entry.fields !== 'object' || Array.isArray(entry.fields)) {
          throw badInput(`entries[${i}].fields must be a JSON object`, `entries.${i}.fields`);
        }
        // depth before size: serializing a deeply nested value is what would overflow
        if (nestedDeeperThan(entry.fields, maxFieldsDepth)) {
          throw badInput(`entries[${i}].fields nests deeper than ${maxFieldsDepth} levels`, `entries.${i}.fields`);
        }
        const fieldsBytes = Buffer.byteLength(JSON.stringify(entry.fields));
        if (fieldsBytes > maxFieldsBytes) {
          throw badInput(`entries[${i}].fields is larger than ${maxFieldsBytes} bytes`, `entries.${i}.fields`);
        }
        bytes += fieldsBytes;
        if (!storableJson(entry.fields)) {
          throw badInput(`entries[${i}].fields must not contain NUL (U+0000) or unpaired surrogates`, `entries.${i}.fields`);
        }
      }
    });
    return bytes;
  }

  /** Per tenant, the publish calls waiting for a commit, and the commit loops running (present while one is). */
  const queues = new Map<string, { calls: QueuedPublish[]; running: number }>();

  /**
   * Group commit: one statement for every call queued behind the previous commit, up to
   * `maxCommitEntries`, and each call gets its own entries back once they are stored. Under
   * load this turns N publishes into one commit. The bus publish follows the commit without
   * the callers waiting for it.
   */
  async function commitQueued(tenantId: string, queue: { calls: QueuedPublish[]; running: number }) {
    queue.running++;
    // One turn of the event loop first, so the publish requests read in the same I/O phase
    // join this commit. Without it, on the in-process bus a commit starts, commits and fans
    // out before the next request is even parsed: measured, every commit held one call, and
    // 1,000 subscribers cost 39 CPU ms per 1,000 deliveries instead of 23.
    await new Promise((resolve) => setImmediate(resolve));
    while (queue.calls.length > 0) await commitCalls(tenantId, takeCommit(queue.calls));
    if (--queue.running === 0 && queue.calls.length === 0) queues.delete(tenantId);
  }

  /**
   * Commits `calls` together; if the commit fails, commits them one by one, so a call the store
   * refuses for a reason validation missed fails alone and every other call is stored.
   *
   * Idempotency costs nothing until a key repeats: the commit records every key, and a key
   * stored before (a retry, here or on another instance) fails the statement on
   * `publish_keys`' primary key, storing nothing. Only then are the keys looked up: the
   * repeated calls answer what their first call stored, and the rest commit again.
   */
  async function commitCalls(tenantId: string, calls: QueuedPublish[], keysChecked = false): Promise<void> {
    const pending = keysChecked ? calls : firstOfEachKey(calls);
    try {
      const { stored, channelPrevSeq } = await commit(tenantId, pending);
      publishAfterCommit(tenantId, stored.flat(), channelPrevSeq);
      pending.forEach((call, i) => call.resolve(stored[i]!));
      return;
    } catch (error) {
      if (!keysChecked && pending.some((call) => call.key !== undefined)) {
        const rest = await answerKnownKeys(tenantId, pending).catch(() => pending);
        if (rest.length < pending.length) return rest.length ? commitCalls(tenantId, rest, true) : undefined;
      }
      if (pending.length === 1) return pending[0]!.reject(error);
    }
    for (const call of pending) await commitCalls(tenantId, [call]);
  }

  /**
   * A key sent twice within one commit (a retry that overtook its first try's answer): the
   * second call waits for the first one's answer instead of being committed.
   */
  function firstOfEachKey(calls: QueuedPublish[]): QueuedPublish[] {
    if (!calls.some((call) => call.key !== undefined)) return calls;
    const leaders = new Map<string, QueuedPublish>();
    const pending: QueuedPublish[] = [];
    for (const call of calls) {
      const id = call.key === undefined ? undefined : JSON.stringify([call.caller, call.key]);
      const leader = id === undefined ? undefined : leaders.get(id);
      if (!leader) {
        if (id !== undefined) leaders.set(id, call);
        pending.push(call);
        continue;
      }
      const { resolve, reject } = leader;
      leader.resolve = (stored) => (resolve(stored), call.resolve(stored));
      leader.reject = (error) => (reject(error), call.reject(error));
    }
    return pending;
  }

  /** Answers the calls whose key is already stored with the first call's entries; returns the others. */
  async function answerKnownKeys(tenantId: string, calls: QueuedPublish[]): Promise<QueuedPublish[]> {
    const wanted = JSON.stringify(calls.filter((call) => call.key !== undefined).map((call) => ({ c: call.caller, k: call.key })));
    const found = (await db.execute(sql`
      select p.caller, p.key, p.first_seq, p.count from publish_keys p
      join jsonb_to_recordset(${wanted}::jsonb) as w(c text, k text) on p.caller = w.c and p.key = w.k
      where p.tenant_id = ${tenantId}::uuid`)) as unknown as { rows: { caller: string; key: string; first_seq: string | number; count: number }[] };
    if (found.rows.length === 0) return calls;
    const known = new Map(found.rows.map((row) => [JSON.stringify([row.caller, row.key]), row]));
    const rest: QueuedPublish[] = [];
    for (const call of calls) {
      const row = call.key === undefined ? undefined : known.get(JSON.stringify([call.caller, call.key]));
      if (!row) rest.push(call);
      else call.resolve(await storedRange(tenantId, Number(row.first_seq), row.count, call.channel));
    }
    return rest;
  }

  /** A replayed call's entries, reread (retention may have removed some: those keep their cursor only). */
  async function storedRange(tenantId: string, firstSeq: number, count: number, channel: string): Promise<LogEntry[]> {
    const rows = await db
      .select()
      .from(logEntries)
      .where(and(eq(logEntries.tenantId, tenantId), gte(logEntries.seq, firstSeq), lt(logEntries.seq, firstSeq + count)))
      .orderBy(asc(logEntries.seq));
    const bySeq = new Map(rows.map((row) => [row.seq, toEntry(row)]));
    return Array.from({ length: count }, (_, i) => {
      const seq = firstSeq + i;
      return bySeq.get(seq) ?? { seq, channel, level: 0, message: '', fields: null, timestamp: new Date(0).toISOString(), receivedAt: new Date(0).toISOString() };
    });
  }

  let publishesInFlight = 0;

  /**
   * Advances the tenant's head, inserts the entries numbered up to it, moves each channel's
   * head and records the calls' idempotency keys ($4, `[]` when none: a data-modifying CTE runs
   * whether or not the final select reads it). Planned once (db/prepared.ts).
   */
  const commitStatement = prepareStatement<{ last_seq: string | number; channel: string; prev_seq: string | number }>(
    db,
    'commit_log_entries',
    ['uuid', 'bigint', 'jsonb', 'jsonb'],
    `with head as (
        insert into log_heads (tenant_id, last_seq) values ($1::uuid, $2::bigint)
        on conflict (tenant_id) do update set last_seq = log_heads.last_seq + excluded.last_seq
        returning last_seq
      ), inserted as (
        insert into log_entries (tenant_id, seq, channel, level, message, fields, timestamp, received_at)
        select $1::uuid, head.last_seq - $2::bigint + e.k, e.c, e.l, e.m, e.f, e.t, e.r
        from head, jsonb_to_recordset($3::jsonb) as e(k bigint, c text, l smallint, m text, f jsonb, t timestamptz, r timestamptz)
        returning seq, channel, received_at
      ), channels as (
        insert into log_channels (tenant_id, channel, last_seq, prev_seq, last_entry_at, entry_count)
        select $1::uuid, channel, max(seq), 0, max(received_at), count(*) from inserted group by channel
        on conflict (tenant_id, channel) do update
          set prev_seq = log_channels.last_seq, last_seq = excluded.last_seq, last_entry_at = excluded.last_entry_at,
            entry_count = log_channels.entry_count + excluded.entry_count
        returning channel, prev_seq
      ), keyed as (
        insert into publish_keys (tenant_id, caller, key, first_seq, count)
        select $1::uuid, x.c, x.k, head.last_seq - $2::bigint + x.f, x.n
        from head, jsonb_to_recordset($4::jsonb) as x(c text, k text, f bigint, n integer)
      )
      select head.last_seq, channels.channel, channels.prev_seq from head, channels`,
  );

  /**
   * The commit on the tenant topic (wildcard subscribers) and each channel's part on that
   * channel's topic (exact subscribers): an instance receives only what its subscribers watch.
   * Not awaited: the callers' entries are stored, and a bus that is slow or down must not hold
   * their answers (it held each call ~3.5 s while Redis was down). At most
   * `maxPublishesInFlight` wait on the bus; past that a message is dropped — the bus is
   * at-most-once anyway, and a feed that sees a gap in the cursors, or a bus that reconnects,
   * fills it from the store.
   */
  function publishAfterCommit(tenantId: string, all: LogEntry[], channelPrevSeq: Map<string, number>) {
    const byChannel = new Map<string, LogEntry[]>();
    for (const entry of all) {
      const group = byChannel.get(entry.channel);
      if (group) group.push(entry);
      else byChannel.set(entry.channel, [entry]);
    }
    const send = <P>(publish: () => Promise<P>) => {
      if (publishesInFlight >= maxPublishesInFlight) return onPublishDropped?.();
      publishesInFlight++;
      void publish()
        .catch(afterCommitPublishFailed)
        .finally(() => publishesInFlight--);
    };
    send(() => bus.publish(tenantId, topics.logs(), { prevSeq: all[0]!.seq - 1, lastSeq: all[all.length - 1]!.seq, entries: all }));
    for (const [channel, entries] of byChannel) {
      const prevSeq = channelPrevSeq.get(channel) ?? 0;
      send(() => bus.publish(tenantId, topics.logChannel(channel), { prevSeq, lastSeq: entries[entries.length - 1]!.seq, entries }));
    }
  }

  /** The calls at the head of the queue, up to `maxCommitEntries` entries (at least one call). */
  function takeCommit(queue: QueuedPublish[]): QueuedPublish[] {
    let size = queue[0]!.entries.length;
    let take = 1;
    while (take < queue.length && size + queue[take]!.entries.length <= maxCommitEntries) size += queue[take++]!.entries.length;
    return queue.splice(0, take);
  }

  /**
   * One statement: advance the tenant's head, insert the entries numbered up to it, move each
   * channel's head and record the calls' idempotency keys. A single statement is atomic without
   * BEGIN/COMMIT and is one round trip instead of five (profiled: statements, not rows, are
   * what an embedded store pays for). The head row's lock, held to the end of the statement,
   * keeps cursor order equal to commit order within the tenant, across instances. A key another
   * instance stored meanwhile fails the statement (primary key): the calls are then committed
   * apart, and that one finds its key.
   */
  async function commit(tenantId: string, calls: QueuedPublish[]): Promise<{ stored: LogEntry[][]; channelPrevSeq: Map<string, number> }> {
    const n = calls.reduce((sum, call) => sum + call.entries.length, 0);
    // numbered 1..n within the commit here, rebased on the head the statement returns
    let k = 0;
    const keys: { c: string; k: string; f: number; n: number }[] = [];
    const stored = calls.map(({ channel, entries, receivedAt, caller, key }) => {
      if (key !== undefined) keys.push({ c: caller, k: key, f: k + 1, n: entries.length });
      return entries.map((entry): LogEntry => ({
        seq: ++k,
        channel,
        level: levelNumber(entry.level),
        message: entry.message,
        fields: entry.fields ?? null,
        timestamp: entry.timestamp ? entry.timestamp.toISOString() : receivedAt,
        receivedAt,
      }));
    });
    // one parameter however long the batch; lone surrogates stored as U+FFFD, as a text parameter would be
    const all = stored.flat();
    const rows = JSON.stringify(
      all.map((e) => ({ k: e.seq, c: e.channel, l: e.level, m: e.message.replace(/\p{Surrogate}/gu, '\uFFFD'), f: e.fields ?? undefined, t: e.timestamp, r: e.receivedAt })),
    );
    const channels = await commitStatement([tenantId, n, rows, JSON.stringify(keys)]);
    // one row per channel of the commit; the set clause read the channel row under its lock,
    // so prev_seq is the channel's cursor before this commit even across instances
    const base = Number(channels[0]!.last_seq) - n;
    for (const entry of all) entry.seq += base;
    return { stored, channelPrevSeq: new Map(channels.map((row) => [row.channel, Number(row.prev_seq)])) };
  }

  return {
    /**
     * Stores a batch, answers once it is committed, then publishes it with its cursors. Calls
     * for one tenant that arrive while its previous commit is in flight are committed together
     * (see `commitQueued`). Validation, the key's length and the budgets come first: a refused
     * call joins no commit and stores nothing.
     */
    async publish(tenantId: string, channelInput: string, entries: LogEntryInput[], { caller = 'internal', idempotencyKey }: PublishOptions = {}): Promise<LogEntry[]> {
      const channel = parseChannel(channelInput);
      const bytes = validate(entries);
      const key = idempotencyKey ?? undefined;
      if (key !== undefined && (key.length === 0 || key.length > maxIdempotencyKeyLength)) {
        throw badInput(`idempotencyKey must be 1 to ${maxIdempotencyKeyLength} characters`, 'idempotencyKey');
      }
      if (key !== undefined && !storableJson(key)) throw badInput('idempotencyKey must not contain NUL (U+0000) or unpaired surrogates', 'idempotencyKey');
      budgets?.take(tenantId, caller, entries.length, bytes);
      const receivedAt = new Date().toISOString();
      return new Promise<LogEntry[]>((resolve, reject) => {
        const call: QueuedPublish = { channel, entries, receivedAt, caller, key, resolve, reject };
        let queue = queues.get(tenantId);
        if (!queue) queues.set(tenantId, (queue = { calls: [], running: 0 }));
        queue.calls.push(call);
        if (queue.running < maxCommitsInFlight) void commitQueued(tenantId, queue);
      });
    },

    /** Stored entries matching `channel`, newest last, for scrolling back. */
    async history(tenantId: string, { channel, before, last, after, first, minLevel, search }: HistoryArgs) {
      if (last < 1 || last > 1000) throw badInput('last must be between 1 and 1000', 'last');
      const conditions = [eq(logEntries.tenantId, tenantId), channelCondition(channel)];
      if (minLevel) conditions.push(gte(logEntries.level, levelNumber(minLevel)));
      if (search) conditions.push(ilike(logEntries.message, `%${escapeLike(search)}%`));
      if (after !== undefined) {
        const limit = first ?? last;
        if (limit < 1 || limit > 1000) throw badInput('first must be between 1 and 1000', 'first');
        const rows = await db
          .select()
          .from(logEntries)
          .where(and(...conditions, gt(logEntries.seq, after)))
          .orderBy(asc(logEntries.seq))
          .limit(limit + 1);
        return { entries: rows.slice(0, limit).map(toEntry), hasPreviousPage: true, hasNextPage: rows.length > limit };
      }
      if (before !== undefined) conditions.push(lt(logEntries.seq, before));
      const rows = await db
        .select()
        .from(logEntries)
        .where(and(...conditions))
        .orderBy(desc(logEntries.seq))
        .limit(last + 1);
      const hasPreviousPage = rows.length > last;
      const page = rows.slice(0, last).reverse().map(toEntry);
      return { entries: page, hasPreviousPage, hasNextPage: before !== undefined };
    },

    /**
     * Entries matching `pattern` (and `minLevel`, filtered by the store, not in memory) with
     * after < seq <= through, in cursor order, a page at a time.
     */
    async *replay(tenantId: string, pattern: string, after: number, through: number, { minLevel = 0, pageSize = 500 } = {}): AsyncGenerator<LogEntry[]> {
      let from = after;
      while (from < through) {
        const conditions = [eq(logEntries.tenantId, tenantId), channelCondition(pattern), gt(logEntries.seq, from), lte(logEntries.seq, through)];
        if (minLevel > 0) conditions.push(gte(logEntries.level, minLevel));
        const rows = await db
          .select()
          .from(logEntries)
          .where(and(...conditions))
          .orderBy(asc(logEntries.seq))
          .limit(pageSize);
        if (rows.length === 0) return;
        yield rows.map(toEntry);
        from = rows[rows.length - 1]!.seq;
        if (rows.length < pageSize) return;
      }
    },

    /** Every entry of the tenant with after < seq <= through, at most `limit` (feeds filling a gap). */
    async range(tenantId: string, after: number, through: number, limit = 1_000): Promise<LogEntry[]> {
      const rows = await db
        .select()
        .from(logEntries)
        .where(and(eq(logEntries.tenantId, tenantId), gt(logEntries.seq, after), lte(logEntries.seq, through)))
        .orderBy(asc(logEntries.seq))
        .limit(limit);
      return rows.map(toEntry);
    },

    /** One channel's entries with after < seq <= through, at most `limit` (a channel feed filling a gap). */
    async channelRange(tenantId: string, channel: string, after: number, through: number, limit = 1_000): Promise<LogEntry[]> {
      const rows = await db
        .select()
        .from(logEntries)
        .where(and(eq(logEntries.tenantId, tenantId), eq(logEntries.channel, channel), gt(logEntries.seq, after), lte(logEntries.seq, through)))
        .orderBy(asc(logEntries.seq))
        .limit(limit);
      return rows.map(toEntry);
    },

    /** The last cursor of each channel named (0: nothing published there yet). */
    async channelHeads(tenantId: string, channels: string[]): Promise<Map<string, number>> {
      const heads = new Map(channels.map((channel) => [channel, 0]));
      if (channels.length === 0) return heads;
      const rows = await db
        .select({ channel: logChannels.channel, lastSeq: logChannels.lastSeq })
        .from(logChannels)
        .where(and(eq(logChannels.tenantId, tenantId), inArray(logChannels.channel, channels)));
      for (const row of rows) heads.set(row.channel, Number(row.lastSeq));
      return heads;
    },

    async head(tenantId: string): Promise<number> {
      const [row] = await db.select({ lastSeq: logHeads.lastSeq }).from(logHeads).where(eq(logHeads.tenantId, tenantId));
      return row?.lastSeq ?? 0;
    },

    /**
     * Refuses to resume from a cursor retention has passed (CURSOR_EXPIRED, with the cursor
     * to resume from instead) or from one this tenant never handed out.
     */
    async checkResume(tenantId: string, pattern: string, after: number, head: number): Promise<void> {
      if (after > head) throw badInput(`Cursor ${after} is ahead of this tenant's log (latest is ${head})`, 'after');
      const conditions = [eq(logChannels.tenantId, tenantId)];
      if (!pattern.endsWith('*')) conditions.push(eq(logChannels.channel, pattern));
      else if (pattern.length > 1) conditions.push(like(logChannels.channel, `${escapeLike(pattern.slice(0, -1))}%`));
      const [row] = await db
        .select({ prunedThrough: max(logChannels.prunedThrough) })
        .from(logChannels)
        .where(and(...conditions));
      const prunedThrough = Number(row?.prunedThrough ?? 0);
      if (after < prunedThrough) {
        throw new DomainError('CURSOR_EXPIRED', `Entries after cursor ${after} are no longer stored: resume after ${prunedThrough}`, {
          // the value to pass as `after` (every entry still stored comes after it), as SLOW_CONSUMER's
          resumeAfter: toCursor(prunedThrough),
          // deprecated: the same value as resumeAfter, under its first (misleading) name
          oldestCursor: toCursor(prunedThrough),
        });
      }
    },

    async channels(tenantId: string) {
      return db
        .select()
        .from(logChannels)
        .where(eq(logChannels.tenantId, tenantId))
        .orderBy(desc(logChannels.lastEntryAt))
        .limit(500);
    },

    async setRetention(tenantId: string, count: number, hours: number) {
      if (!Number.isInteger(count) || count < 1 || count > 10_000_000) throw badInput('maxEntriesPerChannel must be between 1 and 10000000', 'maxEntriesPerChannel');
      if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 366) throw badInput('maxAgeHours must be between 1 and 8784', 'maxAgeHours');
      const [row] = await db
        .update(tenants)
        .set({ logRetentionCount: count, logRetentionHours: hours })
        .where(eq(tenants.id, tenantId))
        .returning({ maxEntriesPerChannel: tenants.logRetentionCount, maxAgeHours: tenants.logRetentionHours });
      return row!;
    },

    async retention(tenantId: string) {
      const [row] = await db
        .select({ maxEntriesPerChannel: tenants.logRetentionCount, maxAgeHours: tenants.logRetentionHours })
        .from(tenants)
        .where(eq(tenants.id, tenantId));
      return row!;
    },

    matches: matchesPattern,
  };
}

function toEntry(row: typeof logEntries.$inferSelect): LogEntry {
  return {
    seq: row.seq,
    channel: row.channel,
    level: row.level,
    message: row.message,
    fields: row.fields,
    timestamp: new Date(row.timestamp).toISOString(),
    receivedAt: new Date(row.receivedAt).toISOString(),
  };
}
