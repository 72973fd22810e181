// What a user would write from the docs: graphql-yoga, the graphql-sse plugin and Yoga's own
// createPubSub, serving the same `logs` subscription shape as Pulseboard.
import { createServer } from 'node:http';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { createPubSub, createSchema, createYoga } from 'graphql-yoga';

const pubSub = createPubSub<{ logs: [channel: string, entry: { cursor: string; message: string }] }>();
let seq = 0;
const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `
      type LogEntry { cursor: String! message: String! }
      type Query { ok: Boolean }
      type Mutation { publishLogs(channel: String!, message: String!): Boolean }
      type Subscription { logs(channel: String!): LogEntry! }
    `,
    resolvers: {
      Mutation: {
        publishLogs: (_: unknown, { channel, message }: { channel: string; message: string }) => {
          pubSub.publish('logs', channel, { cursor: String(++seq), message });
          return true;
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
