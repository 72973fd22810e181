import type { LogEntry as LogEntryShape } from '../bus/topics.js';
import { parseChannelPattern, patternCovers } from '../domain/logs/channels.js';
import { DomainError } from '../domain/shared/errors.js';
import { parseCursor, toCursor } from '../domain/shared/cursor.js';
import { eventCursor } from '../streams/resume.js';
import { LOG_LEVELS, levelName, levelNumber } from '../domain/logs/levels.js';
import { resumeCursor } from '../streams/resume.js';
import { principalKey } from '../domain/auth/viewer.js';
import { EVENT_ID, SHARED_EXECUTION } from '../plugins/use-shared-execution.js';
import { builder } from './builder.js';
import { connection } from './pagination.js';

const LEVEL_MEANINGS: Record<(typeof LOG_LEVELS)[number], string> = {
  TRACE: 'Step-by-step detail, for following one run closely',
  DEBUG: 'Detail for whoever is diagnosing a problem',
  INFO: 'Normal progress: started, finished, counts',
  WARN: 'Something unexpected that the service worked around',
  ERROR: 'Something failed; the service carries on',
  FATAL: 'The service cannot carry on',
};

const LogLevel = builder.enumType('LogLevel', {
  description: 'How serious a log entry is, from TRACE (least) to FATAL (most); `minLevel` filters keep this level and above',
  values: Object.fromEntries(LOG_LEVELS.map((level) => [level, { description: LEVEL_MEANINGS[level] }])) as Record<(typeof LOG_LEVELS)[number], { description: string }>,
});

const LogEntry = builder.objectRef<LogEntryShape>('LogEntry').implement({
  description: 'One line a service logged on a channel, stored and numbered in its tenant’s log',
  fields: (t) => ({
    cursor: t.string({
      description: 'Position in the tenant log: pass it as `after` to resume, or `before` to page back',
      resolve: (e) => toCursor(e.seq),
    }),
    channel: t.exposeString('channel', { description: 'The channel it was published to, e.g. "etl:workflow456"' }),
    level: t.field({ type: LogLevel, description: 'How serious it is', resolve: (e) => levelName(e.level) }),
    message: t.exposeString('message', { description: 'The text of the entry' }),
    timestamp: t.field({ type: 'DateTime', description: 'When the service says it happened', resolve: (e) => e.timestamp }),
    receivedAt: t.field({ type: 'DateTime', description: 'When the server stored it', resolve: (e) => e.receivedAt }),
    fields: t.field({ type: 'JSON', nullable: true, description: 'Structured context the service attached (a JSON object), if any', resolve: (e) => e.fields }),
  }),
});

const LogEntryConnection = connection('LogEntry', LogEntry, (e) => toCursor(e.seq), 'log entries');

const PublishLogsPayload = builder.objectRef<{ entries: LogEntryShape[] }>('PublishLogsPayload').implement({
  description: 'What a publishLogs call stored',
  fields: (t) => ({
    cursors: t.stringList({ description: 'The cursor assigned to each entry, in order', resolve: (p) => p.entries.map((e) => toCursor(e.seq)) }),
    count: t.int({ description: 'How many entries were stored', resolve: (p) => p.entries.length }),
  }),
});

const LogChannel = builder
  .objectRef<{ channel: string; lastSeq: number; lastEntryAt: Date }>('LogChannel')
  .implement({
    description: 'A log channel that has entries',
    fields: (t) => ({
      name: t.string({ description: 'The channel, e.g. "etl:workflow456"', resolve: (c) => c.channel }),
      lastCursor: t.string({ description: 'The cursor of its newest entry', resolve: (c) => toCursor(c.lastSeq) }),
      lastEntryAt: t.expose('lastEntryAt', { type: 'DateTime', description: 'When its newest entry was stored' }),
    }),
  });

const LogRetention = builder.objectRef<{ maxEntriesPerChannel: number; maxAgeHours: number }>('LogRetention').implement({
  description: 'How long your tenant’s log entries are kept: whichever limit is reached first removes the oldest',
  fields: (t) => ({
    maxEntriesPerChannel: t.exposeInt('maxEntriesPerChannel', { description: 'Entries kept per channel (default 10,000)' }),
    maxAgeHours: t.exposeInt('maxAgeHours', { description: 'Hours an entry is kept (default 168, a week)' }),
  }),
});

const LogEntryInput = builder.inputType('LogEntryInput', {
  description: 'One entry to publish',
  fields: (t) => ({
    level: t.field({ type: LogLevel, required: true, description: 'How serious it is' }),
    message: t.string({ required: true, description: 'The text (at most LOG_MAX_MESSAGE_BYTES bytes, 16 KiB by default)' }),
    timestamp: t.field({ type: 'DateTime', description: 'Defaults to when the server received it' }),
    fields: t.field({ type: 'JSON', description: 'Structured context (a JSON object)' }),
  }),
});

