import { createTestStore, createTestBus, type BusKind, type StoreKind } from './services.js';
import { buildApp, type App } from '../../server/app.js';
import type { Bus } from '../../server/bus/index.js';
import { testConfig, type Config } from '../../server/config.js';
import type { Store } from '../../server/db/client.js';

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  app: App;
  store: Store;
  bus: Bus;
  /** http://127.0.0.1:<port> once listening */
  url: string;
  /** A GraphQL request over real HTTP. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  /** Registers a tenant and its admin; returns the JWT and ids. */
  signUp(name?: string): Promise<{ token: string; userId: string; tenantId: string; email: string }>;
  close(): Promise<void>;
}

export interface StartAppOptions {
  store?: Store;
  bus?: Bus;
  storeKind?: StoreKind;
  busKind?: BusKind;
  config?: Partial<Config>;
  /** Close the store and bus on close() (false when they are shared between instances). */
  ownDeps?: boolean;
  /** The built console to serve at `/` (browser suites build their own). */
  webRoot?: string;
  /** Listen on this port (a restarted instance takes its predecessor's). @default a free one */
  port?: number;
}

let counter = 0;

/** Builds and starts an app on 127.0.0.1 with a random port. */
export async function startApp(options: StartAppOptions = {}): Promise<TestApp> {
  const store = options.store ?? (await createTestStore(options.storeKind));
  const bus = options.bus ?? createTestBus(options.busKind);
  const ownDeps = options.ownDeps ?? (!options.store && !options.bus);
  const app = await buildApp({ config: testConfig({ host: '127.0.0.1', ...options.config }), store, bus, webRoot: options.webRoot });
  const { url } = await app.start(options.port ?? 0, '127.0.0.1');

  async function gql<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>> {
    const send = () =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
    // Node's documented keep-alive race: after a pause longer than the server's keep-alive
    // timeout (a test working in-process, a loaded machine), a request may go out on a socket
    // the server is closing, and is reset before the server reads it — send it again
    const response = await send().catch((error: { cause?: { code?: string } }) => {
      if (error?.cause?.code === 'ECONNRESET' || error?.cause?.code === 'UND_ERR_SOCKET') return send();
      throw error;
    });
    return (await response.json()) as GqlResult<T>;
  }

  return {
    app,
    store,
    bus,
    url,
    gql,
    async signUp(name = `t${++counter}`) {
      const email = `${name.replace(/[^\w-]/g, "-")}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
      const result = await gql<any>(
        /* GraphQL */ `
          mutation ($input: RegisterInput!) {
            register(input: $input) { token user { id } }
          }
        `,
        { input: { email, password: 'correct horse battery', name, tenantName: `${name} Inc` } },
      );
      if (!result.data) throw new Error(`sign-up failed: ${JSON.stringify(result.errors)}`);
      const token = result.data.register.token as string;
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
      return { token, userId: result.data.register.user.id, tenantId: claims.tid, email };
    },
    async close() {
      await app.stop(100);
      if (ownDeps) {
        await bus.close();
        await store.close();
      }
    },
  };
}
