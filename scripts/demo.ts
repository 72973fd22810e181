// `npm run demo` beside a running `npm start`: plays a few believable services through the
// public API only — a balance sync whose queue grows and drains, an account discovery job
// paging through results, and an ETL workflow logging at mixed levels — until stopped.
const api = process.env.PULSEBOARD_URL ?? 'http://localhost:4000';
const email = process.env.DEMO_EMAIL ?? 'demo@pulseboard.dev';
const password = process.env.DEMO_PASSWORD ?? 'pulseboard-demo';

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(`${api}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}

async function signIn(): Promise<string> {
  try {
    const { login } = await gql(`mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, { email, password });
    console.log(`signed in as ${email}`);
    return login.token;
  } catch {
    const { register } = await gql(
      `mutation ($input: RegisterInput!) { register(input: $input) { token } }`,
      { input: { email, password, name: 'Demo Operator', tenantName: 'Demo Corp' } },
    );
    console.log(`created a demo account — sign in to the console with:\n  email:    ${email}\n  password: ${password}`);
    return register.token;
  }
}

const REPORT = `mutation ($input: ServiceStatusInput!) { reportServiceStatus(input: $input) { key } }`;
const PUBLISH = `mutation ($channel: String!, $entries: [LogEntryInput!]!) { publishLogs(channel: $channel, entries: $entries) { count } }`;

const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  let admin: string;
  try {
    admin = await signIn();
  } catch (error) {
    console.error(`cannot reach Pulseboard at ${api} (${(error as Error).message}); start it with \`npm start\``);
    process.exit(1);
  }
  const { createServiceToken } = await gql(
    `mutation { createServiceToken(name: "demo services ${new Date().toISOString()}", channels: ["*"]) { secret } }`,
    {},
    admin,
  );
  const token: string = createServiceToken.secret;
  console.log(`playing balance-sync, account-discovery and etl:workflow456 against ${api} — Ctrl-C to stop`);

  let tick = 0;
  let processed = 0;
  let failed = 0;
  let page = 0;
  const pages = 40;
  let running = true;
  process.once('SIGINT', () => (running = false));
  process.once('SIGTERM', () => (running = false));

  while (running) {
    tick++;
    // balance sync: the queue swells and drains over about a minute
    const queue = Math.max(0, Math.round(60 + 55 * Math.sin(tick / 10) + (Math.random() * 10 - 5)));
    const done = 5 + Math.floor(Math.random() * 10);
    processed += done;
    if (Math.random() < 0.05) failed++;
    if (tick % 2 === 0) {
      await gql(REPORT, {
        input: {
          key: 'balance-sync', name: 'Balance sync', intervalSeconds: 2, queueSize: queue, processedCount: processed, failedCount: failed,
          state: queue > 100 ? 'DEGRADED' : 'RUNNING', message: queue > 100 ? 'Queue above 100' : null, details: { region: 'eu-west-1' },
        },
      }, token);
    }
    await gql(PUBLISH, {
      channel: 'balance-sync',
      entries: Array.from({ length: Math.min(done, 3) }, () => ({
        level: 'INFO', message: `synced account ACC-${1000 + Math.floor(Math.random() * 9000)}`, fields: { queue },
      })),
    }, token);

    // account discovery: pages through results, rests between runs
    if (tick % 3 === 0) {
      page = page >= pages ? 0 : page + 1;
      const state = page === 0 ? 'IDLE' : 'RUNNING';
      await gql(REPORT, {
        input: { key: 'account-discovery', name: 'Account discovery', intervalSeconds: 3, state, queueSize: pages - page, processedCount: page * 50, message: page ? `page ${page}/${pages}` : 'waiting for the next run' },
      }, token);
      if (page) await gql(PUBLISH, { channel: 'account-discovery', entries: [{ level: 'DEBUG', message: `fetched page ${page}/${pages}: 50 accounts` }] }, token);
    }

    // ETL: mixed levels, the odd error with a stack trace
    const level = pick(['TRACE', 'DEBUG', 'INFO', 'INFO', 'INFO', 'WARN', 'ERROR']);
    const step = pick(['extract', 'transform', 'load']);
    await gql(PUBLISH, {
      channel: 'etl:workflow456',
      entries: [
        level === 'ERROR'
          ? { level, message: `${step} failed: connection reset by peer`, fields: { step, stack: `Error: connection reset by peer\n    at Socket.onEnd (net.js:1)\n    at ${step}Batch (etl/${step}.ts:42)` } }
          : { level, message: `${step}: ${Math.floor(Math.random() * 5000)} rows`, fields: { step } },
      ],
    }, token);
    if (tick % 5 === 0) {
      await gql(REPORT, { input: { key: 'etl:workflow456', name: 'ETL workflow 456', intervalSeconds: 5, state: level === 'ERROR' ? 'DEGRADED' : 'RUNNING', processedCount: tick * 1000 } }, token);
    }
    await sleep(1_000);
  }
  console.log('demo stopped');
}

void main();
