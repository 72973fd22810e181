import type { TicketEvent as StoredEvent, TicketPresence } from '../bus/topics.js';
import type { CannedReplyRow, TicketRow } from '../db/schema.js';
import type { Context } from '../context.js';
import { EVENT_ID } from '../plugins/use-shared-execution.js';
import type { TicketStreamEvent } from '../streams/streams.js';
import { eventCursor, resumeCursor } from '../streams/resume.js';
import { DomainError, badInput, found, notFound } from '../domain/shared/errors.js';
import { parseCursor } from '../domain/shared/cursor.js';
import type { Actor } from '../domain/tickets/tickets.js';
import { User } from './auth.js';
import { builder } from './builder.js';
import { connection } from './pagination.js';
import { batchLoader, batchOnly, loadPerTenant, tenantKey } from './loaders.js';

const TicketStatus = builder.enumType('TicketStatus', {
  description: 'Where a support ticket is in its life (agents set it with updateTicket)',
  values: {
    OPEN: { description: 'Waiting for an agent' },
    PENDING: { description: 'Waiting for the customer' },
    RESOLVED: { description: 'Answered: the agent considers it solved' },
    CLOSED: { description: 'Done: no more work on it' },
  },
});
const TicketPriority = builder.enumType('TicketPriority', {
  description: 'How urgent a ticket is',
  values: {
    LOW: { description: 'When there is time' },
    NORMAL: { description: 'The default' },
    HIGH: { description: 'Before normal tickets' },
    URGENT: { description: 'Now' },
  },
});
const AuthorKind = builder.enumType('AuthorKind', {
  description: 'Who wrote a message, or is typing or viewing',
  values: {
    AGENT: { description: 'A person of the tenant' },
    CUSTOMER: { description: 'The customer, through the support widget’s service token' },
  },
});
const TicketView = builder.enumType('TicketView', {
  description: 'Which tickets an inbox shows',
  values: {
    ALL: { description: 'Every ticket' },
    MINE: { description: 'Tickets assigned to the signed-in agent' },
    UNASSIGNED: { description: 'Tickets nobody is assigned to' },
  } as const,
});

const TicketMessageSender = builder.enumType('TicketMessageSender', {
  description: 'Who wrote a message, from the reader’s point of view (style each differently; `internal` marks notes)',
  values: {
    CUSTOMER: { description: 'The customer' },
    YOU: { description: 'The agent reading it' },
    TEAMMATE: { description: 'Another agent of the workspace' },
  } as const,
});

const TicketEventKind = builder.enumType('TicketEventKind', {
  description: 'What a ticket event reports; the stored kinds have cursors and replay after `after`, TYPING and VIEWING are live only',
  values: {
    CREATED: { description: 'The ticket was opened (stored)' },
    MESSAGE_POSTED: { description: 'A message or internal note was posted: see `message` (stored)' },
    STATUS_CHANGED: { description: 'The status changed: see `status` (stored)' },
    ASSIGNED: { description: 'The assignee changed: see `assigneeId` (stored)' },
    PRIORITY_CHANGED: { description: 'The priority changed: see `priority` (stored)' },
    TYPING: { description: 'Who is typing changed: see `people` and `expiresAt` (never stored)' },
    VIEWING: { description: 'Who has the ticket open changed: see `people` (never stored)' },
  } as const,
});

type Who = TicketPresence['who'];
/** A stored event, or an ephemeral one (TYPING, VIEWING) that has no cursor. */
type EventShape = TicketStreamEvent;

const Participant = builder.objectRef<Who>('Participant').implement({
  description: 'Someone in a ticket’s conversation right now: typing or viewing',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'A person’s user id, or "customer:<ticket id>" for the customer' }),
    name: t.exposeString('name', { description: 'Their display name' }),
    kind: t.field({ type: AuthorKind, description: 'Agent or customer', resolve: (w) => w.kind }),
  }),
});

