// `npm run demo` beside a running `npm start`: plays a few believable services through the
// public API only — a balance sync whose queue grows and drains, an account discovery job
// paging through results, and an ETL workflow logging at mixed levels — until stopped.
//
// It plays into YOUR workspace: sign in with PULSEBOARD_EMAIL / PULSEBOARD_PASSWORD (or answer
// its prompt). On a server with no account yet it creates a demo account and prints it. It keeps
// its service token in data/demo-token.json and reuses it; it rides out server restarts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

const api = (process.env.PULSEBOARD_URL ?? 'http://localhost:4000').replace(/\/$/, '');
const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};
let email = arg('email') ?? process.env.PULSEBOARD_EMAIL;
let password = arg('password') ?? process.env.PULSEBOARD_PASSWORD;
const DEMO = { email: 'demo@pulseboard.dev', password: 'pulseboard-demo' };
const tokenFile = process.env.PULSEBOARD_DEMO_TOKEN_FILE ?? 'data/demo-token.json';

const say = (line: string) => console.log(`demo: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

let outage = false;
/**
 * One GraphQL request, retried while the server is unreachable, restarting, draining or asking us
 * to slow down — so the demo rides out `npm start` being restarted. Other errors are thrown.
 */
async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let wait = Math.min(10_000, 500 * 2 ** attempt);
    try {
      const response = await fetch(`${api}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string; extensions?: { code?: string; retryAfterMs?: number } }[] };
      const failure = body.errors?.[0];
      const code = failure?.extensions?.code;
      const retryable = response.status >= 502 || code === 'SHUTTING_DOWN' || code === 'TOO_MANY_REQUESTS';
      if (!retryable) {
        if (outage) say('the server is back — carrying on');
        outage = false;
        if (failure) throw new ApiError(body.errors!.map((e) => e.message).join('; '), code);
        return body.data!;
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      wait = failure?.extensions?.retryAfterMs ?? (retryAfter > 0 ? retryAfter * 1000 : wait);
    } catch (error) {
      if (error instanceof ApiError) throw error;
    }
    if (!outage) say(`cannot reach ${api} right now — retrying until it is back (Ctrl-C to stop)`);
    outage = true;
    await sleep(Math.max(250, wait));
  }
}

async function ask(question: string, hidden = false): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // echo the question, not the password
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl);
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s) => write(s.startsWith(question) ? s : s.replace(/[^\r\n]/g, ''));
  }
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  if (hidden) process.stdout.write('\n');
  return answer.trim();
}

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;
const login = async (e: string, p: string) => (await gql(LOGIN, { email: e, password: p })).login.token as string;

/** A person's session in the workspace the demo plays into. */
async function signIn(): Promise<string> {
  if (email && password) return login(email, password);
  const { setupRequired } = await gql<{ setupRequired: boolean }>('{ setupRequired }');
  if (setupRequired) {
    const { register } = await gql(`mutation ($input: RegisterInput!) { register(input: $input) { token } }`, {
      input: { ...DEMO, name: 'Demo Operator', tenantName: 'Demo Corp' },
    });
    [email, password] = [DEMO.email, DEMO.password];
    say(`no account on this server yet: created one. Sign in to the console at ${api}/ with\n  email:    ${DEMO.email}\n  password: ${DEMO.password}`);
    return register.token;
  }
  // an earlier demo run created the demo account: play into it again
  try {
    const token = await login(DEMO.email, DEMO.password);
    [email, password] = [DEMO.email, DEMO.password];
    return token;
  } catch {
    // no demo account on this server yet: ask for credentials below
  }
  if (!process.stdin.isTTY) {
    throw new Error(
      `this server already has a workspace: play into it with your account —\n  PULSEBOARD_EMAIL=you@example.com PULSEBOARD_PASSWORD='…' npm run demo${api === 'http://localhost:4000' ? '' : `  (PULSEBOARD_URL=${api})`}`,
    );
  }
  say(`sign in with your console account (${api}) to play into your workspace`);
  email = await ask('  email:    ');
  password = await ask('  password: ', true);
  return login(email, password);
}

