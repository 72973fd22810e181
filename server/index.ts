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
let store;
try {
  store = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
} catch (error) {
  process.stderr.write(`pulseboard: cannot open the store (${config.databaseUrl ? 'DATABASE_URL' : `DATA_DIR=${config.dataDir}`}): ${(error as Error).message}\n`);
  process.exit(1);
}
const metrics = createMetrics();
const bus = createBus({
  redisUrl: config.redisUrl,
  onError: (error) => logger.warn('bus error', error),
  onReconnect: () => {
    metrics.busReconnected();
    logger.info('bus reconnected');
  },
});
const app = await buildApp({ config, store, bus, logger, metrics });
const { url } = await app.start();
logger.info(`Pulseboard listening on ${url}`, {
  graphql: `${url}/graphql`,
  stream: `${url}/graphql/stream`,
  store: store.kind,
  bus: bus.kind,
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    logger.info(`${signal}: draining`);
    await app.stop();
    await bus.close();
    await store.close();
    logger.info('stopped');
    process.exit(0);
  });
}