const TicketMessage = builder.objectRef<StoredEvent>('TicketMessage').implement({
  description: 'One message of a ticket’s conversation: the customer’s, an agent’s reply, or an internal note',
  fields: (t) => ({
    id: t.id({ description: 'Stable identifier', resolve: (m) => String(m.seq) }),
    cursor: t.string({ description: 'Its place in the conversation: pass as `before` to page back', resolve: (m) => String(m.seq) }),
    authorKind: t.field({ type: AuthorKind, description: 'Agent or customer', resolve: (m) => m.authorKind ?? 'CUSTOMER' }),
    authorId: t.id({ nullable: true, description: 'The agent’s user id; null for the customer', resolve: (m) => m.authorId }),
    authorName: t.string({ description: 'Who wrote it, as shown', resolve: (m) => m.authorName ?? '' }),
    body: t.string({ description: 'The text', resolve: (m) => m.body ?? '' }),
    internal: t.exposeBoolean('internal', { description: 'Internal notes are visible to members only' }),
    sender: t.field({
      type: TicketMessageSender,
      description: 'CUSTOMER, YOU (the signed-in agent) or TEAMMATE (another agent); depends on who reads it',
      resolve: (m, _a, { viewer }) =>
        m.authorKind !== 'AGENT' ? 'CUSTOMER' : viewer?.kind === 'user' && viewer.userId === m.authorId ? 'YOU' : 'TEAMMATE',
    }),
    preview: t.string({
      description: 'The start of the body on one line (whitespace collapsed), for an inbox row',
      args: { chars: t.arg.int({ defaultValue: 140, description: 'At most this many characters (1–1000), an ellipsis included' }) },
      resolve: (m, { chars }) => {
        if (!Number.isInteger(chars) || chars! < 1 || chars! > 1000) throw badInput('chars must be between 1 and 1000', 'chars');
        const line = (m.body ?? '').replace(/\s+/g, ' ').trim();
        return line.length > chars! ? `${line.slice(0, chars! - 1).trimEnd()}…` : line;
      },
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was posted', resolve: (m) => m.at }),
  }),
});

const TicketMessageConnection = connection('TicketMessage', TicketMessage, (m) => String(m.seq), 'ticket messages');

/** People see internal notes; a customer (service token) never does. */
const seesInternal = (ctx: Context) => ctx.viewer?.kind === 'user';

export const Ticket = builder.objectRef<TicketRow>('Ticket').implement({
  description: 'A customer’s support request and its conversation',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier' }),
    number: t.exposeInt('number', { description: 'Human-friendly number, counting up per tenant (#42)' }),
    subject: t.exposeString('subject', { description: 'What it is about, in the customer’s words' }),
    status: t.field({ type: TicketStatus, description: 'Open, pending, resolved or closed', resolve: (x) => x.status }),
    priority: t.field({ type: TicketPriority, description: 'How urgent it is', resolve: (x) => x.priority }),
    customer: t.field({
      type: builder.objectRef<{ name: string; email: string }>('Customer').implement({
        description: 'The person who asked for help',
        fields: (c) => ({
          name: c.exposeString('name', { description: 'Their name' }),
          email: c.exposeString('email', { description: 'Where to reach them' }),
        }),
      }),
      description: 'Who asked',
      resolve: (x) => ({ name: x.customerName, email: x.customerEmail }),
    }),
    assignee: t.loadable({
      type: User,
      nullable: true,
      description: 'The agent it is assigned to; null when nobody. In a list of tickets, one query serves every row.',
      load: (keys: string[], { auth }) => loadPerTenant((tenantId, ids) => auth.usersByIds(tenantId, ids))(keys),
      loaderOptions: batchOnly,
      resolve: (x) => (x.assigneeId ? tenantKey(x.tenantId, x.assigneeId) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was opened' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When anything last happened on it' }),
    messages: t.field({
      type: TicketMessageConnection,
      description: 'The conversation, oldest first; page back with `before`',
      args: {
        last: t.arg.int({ defaultValue: 50, description: 'How many of the latest messages (or of those before `before`)' }),
        before: t.arg.string({ description: 'Messages before this cursor (page back)' }),
      },
      resolve: async (x, { last, before }, ctx) => {
        const page = await ctx.tickets.messages(x.id, { last: last ?? 50, before: before ? parseCursor(before, 'before') : undefined, includeInternal: seesInternal(ctx) });
        return { nodes: page.messages, hasPreviousPage: page.hasPreviousPage, hasNextPage: false };
      },
    }),
    typing: t.field({ type: [Participant], description: 'Who is typing right now', resolve: (x, _a, { streams }) => streams.presence.snapshot(x.tenantId, x.id, 'TYPING') }),
    lastMessage: t.field({
      type: TicketMessage,
      nullable: true,
      description: 'The latest message (internal notes included for agents): the inbox row’s preview. One query for a whole page.',
      resolve: async (x, _a, ctx) => (await lastMessageLoader(ctx).load(x.id)) ?? null,
    }),
    unreadCount: t.int({
      nullable: true,
      description:
        'Messages the signed-in agent has not read: posted after their read marker (markTicketRead) by anyone else. Null for a service token. One query for a whole page.',
      resolve: (x, _a, ctx) => (ctx.viewer?.kind === 'user' ? unreadLoader(ctx, ctx.viewer.userId).load(x.id) : null),
    }),
  }),
});

const lastMessageLoader = (ctx: Context) =>
  batchLoader<string, StoredEvent | undefined>(ctx, `last-message:${seesInternal(ctx)}`, async (ids) => {
    const byTicket = await ctx.tickets.lastMessages([...ids], seesInternal(ctx));
    return ids.map((id) => byTicket.get(id));
  });

const unreadLoader = (ctx: Context, userId: string) =>
  batchLoader<string, number>(ctx, `unread:${userId}`, async (ids) => {
    const counts = await ctx.tickets.unreadCounts([...ids], userId);
    return ids.map((id) => counts.get(id) ?? 0);
  });

const TicketViewCounts = builder.objectRef<{ all: number; mine: number; unassigned: number; unread: number }>('TicketViewCounts').implement({
  description: 'Counters for the inbox’s views, for the signed-in agent',
  fields: (t) => ({
    all: t.exposeInt('all', { description: 'Every ticket' }),
    mine: t.exposeInt('mine', { description: 'Assigned to the agent' }),
    unassigned: t.exposeInt('unassigned', { description: 'Assigned to nobody' }),
    unread: t.exposeInt('unread', { description: 'Tickets with messages the agent has not read' }),
  }),
});

const CannedReply = builder.objectRef<CannedReplyRow>('CannedReply').implement({
  description: 'A saved answer the workspace’s agents insert into a reply by its shortcut',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Its id' }),
    shortcut: t.exposeString('shortcut', { description: 'What an agent types after "/" to pick it, e.g. "refund"' }),
    title: t.exposeString('title', { description: 'A name for the picker' }),
    body: t.exposeString('body', { description: 'The text inserted into the composer' }),
    createdBy: t.field({
      type: User,
      nullable: true,
      description: 'Who saved it (null once they left the workspace)',
      resolve: async (r, _a, { auth }) => (r.createdBy ? (await auth.userById(r.tenantId, r.createdBy)) ?? null : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was saved' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed' }),
  }),
});

