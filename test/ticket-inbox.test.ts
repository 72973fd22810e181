import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../server/db/client.js';
import { startApp, type TestApp } from './support/app.js';
import { countingStore } from './support/counting-store.js';
import { addMember, addServiceToken, codeOf } from './support/people.js';
import { createTestStore } from './support/services.js';

let t: TestApp;
let store: Store;
let statements: string[];
beforeAll(async () => {
  ({ store, statements } = countingStore(await createTestStore()));
  t = await startApp({ store, ownDeps: false });
});
afterAll(async () => {
  await t.close();
  await t.bus.close();
  await store.close();
});

const CREATE = /* GraphQL */ `
  mutation ($input: CreateTicketInput!) { createTicket(input: $input) { id } }
`;
const POST = /* GraphQL */ `
  mutation ($id: ID!, $body: String!, $internal: Boolean) { postTicketMessage(ticketId: $id, body: $body, internal: $internal) { cursor } }
`;
const ROW = /* GraphQL */ `
  query ($id: ID!) { ticket(id: $id) { unreadCount lastMessage { body internal sender preview(chars: 12) } } }
`;

/** A workspace with an admin (Ann), a member (Ben) and the support widget's token. */
async function workspace() {
  const ann = await t.signUp('Ann');
  const ben = await addMember(t, ann.token, 'MEMBER', 'Ben');
  const widget = await addServiceToken(t, ann.token, ['tickets']);
  const ticket = async (subject: string, body: string) =>
    (await t.gql(CREATE, { input: { subject, customerName: 'Carol', customerEmail: 'carol@example.com', body } }, widget)).data.createTicket.id as string;
  return { ann, ben, widget, ticket };
}

describe('inbox rows', () => {
  it('unread counts per agent, the last message with a preview, and who wrote each message from the reader’s side', async () => {
    const { ann, ben, widget, ticket } = await workspace();
    const id = await ticket('Card declined', 'My card was declined\ntwice today');
    await t.gql(POST, { id, body: 'Looking into it' }, ben);
    await t.gql(POST, { id, body: 'fraud flag on the account', internal: true }, ben);

    expect((await t.gql(ROW, { id }, ann.token)).data.ticket).toEqual({
      unreadCount: 3,
      lastMessage: { body: 'fraud flag on the account', internal: true, sender: 'TEAMMATE', preview: 'fraud flag…' },
    });
    // Ben's own messages are not unread to him
    expect((await t.gql(ROW, { id }, ben)).data.ticket.unreadCount).toBe(1);
    // the customer's side: no internal note, no unread count (not a person)
    expect((await t.gql(ROW, { id }, widget)).data.ticket).toEqual({
      unreadCount: null,
      lastMessage: { body: 'Looking into it', internal: false, sender: 'TEAMMATE', preview: 'Looking int…' },
    });

    const senders = async (token: string) =>
      (await t.gql(`{ ticket(id: "${id}") { messages { edges { node { sender internal preview } } } } }`, {}, token)).data.ticket.messages.edges.map((e: any) => [e.node.sender, e.node.internal]);
    expect(await senders(ann.token)).toEqual([['CUSTOMER', false], ['TEAMMATE', false], ['TEAMMATE', true]]);
    expect(await senders(ben)).toEqual([['CUSTOMER', false], ['YOU', false], ['YOU', true]]);
    const preview = (await t.gql(`{ ticket(id: "${id}") { messages { edges { node { preview } } } } }`, {}, ann.token)).data.ticket.messages.edges[0].node.preview;
    expect(preview).toBe('My card was declined twice today');

    // reading: to the end, then the marker never moves back
    const messages = (await t.gql(`{ ticket(id: "${id}") { messages { edges { cursor } } } }`, {}, ann.token)).data.ticket.messages.edges;
    expect((await t.gql(`mutation { markTicketRead(ticketId: "${id}", through: "${messages[0].cursor}") { unreadCount } }`, {}, ann.token)).data.markTicketRead.unreadCount).toBe(2);
    expect((await t.gql(`mutation { markTicketRead(ticketId: "${id}") { unreadCount } }`, {}, ann.token)).data.markTicketRead.unreadCount).toBe(0);
    await t.gql(`mutation { markTicketRead(ticketId: "${id}", through: "${messages[0].cursor}") { id } }`, {}, ann.token);
    expect((await t.gql(ROW, { id }, ann.token)).data.ticket.unreadCount).toBe(0);
    await t.gql(POST, { id, body: 'Any news?' }, widget);
    expect((await t.gql(ROW, { id }, ann.token)).data.ticket.unreadCount).toBe(1);
    expect((await t.gql(ROW, { id }, ben)).data.ticket.unreadCount).toBe(2);
    const past = await t.gql(`mutation { markTicketRead(ticketId: "${id}", through: "999999") { id } }`, {}, ann.token);
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'through' });
  });

  it('a page of the inbox costs one query for last messages and one for unread counts, whatever its length', async () => {
    const { ann, ticket } = await workspace();
    for (let i = 0; i < 6; i++) await ticket(`Question ${i}`, `Body ${i}`);
    statements.length = 0;
    const page = await t.gql('{ tickets(first: 6) { edges { node { subject priority unreadCount lastMessage { preview } } } } }', {}, ann.token);
    expect(page.data.tickets.edges.map((e: any) => [e.node.subject, e.node.unreadCount, e.node.lastMessage.preview, e.node.priority])).toEqual(
      [5, 4, 3, 2, 1, 0].map((i) => [`Question ${i}`, 1, `Body ${i}`, 'NORMAL']),
    );
    expect(statements.filter((s) => s.includes("kind = 'MESSAGE_POSTED'"))).toHaveLength(2);
  });
});

