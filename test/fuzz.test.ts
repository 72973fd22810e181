import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../server/schema/index.js';
import { startApp, type TestApp } from './support/app.js';
import { hostileCalls } from './support/hostile.js';

/** A small deterministic PRNG, so a failure reproduces. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const TABLES = ['tenants', 'users', 'service_tokens', 'log_entries', 'services', 'monitors', 'alert_rules', 'incidents', 'tickets', 'ticket_events', 'maintenance_windows'];

let t: TestApp;
let a: Awaited<ReturnType<TestApp['signUp']>>;
let b: Awaited<ReturnType<TestApp['signUp']>>;
const foreign: Record<string, string> = {};

beforeAll(async () => {
  // keep-alives every 200 ms: an accepted subscription shows itself quickly
  // (no scheduled checks: a monitor a fuzzed call created must not change the store between two calls)
  t = await startApp({ config: { maxBodyBytes: 65_536, monitorAllowPrivate: true, sseKeepAliveMs: 200, monitorTickMs: 3_600_000 } });
  a = await t.signUp('fuzz-a');
  b = await t.signUp('fuzz-b');
  foreign.ticket = (await t.gql('mutation { createTicket(input: {subject: "s", customerName: "c", customerEmail: "c@example.com"}) { id } }', {}, a.token)).data.createTicket.id;
  foreign.monitor = (await t.gql('mutation { createMonitor(input: {name: "m", url: "http://127.0.0.1:9/"}) { id } }', {}, a.token)).data.createMonitor.id;
  foreign.token = (await t.gql('mutation { createServiceToken(name: "t", channels: ["*"]) { token { id } } }', {}, a.token)).data.createServiceToken.token.id;
  // tenant A's things carry a marker no answer to tenant B may ever contain
  const marked = await t.gql(
    `mutation {
      ticket: createTicket(input: {subject: "${MARK} subject", customerName: "${MARK} customer", customerEmail: "mark7731@example.com", body: "${MARK} body"}) { id }
      rule: createAlertRule(input: {name: "${MARK} rule", kind: DOWN, webhookUrls: ["https://hooks.example.com/${MARK}"]}) { id }
      invite: inviteMember(email: "mark7731-invitee@example.com", role: ADMIN) { invitation { id } }
      log: publishLogs(channel: "${MARK}", entries: [{level: INFO, message: "${MARK} log"}]) { count }
      service: reportServiceStatus(input: {key: "${MARK}", name: "${MARK} service", state: RUNNING, intervalSeconds: 3600}) { key }
      window: createMaintenanceWindow(monitorIds: ["${foreign.monitor}"], startsAt: "2030-01-01T00:00:00Z", endsAt: "2030-01-02T00:00:00Z") { id }
      pause: pauseMonitor(id: "${foreign.monitor}") { id }
    }`,
    {},
    a.token,
  );
  expect(marked.errors).toBeUndefined();
  Object.assign(foreign, { markedTicket: marked.data.ticket.id, rule: marked.data.rule.id, invitation: marked.data.invite.invitation.id, window: marked.data.window.id, user: a.userId });
  bToken = (await t.gql('mutation { createServiceToken(name: "b-all", channels: ["*"], scopes: [READ_INCIDENTS, READ_MONITORS]) { secret } }', {}, b.token)).data.createServiceToken.secret;
});

const MARK = 'MARK7731';
let bToken: string;
afterAll(() => t.close());

async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number(((await t.store.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as any).rows[0].n);
  return out;
}

type Case = { path: string; method: string; headers: Record<string, string>; body?: BodyInit };

function cases(random: () => number): Case[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const auth = (): Record<string, string> => pick<Record<string, string>>([{}, { authorization: `Bearer ${b.token}` }, { authorization: 'Bearer garbage' }, { authorization: 'Basic x' }]);
  const path = () => pick(['/graphql', '/graphql/stream']);
  const json = (body: unknown, extra: Record<string, string> = {}) => ({
    path: path(),
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: pick(['application/json', 'text/event-stream', '*/*']), ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const badChannels = ['a*b', '**', '*x', 'x y', '', 'é', 'a/b', '*'.repeat(300), 'x'.repeat(201), 'etl:*:*', '\u0000', '../../etc'];
  const out: Case[] = [];
  for (let i = 0; i < 400; i++) out.push({ path: path(), method: 'POST', headers: { 'content-type': pick(['application/json', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/graphql']), ...auth() }, body: bytes(Math.floor(random() * 400)) });
  for (let i = 0; i < 300; i++) out.push(json(bytes(50).toString('latin1'), auth()));
  // invalid UTF-8 inside an otherwise JSON-looking body
  for (let i = 0; i < 200; i++) out.push({ ...json('x', auth()), body: Buffer.concat([Buffer.from('{"query":"{ viewer { id } }","x":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]) });
  for (let i = 0; i < 300; i++) out.push(json({ query: pick([123, null, [], {}, '', '{', '}}}}', 'query {', 'mutation', 'subscription { }', '{ __schema }']), variables: pick([1, 'x', [], null]), extensions: pick([[], 'x', 1]) }, auth()));
  for (let i = 0; i < 100; i++) out.push(json({ query: `{ ${'viewer { '.repeat(200 + Math.floor(random() * 300))}id${' }'.repeat(200)} }` }, auth()));
  for (let i = 0; i < 100; i++) out.push(json({ query: `{ ${Array.from({ length: 1_000 + Math.floor(random() * 2_000) }, (_, k) => `a${k}: viewer { id }`).join(' ')} }` }, auth()));
  for (let i = 0; i < 50; i++) out.push(json({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(70_000) } }, auth()));
  for (let i = 0; i < 300; i++) {
    const channel = pick(badChannels);
    out.push(
      json(
        pick([
          { query: 'mutation ($c: String!) { publishLogs(channel: $c, entries: [{level: INFO, message: "x"}]) { count } }', variables: { c: channel } },
          { query: 'subscription ($c: String!) { logs(channel: $c) { message } }', variables: { c: channel } },
          { query: 'query ($c: String!) { logHistory(channel: $c) { edges { cursor } } }', variables: { c: channel } },
          { query: 'mutation ($c: String!) { publishLogs(channel: $c, entries: []) { count } }', variables: { c: 'ok' } },
          { query: 'mutation { publishLogs(channel: "ok", entries: [{level: LOUD, message: "x"}]) { count } }' },
          { query: 'subscription ($a: String) { logs(channel: "ok", after: $a) { message } }', variables: { a: pick(['-1', 'abc', '99999999999999999999', '1e9', ' 1']) } },
        ]),
        { authorization: `Bearer ${b.token}` },
      ),
    );
  }
  for (let i = 0; i < 300; i++) {
    out.push(
      json(
        pick([
          { query: `mutation { postTicketMessage(ticketId: "${foreign.ticket}", body: "hi") { cursor } }` },
          { query: `mutation { updateTicket(id: "${foreign.ticket}", status: CLOSED) { id } }` },
          { query: `mutation { deleteMonitor(id: "${foreign.monitor}") }` },
          { query: `mutation { runMonitorCheck(id: "${foreign.monitor}") { ok } }` },
          { query: `mutation { revokeServiceToken(id: "${foreign.token}") { id } }` },
          { query: `mutation { createAlertRule(input: {name: "x", kind: DOWN, monitorId: "${foreign.monitor}"}) { id } }` },
          { query: `subscription { ticketEvents(ticketId: "${foreign.ticket}") { kind } }` },
          { query: `mutation { createMaintenanceWindow(monitorIds: ["${foreign.monitor}"], startsAt: "2026-01-01T00:00:00Z", endsAt: "2027-01-01T00:00:00Z") { id } }` },
          { query: `mutation { createMonitor(input: {name: "x", url: "${pick(['http://169.254.169.254/', 'file:///etc/passwd', 'gopher://x', 'http://[fe80::1]/', 'javascript:alert(1)'])}"}) { id } }` },
          { query: `mutation { reportServiceStatus(input: {key: "${pick(badChannels).replace(/["\\]/g, '')}", state: RUNNING, intervalSeconds: 10}) { key } }` },
        ]),
        { authorization: `Bearer ${b.token}` },
      ),
    );
  }
  for (let i = 0; i < 100; i++) out.push({ path: path(), method: pick(['PATCH', 'DELETE', 'PUT']), headers: { ...auth(), 'x-graphql-event-stream-token': pick(['', 'x', '../', 'a'.repeat(5_000)]) } });
  for (let i = 0; i < 100; i++) out.push({ path: `${path()}?query=${encodeURIComponent(pick(['{', '{ viewer { id } }', 'mutation { login(email: "a", password: "b") { token } }']))}&variables=${pick(['%7B', 'x', '[]'])}`, method: 'GET', headers: { ...auth(), 'x-graphql-yoga-csrf': '1', accept: pick(['application/json', 'text/event-stream']) } });
  return out;
}

describe('hostile and malformed requests', () => {
  it('every one gets a clear client error, the server stays healthy, and nothing is stored', async () => {
    const before = await counts();
    const all = cases(prng(20_261_122));
    expect(all.length).toBeGreaterThan(2_000);
    const failures: string[] = [];
    let next = 0;
    async function worker() {
      for (;;) {
        const i = next++;
        if (i >= all.length) return;
        const c = all[i]!;
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 5_000);
        try {
          const response = await fetch(`${t.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body, signal: controller.signal });
          const text = await response.text();
          if (response.status >= 500) failures.push(`#${i} ${c.method} ${c.path} -> ${response.status} ${text.slice(0, 200)}`);
          if (/node_modules|\/work\/|\bat [\w.<>]+ \(|\.ts:\d+/.test(text)) failures.push(`#${i} leaked internals: ${text.slice(0, 300)}`);
          if (response.status === 200 && response.headers.get('content-type')?.includes('json')) {
            const body = JSON.parse(text);
            if (!body.errors && body.data && Object.values(body.data).some((v) => v !== null)) failures.push(`#${i} succeeded: ${text.slice(0, 200)}`);
          }
        } catch (error) {
          failures.push(`#${i} ${c.method} ${c.path} -> ${(error as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    }
    await Promise.all(Array.from({ length: 4 }, worker));
    expect(failures.slice(0, 20)).toEqual([]);
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    expect((await fetch(`${t.url}/ready`)).status).toBe(200);
    expect(await counts()).toEqual(before);
    // tenant A's things are untouched
    const ticket = (await t.gql(`{ ticket(id: "${foreign.ticket}") { status messages { edges { cursor } } } }`, {}, a.token)).data.ticket;
    expect(ticket).toEqual({ status: 'OPEN', messages: { edges: [] } });
  }, 120_000);
});

/**
 * A fingerprint of what callers can change: row counts and contents of every table a mutation
 * writes, less the columns background work moves on (last use, expiry, checks, staleness).
 */
async function fingerprint(): Promise<string[]> {
  const volatile: Record<string, string[]> = {
    service_tokens: ['last_used_at'],
    sessions: ['last_used_at', 'expires_at'],
    services: ['stale', 'version'],
    monitors: ['status', 'consecutive_failures', 'next_check_at', 'last_checked_at'],
  };
  const tables = ['tenants', 'users', 'service_tokens', 'sessions', 'account_codes', 'settings', 'log_entries', 'log_channels', 'services', 'monitors', 'alert_rules', 'maintenance_windows', 'incidents', 'tickets', 'ticket_events'];
  const parts = tables.map((table) => {
    const row = `(to_jsonb(x)${(volatile[table] ?? []).map((c) => ` - '${c}'`).join('')})::text`;
    return `(select '${table}:' || md5(coalesce(string_agg(${row}, ',' order by ${row}), '')) from ${table} x)`;
  });
  const result = (await t.store.db.execute(sql.raw(`select concat_ws('|', ${parts.join(', ')}) as fp`))) as any;
  return (result.rows[0].fp as string).split('|');
}

describe('every mutation and subscription argument, hostile', () => {
  it('0 5xx, 0 stack traces, 0 of another tenant’s data, and nothing stored by a refused call', async () => {
    const ids = [foreign.ticket, foreign.markedTicket, foreign.monitor, foreign.token, foreign.rule, foreign.invitation, foreign.window, foreign.user].filter(Boolean) as string[];
    const calls = hostileCalls(schema, ids);
    expect(calls.length).toBeGreaterThan(800);
    // every argument of every mutation and subscription is covered
    const withArgs = [schema.getMutationType()!, schema.getSubscriptionType()!].flatMap((root) => Object.values(root.getFields()).filter((f) => f.args.length).map((f) => f.name));
    expect(new Set(calls.map((c) => c.field))).toEqual(new Set(withArgs));
    const failures: string[] = [];
    let before = await fingerprint();
    let i = 0;
    for (const call of calls) {
      // tenant B's ADMIN makes every call; every fourth is also tried with B's all-channels service token
      for (const token of i++ % 4 === 0 ? [b.token, bToken] : [b.token]) {
        const what = `${call.kind} ${call.field} [${call.target}=${JSON.stringify(call.variables[call.target.split('.')[0]!])?.slice(0, 60)}]`;
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 10_000);
        let text = '';
        try {
          const send = () =>
            fetch(`${t.url}${call.kind === 'subscription' ? '/graphql/stream' : '/graphql'}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', accept: call.kind === 'subscription' ? 'text/event-stream' : 'application/graphql-response+json', authorization: `Bearer ${token}` },
              body: JSON.stringify({ query: call.query, variables: call.variables }),
              signal: controller.signal,
            });
          // a kept-alive socket the server closed while idle fails before the request is sent: Node's documented case, retried once
          const response = await send().catch((error: Error & { cause?: { code?: string } }) => {
            if (error.cause?.code === 'ECONNRESET' || error.cause?.code === 'UND_ERR_SOCKET') return send();
            throw error;
          });
          if (call.kind === 'subscription' && response.status === 200) {
            // until its first event, its end, or two keep-alives: it was refused or it is open
            text = await readUntil(response, (s) => /event: (next|complete)/.test(s) || (s.match(/^:/gm)?.length ?? 0) >= 3);
          } else {
            text = await response.text();
          }
          if (response.status >= 500) failures.push(`${what} -> ${response.status} ${text.slice(0, 200)}`);
          if (/node_modules|\/work\/|\bat [\w.<>]+ \(|\.ts:\d+/.test(text)) failures.push(`${what} leaked internals: ${text.slice(0, 300)}`);
          if (text.includes(MARK) || text.includes('mark7731')) failures.push(`${what} read tenant A’s data: ${text.slice(0, 300)}`);
          if (call.kind === 'mutation') {
            const body = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { errors: [{}] };
            const refused = !!body.errors && (!body.data || Object.values(body.data).every((v) => v === null));
            const after = await fingerprint();
            const changed = after.filter((part, k) => part !== before[k]).map((part) => part.split(':')[0]);
            if (refused && changed.length) failures.push(`${what} was refused (${JSON.stringify(body.errors).slice(0, 120)}) but changed ${changed.join(', ')}`);
            before = after;
          }
        } catch (error) {
          failures.push(`${what} -> ${(error as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    // B is still signed in and A's things are as they were
    expect((await t.gql('{ viewer { id } }', {}, b.token)).data.viewer.id).toBe(b.userId);
    const ticket = (await t.gql(`{ ticket(id: "${foreign.markedTicket}") { subject status } }`, {}, a.token)).data.ticket;
    expect(ticket).toEqual({ subject: `${MARK} subject`, status: 'OPEN' });
  }, 600_000);
});

async function readUntil(response: Response, done: (text: string) => boolean): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
    if (done(text)) break;
  }
  // eslint-disable-next-line no-restricted-syntax -- the text is read; a stream the server already ended cannot be cancelled
  await reader.cancel().catch(() => {});
  return text;
}
