import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { sseClient, subscribe } from './support/sse.js';

const EVENTS = /* GraphQL */ `
  subscription ($ticketId: ID, $after: String) {
    ticketEvents(ticketId: $ticketId, after: $after) {
      cursor kind ticketId status
      message { body authorKind authorName internal }
      people { name kind }
    }
  }
`;
const POST = /* GraphQL */ `
  mutation ($ticketId: ID!, $body: String!, $internal: Boolean) {
    postTicketMessage(ticketId: $ticketId, body: $body, internal: $internal) { cursor body authorKind }
  }
`;
const CREATE = /* GraphQL */ `
  mutation ($input: CreateTicketInput!) { createTicket(input: $input) { id number status } }
`;

let t: TestApp;
let agent: Awaited<ReturnType<TestApp['signUp']>>;
let widget: string;
beforeAll(async () => {
  t = await startApp({ config: { typingTtlMs: 300 } });
  agent = await t.signUp('Alice Agent');
  widget = (await t.gql('mutation { createServiceToken(name: "widget", channels: ["tickets"]) { secret } }', {}, agent.token)).data.createServiceToken.secret;
});
afterAll(() => t.close());

const newTicket = async (token = widget, subject = 'Card declined') =>
  (await t.gql(CREATE, { input: { subject, customerName: 'Carol Customer', customerEmail: 'carol@example.com', body: 'My card was declined twice' } }, token)).data
    .createTicket.id as string;
const messages = (results: any[]) => results.filter((r) => r.data.ticketEvents.kind === 'MESSAGE_POSTED').map((r) => r.data.ticketEvents.message);
const storedCount = async () => Number(((await t.store.db.execute(sql`select count(*)::int as n from ticket_events`)) as any).rows[0].n);