const CannedReplyInput = builder.inputType('CannedReplyInput', {
  description: 'A canned reply’s shortcut, title and text',
  fields: (t) => ({
    shortcut: t.string({ required: true, description: '1–32 lower-case letters, digits, "-" or "_", unique in the workspace (a leading "/" is dropped)' }),
    title: t.string({ required: true, description: '1–200 characters' }),
    body: t.string({ required: true, description: 'The reply (as long as a ticket message may be)' }),
  }),
});

const TicketConnection = connection('Ticket', Ticket, (x) => String(x.number), 'tickets');

const TicketEvent = builder.objectRef<EventShape>('TicketEvent').implement({
  description: 'Something that happened on a ticket, as the ticketEvents subscription delivers it',
  fields: (t) => ({
    cursor: t.string({ nullable: true, description: 'Stored events only (TYPING and VIEWING are never stored): pass as `after` to resume', resolve: (e) => (e.seq === null ? null : String(e.seq)) }),
    kind: t.field({ type: TicketEventKind, description: 'What happened', resolve: (e) => e.kind }),
    ticketId: t.exposeID('ticketId', { description: 'The ticket it happened on' }),
    at: t.field({ type: 'DateTime', description: 'When it happened', resolve: (e) => e.at }),
    ticket: t.field({
      type: Ticket,
      description: 'The ticket as it is now',
      resolve: async (e, _a, { tickets }) => {
        const ticket = await tickets.get(e.tenantId, e.ticketId);
        if (!ticket) throw notFound('The ticket was deleted');
        return ticket;
      },
    }),
    message: t.field({ type: TicketMessage, nullable: true, description: 'MESSAGE_POSTED: the message; null for other kinds', resolve: (e) => (e.kind === 'MESSAGE_POSTED' ? (e as StoredEvent) : null) }),
    status: t.field({
      type: TicketStatus,
      nullable: true,
      description: 'STATUS_CHANGED: the new status',
      resolve: (e) => (e.kind === 'STATUS_CHANGED' ? ((e as StoredEvent).data as { to: TicketRow['status'] }).to : null),
    }),
    priority: t.field({
      type: TicketPriority,
      nullable: true,
      description: 'PRIORITY_CHANGED: the new priority',
      resolve: (e) => (e.kind === 'PRIORITY_CHANGED' ? ((e as StoredEvent).data as { to: TicketRow['priority'] }).to : null),
    }),
    assigneeId: t.id({
      nullable: true,
      description: 'ASSIGNED: the new assignee (null: unassigned)',
      resolve: (e) => (e.kind === 'ASSIGNED' ? ((e as StoredEvent).data as { to: string | null }).to : null),
    }),
    people: t.field({
      type: [Participant],
      description: 'TYPING: who is typing; VIEWING: who has the ticket open',
      resolve: (e) => ('people' in e ? e.people : []),
    }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, description: 'TYPING: when the indicator lapses unless renewed', resolve: (e) => ('expiresAt' in e && e.expiresAt ? new Date(e.expiresAt) : null) }),
  }),
});