describe('inbox views', () => {
  it('Mine, Unassigned, All and by status, with their counters', async () => {
    const { ann, ben, ticket } = await workspace();
    const annUserId = ann.userId;
    const mine = await ticket('Mine', 'a');
    const bens = await ticket('Bens', 'b');
    const nobodys = await ticket('Nobodys', 'c');
    await t.gql(`mutation { updateTicket(id: "${mine}", assigneeId: "${annUserId}") { id } }`, {}, ann.token);
    const benId = (await t.gql('{ viewer { id } }', {}, ben)).data.viewer.id;
    await t.gql(`mutation { updateTicket(id: "${bens}", assigneeId: "${benId}", status: PENDING) { id } }`, {}, ann.token);
    await t.gql(`mutation { markTicketRead(ticketId: "${nobodys}") { id } }`, {}, ann.token);
    const subjects = async (args: string, token = ann.token) =>
      (await t.gql(`{ tickets(${args}) { edges { node { subject } } } }`, {}, token)).data.tickets.edges.map((e: any) => e.node.subject);
    expect(await subjects('view: MINE')).toEqual(['Mine']);
    expect(await subjects('view: MINE', ben)).toEqual(['Bens']);
    expect(await subjects('view: UNASSIGNED')).toEqual(['Nobodys']);
    expect(await subjects('view: ALL')).toEqual(['Nobodys', 'Bens', 'Mine']);
    expect(await subjects('statuses: [PENDING]')).toEqual(['Bens']);
    expect(await subjects('view: UNASSIGNED, statuses: [PENDING]')).toEqual([]);
    expect((await t.gql('{ ticketViewCounts { all mine unassigned unread } }', {}, ann.token)).data.ticketViewCounts).toEqual({ all: 3, mine: 1, unassigned: 1, unread: 2 });
    expect((await t.gql('{ ticketViewCounts(statuses: [OPEN]) { all mine unassigned unread } }', {}, ben)).data.ticketViewCounts).toEqual({ all: 2, mine: 0, unassigned: 1, unread: 2 });
  });
});