builder.queryFields((t) => ({
  logHistory: t.field({
    type: LogEntryConnection,
    description: 'Stored entries of a channel or pattern, newest last; page back with `before`/`last`, forward with `after`/`first`',
    args: {
      channel: t.arg.string({ required: true, description: 'A channel, or a prefix pattern such as "etl:*" ("*" is every channel)' }),
      before: t.arg.string({ description: 'Entries before this cursor (page back from startCursor)' }),
      last: t.arg.int({ defaultValue: 100, description: 'How many entries, counting back from the newest (or from `before`)' }),
      after: t.arg.string({ description: 'Entries after this cursor (page forward from endCursor); use with `first`' }),
      first: t.arg.int({ description: 'How many entries, counting forward from `after`' }),
      minLevel: t.arg({ type: LogLevel, description: 'Only entries at this level or more serious' }),
      search: t.arg.string({ description: 'Case-insensitive substring of the message' }),
    },
    authScopes: (_root, args) => ({ readFrom: args.channel }),
    resolve: async (_root, args, { viewer, logs }) => {
      const page = await logs.history(viewer!.tenantId, {
        channel: parseChannelPattern(args.channel),
        before: args.before ? parseCursor(args.before, 'before') : undefined,
        last: args.last ?? 100,
        after: args.after ? parseCursor(args.after, 'after') : undefined,
        first: args.first ?? undefined,
        minLevel: args.minLevel ?? undefined,
        search: args.search ?? undefined,
      });
      return { nodes: page.entries, hasNextPage: page.hasNextPage, hasPreviousPage: page.hasPreviousPage };
    },
  }),
  logChannels: t.withAuth({ signedIn: true }).field({
    type: [LogChannel],
    description: 'Channels that have entries, most recently active first (a service token: those its patterns cover)',
    resolve: async (_root, _args, { viewer, logs }) =>
      (await logs.channels(viewer.tenantId)).filter((c) => viewer.kind === 'user' || viewer.channels.some((p) => patternCovers(p, c.channel))),
  }),
  logRetention: t.withAuth({ user: true }).field({
    type: LogRetention,
    description: 'How long your tenant’s log entries are kept',
    resolve: (_root, _args, { viewer, logs }) => logs.retention(viewer.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  publishLogs: t.field({
    type: PublishLogsPayload,
    description: 'Stores a batch of entries on a channel, then delivers it to subscribers',
    args: {
      channel: t.arg.string({ required: true, description: 'The exact channel to publish to (no pattern), e.g. "etl:workflow456"' }),
      entries: t.arg({ type: [LogEntryInput], required: true, description: 'The entries, in order (at most LOG_MAX_BATCH, 1,000 by default)' }),
      idempotencyKey: t.arg.string({
        description:
          'Any string of up to 200 characters unique to this batch: a retry with the same key (same credential, within 24 hours) stores nothing and answers the first call’s cursors',
      }),
    },
    authScopes: (_root, args) => ({ publishTo: args.channel }),
    resolve: async (_root, { channel, entries, idempotencyKey }, { viewer, logs }) => ({
      entries: await logs.publish(viewer!.tenantId, channel, entries, { caller: principalKey(viewer!), idempotencyKey }),
    }),
  }),
  updateLogRetention: t.withAuth({ admin: true }).field({
    type: LogRetention,
    description: 'Sets how long your tenant’s log entries are kept (ADMIN); retention runs every minute',
    args: {
      maxEntriesPerChannel: t.arg.int({ required: true, description: 'Entries kept per channel' }),
      maxAgeHours: t.arg.int({ required: true, description: 'Hours an entry is kept' }),
    },
    resolve: (_root, args, { viewer, logs }) => logs.setRetention(viewer.tenantId, args.maxEntriesPerChannel, args.maxAgeHours),
  }),
}));

builder.subscriptionField('logs', (t) =>
  t.field({
    type: LogEntry,
    description:
      'Entries of a channel (or every channel with a prefix: `etl:*`) as they are published. With `after`, stored entries after that cursor come first: no gap, no duplicate.',
    args: {
      channel: t.arg.string({ required: true, description: 'A channel, or a prefix pattern such as "etl:*" ("*" is every channel)' }),
      after: t.arg.string({ description: 'Replay the stored entries after this cursor first, then go live' }),
      minLevel: t.arg({ type: LogLevel, description: 'Only entries at this level or more serious' }),
    },
    authScopes: (_root, args) => ({ readFrom: args.channel }),
    // an entry reads the same to every subscriber with the same selection: execute it once;
    // its cursor is the SSE `id:`, so a reconnecting reader resumes with Last-Event-ID
    extensions: { [SHARED_EXECUTION]: true, [EVENT_ID]: eventCursor },
    subscribe: (_root, args, { viewer, streams, metrics, signal, lastEventId }) =>
      streams.logs({
        tenantId: viewer!.tenantId,
        signal,
        pattern: parseChannelPattern(args.channel),
        after: resumeCursor(args.after, lastEventId),
        minLevel: args.minLevel ? levelNumber(args.minLevel) : 0,
        // bound, not a closure: an open stream holds it for its whole life
        onOverflow: metrics.dropped.bind(metrics, viewer!.tenantId, 'slow_consumer'),
      }),
    resolve: (entry, _args, { metrics }) => {
      // the stream ends with a DomainError (SLOW_CONSUMER) as its last event
      if (entry instanceof DomainError) throw entry;
      // once per entry and selection (shared execution), not once per subscriber
      metrics.observeLatency((Date.now() - Date.parse(entry.receivedAt)) / 1000);
      return entry;
    },
  }),
);