describe('a two-party chat', () => {
  it('agent and customer exchange messages live, in order; internal notes never reach the customer; a resume after a disconnect', async () => {
    const ticketId = await newTicket();
    // both sides start from the ticket's last cursor: however slowly they come up, nothing is missed
    const from = (await t.gql(`{ ticket(id: "${ticketId}") { messages { pageInfo { endCursor } } } }`, {}, agent.token)).data.ticket.messages.pageInfo.endCursor;
    const agentClient = sseClient(t.url, agent.token, true);
    const customerClient = sseClient(t.url, widget, false);
    const agentSide = subscribe(agentClient, EVENTS, { ticketId, after: from });
    const customerSide = subscribe(customerClient, EVENTS, { ticketId, after: from });

    await t.gql(POST, { ticketId, body: 'Hi Carol, looking into it' }, agent.token);
    await t.gql(POST, { ticketId, body: 'Fraud flag on the card; check with risk', internal: true }, agent.token);
    await t.gql(POST, { ticketId, body: 'Thanks!' }, widget);
    await t.gql(POST, { ticketId, body: 'Unblocked — try again?' }, agent.token);

    const wanted = (r: any[]) => messages(r).length >= 4;
    for (const side of [agentSide, customerSide]) {
      const until = Date.now() + 5_000;
      while (messages(side.results).length < (side === agentSide ? 4 : 3) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    }
    expect(wanted(agentSide.results)).toBe(true);
    expect(messages(agentSide.results)).toEqual([
      { body: 'Hi Carol, looking into it', authorKind: 'AGENT', authorName: 'Alice Agent', internal: false },
      { body: 'Fraud flag on the card; check with risk', authorKind: 'AGENT', authorName: 'Alice Agent', internal: true },
      { body: 'Thanks!', authorKind: 'CUSTOMER', authorName: 'Carol Customer', internal: false },
      { body: 'Unblocked — try again?', authorKind: 'AGENT', authorName: 'Alice Agent', internal: false },
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(messages(customerSide.results).map((m: any) => m.body)).toEqual(['Hi Carol, looking into it', 'Thanks!', 'Unblocked — try again?']);
    expect(JSON.stringify(customerSide.results)).not.toContain('Fraud flag');
    // the customer's view of the conversation by query hides it too
    const history = await t.gql(`{ ticket(id: "${ticketId}") { messages { edges { node { body internal } } } } }`, {}, widget);
    expect(history.data.ticket.messages.edges.map((e: any) => e.node.body)).toEqual(['My card was declined twice', 'Hi Carol, looking into it', 'Thanks!', 'Unblocked — try again?']);

    // the customer drops off; the agent writes; the customer resumes from its last cursor
    const lastCursor = customerSide.results.filter((r) => r.data.ticketEvents.cursor).at(-1).data.ticketEvents.cursor;
    customerSide.dispose();
    customerClient.dispose();
    await t.gql(POST, { ticketId, body: 'Still there?' }, agent.token);
    await t.gql(POST, { ticketId, body: 'She left; close tomorrow', internal: true }, agent.token);
    await t.gql('mutation ($id: ID!) { updateTicket(id: $id, status: PENDING) { status } }', { id: ticketId }, agent.token);
    await t.gql(POST, { ticketId, body: 'Ping me when you are back' }, agent.token);

    const resumed = subscribe(sseClient(t.url, widget, true), EVENTS, { ticketId, after: lastCursor });
    const got = await resumed.waitFor(3);
    await new Promise((r) => setTimeout(r, 200));
    const stored = resumed.results.filter((r) => r.data.ticketEvents.cursor);
    expect(stored.map((r) => [r.data.ticketEvents.kind, r.data.ticketEvents.message?.body ?? r.data.ticketEvents.status])).toEqual([
      ['MESSAGE_POSTED', 'Still there?'],
      ['STATUS_CHANGED', 'PENDING'],
      ['MESSAGE_POSTED', 'Ping me when you are back'],
    ]);
    expect(got.length).toBeGreaterThanOrEqual(3);
    agentClient.dispose();
  });
});

describe('the inbox', () => {
  it('without ticketId, a subscriber sees every ticket of the tenant as it is created and answered', async () => {
    const client = sseClient(t.url, agent.token, false);
    const inbox = subscribe(client, EVENTS);
    await new Promise((r) => setTimeout(r, 800));
    const first = await newTicket(widget, 'Refund');
    const second = await newTicket(agent.token, 'Password reset');
    await t.gql(POST, { ticketId: first, body: 'Refund sent' }, agent.token);
    const stored = () => inbox.results.filter((r) => r.data.ticketEvents.cursor);
    const until = Date.now() + 5_000;
    while (stored().length < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const seen = stored().map((r) => [r.data.ticketEvents.ticketId, r.data.ticketEvents.kind]);
    expect(seen).toEqual([
      [first, 'CREATED'],
      [first, 'MESSAGE_POSTED'],
      [second, 'CREATED'],
      [second, 'MESSAGE_POSTED'],
      [first, 'MESSAGE_POSTED'],
    ]);
    const list = await t.gql('{ tickets(search: "refund") { edges { node { id subject customer { email } } } } }', {}, agent.token);
    expect(list.data.tickets.edges.map((e: any) => e.node.id)).toEqual([first]);
    client.dispose();
  });
});

describe('field changes', () => {
  it('a priority change is a stored PRIORITY_CHANGED event: replayed after a cursor, live to the tenant, never to another tenant', async () => {
    const ticketId = await newTicket(agent.token, 'Priority watch');
    const other = await t.signUp('Other tenant');
    const start = (await t.gql(`{ ticket(id: "${ticketId}") { messages { edges { node { cursor } } } } }`, {}, agent.token)).data.ticket.messages.edges.at(-1).node.cursor;
    const PRIORITY = /* GraphQL */ `subscription ($ticketId: ID, $after: String) { ticketEvents(ticketId: $ticketId, after: $after) { cursor kind priority ticket { priority } } }`;
    const changes = (results: any[]) => results.map((r) => r.data.ticketEvents).filter((e) => e.kind === 'PRIORITY_CHANGED');
    const update = (priority: string) => t.gql(`mutation ($id: ID!) { updateTicket(id: $id, priority: ${priority}) { priority } }`, { id: ticketId }, agent.token);

    await update('NORMAL'); // the priority it has: no change, no event
    await update('URGENT');
    const outsider = subscribe(sseClient(t.url, other.token, true), PRIORITY, {});
    const watcher = subscribe(sseClient(t.url, agent.token, true), PRIORITY, { ticketId, after: start });
    await vi.waitFor(() => expect(changes(watcher.results)).toHaveLength(1));
    expect(changes(watcher.results)[0]).toMatchObject({ priority: 'URGENT', ticket: { priority: 'URGENT' } });
    await update('LOW');
    await vi.waitFor(() => expect(changes(watcher.results).map((e) => e.priority)).toEqual(['URGENT', 'LOW']));
    expect(outsider.results).toEqual([]);
    watcher.dispose();
    outsider.dispose();
  });
});

describe('presence', () => {
  it('TYPING arrives and expires by itself; VIEWING lists the agents with the ticket open', async () => {
    const ticketId = await newTicket();
    const customer = subscribe(sseClient(t.url, widget, false), EVENTS, { ticketId });
    await new Promise((r) => setTimeout(r, 200));
    const agentClient = sseClient(t.url, agent.token, false);
    const agentSide = subscribe(agentClient, EVENTS, { ticketId });
    const lastViewing = () => customer.results.map((r) => r.data.ticketEvents).filter((e) => e.kind === 'VIEWING').at(-1)?.people;
    const seen = Date.now() + 5_000;
    while (JSON.stringify(lastViewing()) !== JSON.stringify([{ name: 'Alice Agent', kind: 'AGENT' }]) && Date.now() < seen) await new Promise((r) => setTimeout(r, 20));
    expect(lastViewing()).toEqual([{ name: 'Alice Agent', kind: 'AGENT' }]);

    await t.gql('mutation ($id: ID!) { setTyping(ticketId: $id) }', { id: ticketId }, agent.token);
    await new Promise((r) => setTimeout(r, 100));
    const typing = () => customer.results.map((r) => r.data.ticketEvents).filter((e) => e.kind === 'TYPING');
    expect(typing().at(-1).people).toEqual([{ name: 'Alice Agent', kind: 'AGENT' }]);
    expect((await t.gql(`{ ticket(id: "${ticketId}") { typing { name } } }`, {}, agent.token)).data.ticket.typing).toEqual([{ name: 'Alice Agent' }]);

    await new Promise((r) => setTimeout(r, 1_500));
    expect(typing().at(-1).people).toEqual([]);
    expect((await t.gql(`{ ticket(id: "${ticketId}") { typing { name } } }`, {}, agent.token)).data.ticket.typing).toEqual([]);
    // typing is never stored: a resume replays no TYPING
    expect(customer.results.filter((r) => r.data.ticketEvents.kind === 'TYPING').every((r) => r.data.ticketEvents.cursor === null)).toBe(true);

    agentSide.dispose();
    agentClient.dispose();
    const until = Date.now() + 3_000;
    while (Date.now() < until && (customer.results.map((r) => r.data.ticketEvents).filter((e) => e.kind === 'VIEWING').at(-1)?.people.length ?? 1) > 0) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(customer.results.map((r) => r.data.ticketEvents).filter((e) => e.kind === 'VIEWING').at(-1).people).toEqual([]);
    customer.dispose();
  });
});

describe('bad input stores nothing', () => {
  it.each([
    ['an empty body', { body: '   ' }, 'body must not be empty', 'BAD_USER_INPUT'],
    ['a body over the limit', { body: 'x'.repeat(10_001) }, 'body must be at most 10000 characters', 'BAD_USER_INPUT'],
    ['an unknown ticket', { ticketId: '00000000-0000-4000-8000-000000000000' }, 'No such ticket', 'NOT_FOUND'],
    ['an internal note from the customer', { internal: true, token: 'widget' }, 'Customers cannot post internal notes', 'BAD_USER_INPUT'],
  ])('%s', async (_name, override: any, message, code) => {
    const ticketId = await newTicket();
    const before = await storedCount();
    const result = await t.gql(POST, { ticketId: override.ticketId ?? ticketId, body: override.body ?? 'hello', internal: override.internal ?? false }, override.token === 'widget' ? widget : agent.token);
    expect(result.errors?.[0]?.message).toContain(message);
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(await storedCount()).toBe(before);
  });

  it('a VIEWER posting is FORBIDDEN', async () => {
    const ticketId = await newTicket();
    await t.gql('mutation { createMember(input: {email: "vee@tickets.example.com", password: "viewer-password", name: "Vee", role: VIEWER}) { id } }', {}, agent.token);
    const viewer = (await t.gql('mutation { login(email: "vee@tickets.example.com", password: "viewer-password") { token } }')).data.login.token;
    const before = await storedCount();
    const result = await t.gql(POST, { ticketId, body: 'hello' }, viewer);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await storedCount()).toBe(before);
    // a viewer still reads
    expect((await t.gql(`{ ticket(id: "${ticketId}") { subject } }`, {}, viewer)).data.ticket.subject).toBe('Card declined');
  });
});

describe('tenancy', () => {
  it('tenant B sees nothing of tenant A’s tickets, not through the inbox either, and cannot post to them', async () => {
    const b = await t.signUp('tickets-b');
    const inbox = subscribe(sseClient(t.url, b.token, false), EVENTS);
    await new Promise((r) => setTimeout(r, 200));
    const ticketId = await newTicket();
    await t.gql(POST, { ticketId, body: 'secret reply' }, agent.token);
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.results).toEqual([]);
    expect((await t.gql(`{ tickets { edges { cursor } } ticket(id: "${ticketId}") { id } }`, {}, b.token)).data).toEqual({ tickets: { edges: [] }, ticket: null });
    const post = await t.gql(POST, { ticketId, body: 'hi' }, b.token);
    expect(post.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const direct = subscribe(sseClient(t.url, b.token, false), EVENTS, { ticketId });
    await direct.done;
    expect(direct.results[0].errors[0].extensions.code).toBe('NOT_FOUND');
    inbox.dispose();
  });
});