describe('canned replies', () => {
  it('members create, edit, find and delete them; viewers read them; shortcuts are unique per workspace', async () => {
    const { ann, ben } = await workspace();
    const CREATE_REPLY = 'mutation ($input: CannedReplyInput!) { createCannedReply(input: $input) { id shortcut title body createdBy { name } } }';
    const refund = await t.gql(CREATE_REPLY, { input: { shortcut: '/Refund', title: 'Refund on its way', body: 'Hi {name},\nyour refund is on its way.' } }, ben);
    expect(refund.data.createCannedReply).toMatchObject({ shortcut: 'refund', title: 'Refund on its way', createdBy: { name: 'Ben' } });
    const id = refund.data.createCannedReply.id;
    await t.gql(CREATE_REPLY, { input: { shortcut: 'hello', title: 'Greeting', body: 'Hello! How can we help?' } }, ann.token);
    const taken = await t.gql(CREATE_REPLY, { input: { shortcut: 'refund', title: 'again', body: 'x' } }, ann.token);
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shortcut' });
    const bad = await t.gql(CREATE_REPLY, { input: { shortcut: 'no spaces', title: 'x', body: 'x' } }, ann.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shortcut' });

    const list = async (search?: string, token = ann.token) =>
      (await t.gql('query ($s: String) { cannedReplies(search: $s) { shortcut } }', { s: search }, token)).data.cannedReplies.map((r: any) => r.shortcut);
    expect(await list()).toEqual(['hello', 'refund']);
    expect(await list('/ref')).toEqual(['refund']);
    expect(await list('HOW CAN')).toEqual(['hello']);

    const edited = await t.gql(
      `mutation { updateCannedReply(id: "${id}", input: {shortcut: "refund-sent", title: "Refund sent", body: "Sent."}) { shortcut body } }`,
      {},
      ann.token,
    );
    expect(edited.data.updateCannedReply).toEqual({ shortcut: 'refund-sent', body: 'Sent.' });
    const clash = await t.gql(`mutation { updateCannedReply(id: "${id}", input: {shortcut: "hello", title: "x", body: "x"}) { id } }`, {}, ann.token);
    expect(codeOf(clash)).toBe('BAD_USER_INPUT');

    const viewer = await addMember(t, ann.token, 'VIEWER');
    expect(await list(undefined, viewer)).toEqual(['hello', 'refund-sent']);
    expect(codeOf(await t.gql(CREATE_REPLY, { input: { shortcut: 'v', title: 'v', body: 'v' } }, viewer))).toBe('FORBIDDEN');
    expect((await t.gql(`mutation { deleteCannedReply(id: "${id}") }`, {}, ann.token)).data.deleteCannedReply).toBe(true);
    expect(await list()).toEqual(['hello']);
  });
});

describe('tenancy and least privilege', () => {
  it('tenant B and narrow tokens reach none of tenant A’s read markers, counters or canned replies', async () => {
    const a = await workspace();
    const b = await t.signUp('other');
    const id = await a.ticket('Private', 'secret');
    const reply = await t.gql('mutation { createCannedReply(input: {shortcut: "a-only", title: "A", body: "A"}) { id } }', {}, a.ann.token);
    const replyId = reply.data.createCannedReply.id;

    expect(codeOf(await t.gql(`mutation { markTicketRead(ticketId: "${id}") { id } }`, {}, b.token))).toBe('NOT_FOUND');
    expect((await t.gql('{ cannedReplies { id } ticketViewCounts { all } }', {}, b.token)).data).toEqual({ cannedReplies: [], ticketViewCounts: { all: 0 } });
    expect(codeOf(await t.gql(`mutation { updateCannedReply(id: "${replyId}", input: {shortcut: "x", title: "x", body: "x"}) { id } }`, {}, b.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(`mutation { deleteCannedReply(id: "${replyId}") }`, {}, b.token))).toBe('NOT_FOUND');
    // B may use the same shortcut in its own workspace
    expect((await t.gql('mutation { createCannedReply(input: {shortcut: "a-only", title: "B", body: "B"}) { shortcut } }', {}, b.token)).data.createCannedReply.shortcut).toBe('a-only');

    for (const query of ['{ cannedReplies { id } }', '{ ticketViewCounts { all } }', `mutation { markTicketRead(ticketId: "${id}") { id } }`, '{ tickets(view: MINE) { edges { cursor } } }']) {
      expect(codeOf(await t.gql(query, {}, a.widget)), query).toBe('FORBIDDEN');
    }
  });
});
