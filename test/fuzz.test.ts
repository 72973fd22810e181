import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';

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
  t = await startApp({ config: { maxBodyBytes: 65_536, monitorAllowPrivate: true } });
  a = await t.signUp('fuzz-a');
  b = await t.signUp('fuzz-b');
  foreign.ticket = (await t.gql('mutation { createTicket(input: {subject: "s", customerName: "c", customerEmail: "c@example.com"}) { id } }', {}, a.token)).data.createTicket.id;
  foreign.monitor = (await t.gql('mutation { createMonitor(input: {name: "m", url: "http://127.0.0.1:9/"}) { id } }', {}, a.token)).data.createMonitor.id;
  foreign.token = (await t.gql('mutation { createServiceToken(name: "t", channels: ["*"]) { token { id } } }', {}, a.token)).data.createServiceToken.token.id;
});
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
