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

const LogLevel = builder.enumType('LogLevel', { values: LOG_LEVELS });

const LogEntry = builder.objectRef<LogEntryShape>('LogEntry').implement({
  fields: (t) => ({
    cursor: t.string({
      description: 'Position in the tenant log: pass it as `after` to resume, or `before` to page back',
      resolve: (e) => toCursor(e.seq),
    }),
    channel: t.exposeString('channel'),
    level: t.field({ type: LogLevel, resolve: (e) => levelName(e.level) }),
    message: t.exposeString('message'),
    timestamp: t.field({ type: 'DateTime', description: 'When the service says it happened', resolve: (e) => e.timestamp }),
    receivedAt: t.field({ type: 'DateTime', resolve: (e) => e.receivedAt }),
    fields: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.fields }),
  }),
});

const LogEntryConnection = connection('LogEntry', LogEntry, (e) => toCursor(e.seq));

const PublishLogsPayload = builder.objectRef<{ entries: LogEntryShape[] }>('PublishLogsPayload').implement({
  fields: (t) => ({
    cursors: t.stringList({ description: 'The cursor assigned to each entry, in order', resolve: (p) => p.entries.map((e) => toCursor(e.seq)) }),
    count: t.int({ resolve: (p) => p.entries.length }),
  }),
});

const LogChannel = builder
  .objectRef<{ channel: string; lastSeq: number; lastEntryAt: Date }>('LogChannel')
  .implement({
    fields: (t) => ({
      name: t.string({ resolve: (c) => c.channel }),
      lastCursor: t.string({ resolve: (c) => toCursor(c.lastSeq) }),
      lastEntryAt: t.expose('lastEntryAt', { type: 'DateTime' }),
    }),
  });

const LogRetention = builder.objectRef<{ maxEntriesPerChannel: number; maxAgeHours: number }>('LogRetention').implement({
  fields: (t) => ({
    maxEntriesPerChannel: t.exposeInt('maxEntriesPerChannel'),
    maxAgeHours: t.exposeInt('maxAgeHours'),
  }),
});

const LogEntryInput = builder.inputType('LogEntryInput', {
  fields: (t) => ({
    level: t.field({ type: LogLevel, required: true }),
    message: t.string({ required: true }),
    timestamp: t.field({ type: 'DateTime', description: 'Defaults to when the server received it' }),
    fields: t.field({ type: 'JSON', description: 'Structured context (a JSON object)' }),
  }),
});

builder.queryFields((t) => ({
  logHistory: t.field({
    type: LogEntryConnection,
    description: 'Stored entries of a channel or pattern, newest last; page back with `before`/`last`, forward with `after`/`first`',
    args: {
      channel: t.arg.string({ required: true }),
      before: t.arg.string(),
      last: t.arg.int({ defaultValue: 100 }),
      after: t.arg.string(),
      first: t.arg.int(),
      minLevel: t.arg({ type: LogLevel }),
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
    resolve: (_root, _args, { viewer, logs }) => logs.retention(viewer.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  publishLogs: t.field({
    type: PublishLogsPayload,
    description: 'Stores a batch of entries on a channel, then delivers it to subscribers',
    args: {
      channel: t.arg.string({ required: true }),
      entries: t.arg({ type: [LogEntryInput], required: true }),
    },
    authScopes: (_root, args) => ({ publishTo: args.channel }),
    resolve: async (_root, { channel, entries }, { viewer, logs, publishLimiter }) => {
      publishLimiter.take(principalKey(viewer!), 'publishLogs calls');
      return { entries: await logs.publish(viewer!.tenantId, channel, entries) };
    },
  }),
  updateLogRetention: t.withAuth({ admin: true }).field({
    type: LogRetention,
    args: { maxEntriesPerChannel: t.arg.int({ required: true }), maxAgeHours: t.arg.int({ required: true }) },
    resolve: (_root, args, { viewer, logs }) => logs.setRetention(viewer.tenantId, args.maxEntriesPerChannel, args.maxAgeHours),
  }),
}));

builder.subscriptionField('logs', (t) =>
  t.field({
    type: LogEntry,
    description:
      'Entries of a channel (or every channel with a prefix: `etl:*`) as they are published. With `after`, stored entries after that cursor come first: no gap, no duplicate.',
    args: {
      channel: t.arg.string({ required: true }),
      after: t.arg.string(),
      minLevel: t.arg({ type: LogLevel }),
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
        onOverflow: () => metrics.dropped(viewer!.tenantId, 'slow_consumer'),
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