const CreateTicketInput = builder.inputType('CreateTicketInput', {
  description: 'A new support ticket',
  fields: (t) => ({
    subject: t.string({ required: true, description: 'What it is about' }),
    customerName: t.string({ required: true, description: 'The customer’s name' }),
    customerEmail: t.string({ required: true, description: 'The customer’s email address' }),
    priority: t.field({ type: TicketPriority, description: 'How urgent (default NORMAL)' }),
    body: t.string({ description: 'The first message' }),
  }),
});

async function actorOf(ctx: Context): Promise<Actor> {
  const viewer = ctx.viewer!;
  if (viewer.kind === 'service') return { kind: 'CUSTOMER' };
  const user = await ctx.auth.userById(viewer.tenantId, viewer.userId);
  return { kind: 'AGENT', id: viewer.userId, name: user?.name ?? 'Agent' };
}

const agentOrWidget = { $any: { member: true, ticketsService: true } } as const;
const readerOrWidget = { $any: { user: true, ticketsService: true } } as const;

builder.queryFields((t) => ({
  tickets: t.field({
    type: TicketConnection,
    description: 'Newest first',
    authScopes: { user: true },
    args: {
      status: t.arg({ type: TicketStatus, description: 'Only tickets in this status' }),
      statuses: t.arg({ type: [TicketStatus], description: 'Any of these statuses (with `status`, either matches)' }),
      view: t.arg({ type: TicketView, defaultValue: 'ALL', description: 'ALL, MINE (assigned to you) or UNASSIGNED' }),
      assigneeId: t.arg.id({ description: 'Only tickets assigned to this person' }),
      search: t.arg.string({ description: 'Subject, customer name or email contains (case-insensitive)' }),
      first: t.arg.int({ defaultValue: 50, description: 'How many to return (a page)' }),
      after: t.arg.string({ description: 'Continue after this edge cursor (the previous page’s endCursor)' }),
    },
    resolve: async (_r, args, { viewer, tickets }) => {
      const page = await tickets.list(viewer!.tenantId, {
        status: [...(args.status ? [args.status] : []), ...(args.statuses ?? [])],
        view: args.view ?? 'ALL',
        viewerId: viewer?.kind === 'user' ? viewer.userId : null,
        assigneeId: args.assigneeId ? String(args.assigneeId) : undefined,
        search: args.search ?? undefined,
        first: args.first ?? 50,
        after: args.after ?? undefined,
      });
      return { nodes: page.tickets, hasNextPage: page.hasNextPage, hasPreviousPage: page.hasPreviousPage };
    },
  }),
  ticket: t.field({
    type: Ticket,
    nullable: true,
    authScopes: readerOrWidget,
    description: 'One ticket; null with NOT_FOUND when your tenant has none with this id',
    args: { id: t.arg.id({ required: true, description: 'The ticket’s id' }) },
    resolve: async (_r, { id }, { viewer, tickets }) => found(await tickets.get(viewer!.tenantId, String(id)), 'No such ticket'),
  }),
  ticketViewCounts: t.withAuth({ user: true }).field({
    type: TicketViewCounts,
    description: 'How many tickets each inbox view holds for you, and how many have unread messages',
    args: { statuses: t.arg({ type: [TicketStatus], description: 'Count only tickets in these statuses (default: all)' }) },
    resolve: (_r, { statuses }, { viewer, tickets }) => tickets.viewCounts(viewer.tenantId, viewer.userId, statuses ?? []),
  }),
  cannedReplies: t.withAuth({ user: true }).field({
    type: [CannedReply],
    description: 'The workspace’s canned replies, by shortcut',
    args: { search: t.arg.string({ description: 'Shortcut starts with, or title or text contains (case-insensitive)' }) },
    resolve: (_r, { search }, { viewer, cannedReplies }) => cannedReplies.list(viewer.tenantId, search ?? undefined),
  }),
}));