/** The service token the demo publishes with: created once per workspace, kept, reused. */
function savedTokens(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(tokenFile, 'utf8'));
  } catch {
    return {};
  }
}
async function serviceToken(person: string, fresh = false): Promise<string> {
  const tenant = JSON.parse(Buffer.from(person.split('.')[1]!, 'base64url').toString()).tid as string;
  const key = `${api} ${tenant}`;
  const saved = savedTokens();
  if (saved[key] && !fresh) return saved[key];
  const { createServiceToken } = await gql(`mutation { createServiceToken(name: "demo services", channels: ["*"]) { secret } }`, {}, person);
  saved[key] = createServiceToken.secret;
  if (!existsSync(dirname(tokenFile))) mkdirSync(dirname(tokenFile), { recursive: true });
  writeFileSync(tokenFile, JSON.stringify(saved, null, 2), { mode: 0o600 });
  say(`created the service token "demo services" (kept in ${tokenFile}, reused next time)`);
  return createServiceToken.secret;
}

const REPORT = `mutation ($input: ServiceStatusInput!) { reportServiceStatus(input: $input) { key } }`;
const PUBLISH = `mutation ($channel: String!, $entries: [LogEntryInput!]!) { publishLogs(channel: $channel, entries: $entries) { count } }`;

async function main() {
  let person = await signIn();
  let token = await serviceToken(person);
  say(`playing balance-sync, account-discovery and etl:workflow456 into ${email}'s workspace at ${api} — open ${api}/ · Ctrl-C to stop`);

  /** A call with the service token; a token revoked or from a wiped store is replaced once. */
  const send = async (query: string, variables: Record<string, unknown>) => {
    try {
      return await gql(query, variables, token);
    } catch (error) {
      const code = (error as ApiError).code;
      if (code !== 'UNAUTHENTICATED' && code !== 'FORBIDDEN') throw error;
      person = await signIn();
      token = await serviceToken(person, true);
      return gql(query, variables, token);
    }
  };

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
      await send(REPORT, {
        input: {
          key: 'balance-sync', name: 'Balance sync', intervalSeconds: 2, queueSize: queue, processedCount: processed, failedCount: failed,
          state: queue > 100 ? 'DEGRADED' : 'RUNNING', message: queue > 100 ? 'Queue above 100' : null, details: { region: 'eu-west-1' },
        },
      });
    }
    await send(PUBLISH, {
      channel: 'balance-sync',
      entries: Array.from({ length: Math.min(done, 3) }, () => ({ level: 'INFO', message: `synced account ACC-${1000 + Math.floor(Math.random() * 9000)}`, fields: { queue } })),
    });

    // account discovery: pages through results, rests between runs
    if (tick % 3 === 0) {
      page = page >= pages ? 0 : page + 1;
      const state = page === 0 ? 'IDLE' : 'RUNNING';
      await send(REPORT, {
        input: { key: 'account-discovery', name: 'Account discovery', intervalSeconds: 3, state, queueSize: pages - page, processedCount: page * 50, message: page ? `page ${page}/${pages}` : 'waiting for the next run' },
      });
      if (page) await send(PUBLISH, { channel: 'account-discovery', entries: [{ level: 'DEBUG', message: `fetched page ${page}/${pages}: 50 accounts` }] });
    }

    // ETL: mixed levels, the odd error with a stack trace
    const level = pick(['TRACE', 'DEBUG', 'INFO', 'INFO', 'INFO', 'WARN', 'ERROR']);
    const step = pick(['extract', 'transform', 'load']);
    await send(PUBLISH, {
      channel: 'etl:workflow456',
      entries: [
        level === 'ERROR'
          ? { level, message: `${step} failed: connection reset by peer`, fields: { step, stack: `Error: connection reset by peer\n    at Socket.onEnd (net.js:1)\n    at ${step}Batch (etl/${step}.ts:42)` } }
          : { level, message: `${step}: ${Math.floor(Math.random() * 5000)} rows`, fields: { step } },
      ],
    });
    if (tick % 5 === 0) {
      await send(REPORT, { input: { key: 'etl:workflow456', name: 'ETL workflow 456', intervalSeconds: 5, state: level === 'ERROR' ? 'DEGRADED' : 'RUNNING', processedCount: tick * 1000 } });
    }
    await sleep(1_000);
  }
  say('stopped');
}

main().catch((error: Error) => {
  // one clear line (or two), never a stack trace
  say(error instanceof ApiError ? `the server refused: ${error.message}` : error.message);
  process.exit(1);
});
