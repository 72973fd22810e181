import { buildApp } from './app.js';
import { createBus } from './bus/index.js';
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/client.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

// Bad configuration is one clear line naming the variable, not a stack trace.
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`pulseboard: ${error.message}\n`);
    process.exit(78);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
// `npm start` asks for plain progress lines on stderr (the JSON log stays on stdout)
const say = process.env.PULSEBOARD_BANNER ? (line: string) => process.stderr.write(`pulseboard: ${line}\n`) : () => {};
say(config.databaseUrl ? 'opening PostgreSQL (DATABASE_URL) and applying migrations …' : `opening the embedded store in ${config.dataDir} and applying migrations …`);
let store: Awaited<ReturnType<typeof createDb>>;
try {
  store = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
} catch (error) {
  process.stderr.write(`pulseboard: cannot open the store (${config.databaseUrl ? 'DATABASE_URL' : `DATA_DIR=${config.dataDir}`}): ${(error as Error).message}\n`);
  process.exit(1);
}
const metrics = createMetrics();
const bus = createBus({
  redisUrl: config.redisUrl,
  redisClusterNodes: config.redisClusterNodes,
  onError: (error) => logger.warn('bus error', error),
  onReconnect: () => {
    metrics.busReconnected();
    logger.info('bus reconnected');
  },
});
const app = await buildApp({ config, store, bus, logger, metrics });
let url: string;
try {
  ({ url } = await app.start());
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  process.stderr.write(`pulseboard: cannot listen on ${config.host}:${config.port}: ${code === 'EADDRINUSE' ? 'the port is in use (another Pulseboard? set PORT)' : (error as Error).message}\n`);
  process.exit(1);
}
say(
  [
    `ready (store: ${store.kind}, bus: ${bus.kind})`,
    `  console    ${url}/`,
    `  GraphiQL   ${config.graphiql ? `${url}/graphql` : 'off (GRAPHIQL=false)'}`,
    `  API        POST ${url}/graphql · streams ${url}/graphql/stream`,
    `  health     ${url}/health · ${url}/ready`,
    `  demo data  npm run demo (in another terminal)`,
  ].join('\n'),
);
logger.info(`Pulseboard listening on ${url}`, {
  graphql: `${url}/graphql`,
  stream: `${url}/graphql/stream`,
  store: store.kind,
  bus: bus.kind,
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void drain(signal));
}

async function drain(signal: NodeJS.Signals) {
  logger.info(`${signal}: draining`);
  try {
    await app.stop();
    await bus.close();
    await store.close();
  } catch (error) {
    logger.error('shutdown failed', error as Error);
    process.exit(1);
  }
  logger.info('stopped');
  process.exit(0);
}