builder.mutationFields((t) => ({
  createTicket: t.field({
    type: Ticket,
    description: 'Opens a ticket: an agent (ADMIN or MEMBER) for a customer, or the support widget’s service token',
    authScopes: agentOrWidget,
    args: { input: t.arg({ type: CreateTicketInput, required: true, description: 'The ticket and its first message' }) },
    resolve: async (_r, { input }, ctx) => ctx.tickets.create(ctx.viewer!.tenantId, input, await actorOf(ctx)),
  }),
  postTicketMessage: t.field({
    type: TicketMessage,
    description: 'An agent’s reply or internal note, or — with a service token — the customer’s reply',
    authScopes: agentOrWidget,
    args: {
      ticketId: t.arg.id({ required: true, description: 'The ticket to post on' }),
      body: t.arg.string({ required: true, description: 'The text (at most TICKET_MAX_BODY_CHARS characters)' }),
      internal: t.arg.boolean({ defaultValue: false, description: 'An internal note: agents see it, the customer never does' }),
    },
    resolve: async (_r, { ticketId, body, internal }, ctx) =>
      ctx.tickets.post(ctx.viewer!.tenantId, String(ticketId), body, internal ?? false, await actorOf(ctx)),
  }),
  updateTicket: t.withAuth({ member: true }).field({
    type: Ticket,
    description: 'Changes a ticket’s status, priority or assignee; omitted arguments stay as they are (ADMIN or MEMBER)',
    args: {
      id: t.arg.id({ required: true, description: 'The ticket’s id' }),
      status: t.arg({ type: TicketStatus, description: 'The new status' }),
      priority: t.arg({ type: TicketPriority, description: 'The new priority' }),
      assigneeId: t.arg.id({ description: 'Assign it to this person' }),
      unassign: t.arg.boolean({ defaultValue: false, description: 'Assign it to nobody' }),
    },
    resolve: async (_r, args, ctx) =>
      ctx.tickets.update(
        ctx.viewer.tenantId,
        String(args.id),
        { status: args.status, priority: args.priority, assigneeId: args.assigneeId ? String(args.assigneeId) : undefined },
        await actorOf(ctx),
        args.unassign ?? false,
      ),
  }),
  markTicketRead: t.withAuth({ user: true }).field({
    type: Ticket,
    description: 'Moves your read marker on a ticket (to its latest message, or to `through`); it never moves back. unreadCount counts from it.',
    args: {
      ticketId: t.arg.id({ required: true, description: 'The ticket' }),
      through: t.arg.string({ description: 'A message cursor: read up to and including it (default: everything)' }),
    },
    resolve: (_r, { ticketId, through }, { viewer, tickets }) =>
      tickets.markRead(viewer.tenantId, String(ticketId), viewer.userId, through ? parseCursor(through, 'through') : undefined),
  }),
  createCannedReply: t.withAuth({ member: true }).field({
    type: CannedReply,
    description: 'Saves a canned reply for the workspace',
    args: { input: t.arg({ type: CannedReplyInput, required: true, description: 'Its shortcut, title and text' }) },
    resolve: (_r, { input }, { viewer, cannedReplies }) => cannedReplies.create(viewer.tenantId, viewer.userId, input),
  }),
  updateCannedReply: t.withAuth({ member: true }).field({
    type: CannedReply,
    description: 'Replaces a canned reply’s shortcut, title and text',
    args: {
      id: t.arg.id({ required: true, description: 'The reply' }),
      input: t.arg({ type: CannedReplyInput, required: true, description: 'Its new shortcut, title and text' }),
    },
    resolve: (_r, { id, input }, { viewer, cannedReplies }) => cannedReplies.update(viewer.tenantId, String(id), input),
  }),
  deleteCannedReply: t.withAuth({ member: true }).field({
    type: 'Boolean',
    description: 'Deletes a canned reply',
    args: { id: t.arg.id({ required: true, description: 'The reply' }) },
    resolve: async (_r, { id }, { viewer, cannedReplies }) => (await cannedReplies.remove(viewer.tenantId, String(id)), true),
  }),
  setTyping: t.field({
    type: 'DateTime',
    description: 'Shows a typing indicator on the ticket until the returned time (call again to extend)',
    authScopes: agentOrWidget,
    args: { ticketId: t.arg.id({ required: true, description: 'The ticket being answered' }) },
    resolve: async (_r, { ticketId }, ctx) => {
      const ticket = await ctx.tickets.get(ctx.viewer!.tenantId, String(ticketId));
      if (!ticket) throw notFound('No such ticket');
      const actor = await actorOf(ctx);
      const who: Who = actor.kind === 'AGENT' ? actor : { id: `customer:${ticket.id}`, name: ticket.customerName, kind: 'CUSTOMER' };
      return new Date(await ctx.streams.presence.typing(ticket.tenantId, ticket.id, who));
    },
  }),
}));

