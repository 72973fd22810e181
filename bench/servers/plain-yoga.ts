// What a user would write from the docs: graphql-yoga, the graphql-sse plugin and Yoga's own
// createPubSub, serving the same `logs` subscription shape and the same `publishLogs` mutation
// signature as Pulseboard — with no store: the baseline for fan-out and for ingest.
import { createServer } from 'node:http';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { createPubSub, createSchema, createYoga } from 'graphql-yoga';

interface EntryInput {
  level: string;
  message: string;
  timestamp?: string | null;
  fields?: unknown;
}

const pubSub = createPubSub<{ logs: [channel: string, entry: { cursor: string; message: string }] }>();
let seq = 0;
const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `
      scalar JSON
      enum LogLevel { TRACE DEBUG INFO WARN ERROR FATAL }
      input LogEntryInput { level: LogLevel! message: String! timestamp: String fields: JSON }
      type PublishLogsPayload { cursors: [String!]! count: Int! }
      type LogEntry { cursor: String! message: String! }
      type Query { ok: Boolean }
      type Mutation { publishLogs(channel: String!, entries: [LogEntryInput!]!, idempotencyKey: String): PublishLogsPayload! }
      type Subscription { logs(channel: String!): LogEntry! }
    `,
    resolvers: {
      Mutation: {
        publishLogs: (_: unknown, { channel, entries }: { channel: string; entries: EntryInput[] }) => {
          const cursors = entries.map((entry) => {
            const cursor = String(++seq);
            pubSub.publish('logs', channel, { cursor, message: entry.message });
            return cursor;
          });
          return { cursors, count: cursors.length };
        },
      },
      Subscription: {
        logs: { subscribe: (_: unknown, { channel }: { channel: string }) => pubSub.subscribe('logs', channel), resolve: (e: unknown) => e },
      },
    },
  }),
  plugins: [useGraphQLSSE()],
  logging: false,
});
// Yoga answers every request itself, failures included: nothing to await here
createServer((req, res) => void yoga(req, res)).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
