import type { TicketEvent as StoredEvent, TicketPresence } from '../bus/topics.js';
import type { TicketRow } from '../db/schema.js';
import type { Context } from '../context.js';
import { EVENT_ID } from '../plugins/use-shared-execution.js';
import type { TicketStreamEvent } from '../streams/streams.js';
import { eventCursor, resumeCursor } from '../streams/resume.js';
import { DomainError, found, notFound } from '../domain/shared/errors.js';
import { parseCursor } from '../domain/shared/cursor.js';
import type { Actor } from '../domain/tickets/tickets.js';
import { User } from './auth.js';
import { builder } from './builder.js';
import { connection } from './pagination.js';

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
    assignee: t.field({
      type: User,
      nullable: true,
      description: 'The agent it is assigned to; null when nobody',
      resolve: async (x, _a, { auth }) => (x.assigneeId ? (await auth.userById(x.tenantId, x.assigneeId)) ?? null : null),
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
      assigneeId: t.arg.id({ description: 'Only tickets assigned to this person' }),
      search: t.arg.string({ description: 'Subject, customer name or email contains (case-insensitive)' }),
      first: t.arg.int({ defaultValue: 50, description: 'How many to return (a page)' }),
      after: t.arg.string({ description: 'Continue after this edge cursor (the previous page’s endCursor)' }),
    },
    resolve: async (_r, args, { viewer, tickets }) => {
      const page = await tickets.list(viewer!.tenantId, {
        status: args.status ?? undefined,
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