builder.subscriptionField('ticketEvents', (t) =>
  t.field({
    type: TicketEvent,
    description: 'One ticket’s events, or every ticket’s (the inbox) without ticketId. With `after`, stored events after that cursor first.',
    authScopes: readerOrWidget,
    args: {
      ticketId: t.arg.id({ description: 'One ticket; omit for every ticket of the tenant' }),
      after: t.arg.string({ description: 'Replay the stored events after this cursor (or the SSE Last-Event-ID) first, then go live' }),
    },
    extensions: { [EVENT_ID]: eventCursor },
    subscribe: async (_r, args, ctx) => {
      const tenantId = ctx.viewer!.tenantId;
      const ticketId = args.ticketId ? String(args.ticketId) : undefined;
      if (ticketId && !(await ctx.tickets.get(tenantId, ticketId))) throw notFound('No such ticket');
      const actor = await actorOf(ctx);
      return ctx.streams.ticketEvents({
        tenantId,
        signal: ctx.signal,
        ticketId,
        after: resumeCursor(args.after, ctx.lastEventId),
        includeInternal: seesInternal(ctx),
        viewer: actor.kind === 'AGENT' ? actor : undefined,
        onOverflow: () => ctx.metrics.dropped(tenantId, 'slow_consumer'),
      });
    },
    resolve: (event) => {
      // a stream that fell behind ends with SLOW_CONSUMER (and the cursor to resume after)
      if (event instanceof DomainError) throw event;
      return event;
    },
  }),
);
