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

const TicketStatus = builder.enumType('TicketStatus', { values: ['OPEN', 'PENDING', 'RESOLVED', 'CLOSED'] as const });
const TicketPriority = builder.enumType('TicketPriority', { values: ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const });
const AuthorKind = builder.enumType('AuthorKind', { values: ['AGENT', 'CUSTOMER'] as const });
const TicketEventKind = builder.enumType('TicketEventKind', {
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
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.field({ type: AuthorKind, resolve: (w) => w.kind }),
  }),
});

const TicketMessage = builder.objectRef<StoredEvent>('TicketMessage').implement({
  fields: (t) => ({
    id: t.id({ resolve: (m) => String(m.seq) }),
    cursor: t.string({ resolve: (m) => String(m.seq) }),
    authorKind: t.field({ type: AuthorKind, resolve: (m) => m.authorKind ?? 'CUSTOMER' }),
    authorId: t.id({ nullable: true, resolve: (m) => m.authorId }),
    authorName: t.string({ resolve: (m) => m.authorName ?? '' }),
    body: t.string({ resolve: (m) => m.body ?? '' }),
    internal: t.exposeBoolean('internal', { description: 'Internal notes are visible to members only' }),
    createdAt: t.field({ type: 'DateTime', resolve: (m) => m.at }),
  }),
});

const TicketMessageConnection = connection('TicketMessage', TicketMessage, (m) => String(m.seq));

/** People see internal notes; a customer (service token) never does. */
const seesInternal = (ctx: Context) => ctx.viewer?.kind === 'user';

export const Ticket = builder.objectRef<TicketRow>('Ticket').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    number: t.exposeInt('number'),
    subject: t.exposeString('subject'),
    status: t.field({ type: TicketStatus, resolve: (x) => x.status }),
    priority: t.field({ type: TicketPriority, resolve: (x) => x.priority }),
    customer: t.field({
      type: builder.objectRef<{ name: string; email: string }>('Customer').implement({
        fields: (c) => ({ name: c.exposeString('name'), email: c.exposeString('email') }),
      }),
      resolve: (x) => ({ name: x.customerName, email: x.customerEmail }),
    }),
    assignee: t.field({
      type: User,
      nullable: true,
      resolve: async (x, _a, { auth }) => (x.assigneeId ? (await auth.userById(x.tenantId, x.assigneeId)) ?? null : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    messages: t.field({
      type: TicketMessageConnection,
      description: 'The conversation, oldest first; page back with `before`',
      args: { last: t.arg.int({ defaultValue: 50 }), before: t.arg.string() },
      resolve: async (x, { last, before }, ctx) => {
        const page = await ctx.tickets.messages(x.id, { last: last ?? 50, before: before ? parseCursor(before, 'before') : undefined, includeInternal: seesInternal(ctx) });
        return { nodes: page.messages, hasPreviousPage: page.hasPreviousPage, hasNextPage: false };
      },
    }),
    typing: t.field({ type: [Participant], description: 'Who is typing right now', resolve: (x, _a, { streams }) => streams.presence.snapshot(x.tenantId, x.id, 'TYPING') }),
  }),
});

const TicketConnection = connection('Ticket', Ticket, (x) => String(x.number));

const TicketEvent = builder.objectRef<EventShape>('TicketEvent').implement({
  fields: (t) => ({
    cursor: t.string({ nullable: true, description: 'Stored events only (TYPING and VIEWING are never stored): pass as `after` to resume', resolve: (e) => (e.seq === null ? null : String(e.seq)) }),
    kind: t.field({ type: TicketEventKind, resolve: (e) => e.kind }),
    ticketId: t.exposeID('ticketId'),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    ticket: t.field({
      type: Ticket,
      description: 'The ticket as it is now',
      resolve: async (e, _a, { tickets }) => {
        const ticket = await tickets.get(e.tenantId, e.ticketId);
        if (!ticket) throw notFound('The ticket was deleted');
        return ticket;
      },
    }),
    message: t.field({ type: TicketMessage, nullable: true, resolve: (e) => (e.kind === 'MESSAGE_POSTED' ? (e as StoredEvent) : null) }),
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
  fields: (t) => ({
    subject: t.string({ required: true }),
    customerName: t.string({ required: true }),
    customerEmail: t.string({ required: true }),
    priority: t.field({ type: TicketPriority }),
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
      status: t.arg({ type: TicketStatus }),
      assigneeId: t.arg.id(),
      search: t.arg.string({ description: 'Subject, customer name or email contains (case-insensitive)' }),
      first: t.arg.int({ defaultValue: 50 }),
      after: t.arg.string(),
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
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, { viewer, tickets }) => found(await tickets.get(viewer!.tenantId, String(id)), 'No such ticket'),
  }),
}));

builder.mutationFields((t) => ({
  createTicket: t.field({
    type: Ticket,
    authScopes: agentOrWidget,
    args: { input: t.arg({ type: CreateTicketInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ctx.tickets.create(ctx.viewer!.tenantId, input, await actorOf(ctx)),
  }),
  postTicketMessage: t.field({
    type: TicketMessage,
    description: 'An agent’s reply or internal note, or — with a service token — the customer’s reply',
    authScopes: agentOrWidget,
    args: { ticketId: t.arg.id({ required: true }), body: t.arg.string({ required: true }), internal: t.arg.boolean({ defaultValue: false }) },
    resolve: async (_r, { ticketId, body, internal }, ctx) =>
      ctx.tickets.post(ctx.viewer!.tenantId, String(ticketId), body, internal ?? false, await actorOf(ctx)),
  }),
  updateTicket: t.withAuth({ member: true }).field({
    type: Ticket,
    args: {
      id: t.arg.id({ required: true }),
      status: t.arg({ type: TicketStatus }),
      priority: t.arg({ type: TicketPriority }),
      assigneeId: t.arg.id(),
      unassign: t.arg.boolean({ defaultValue: false }),
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
    args: { ticketId: t.arg.id({ required: true }) },
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
    args: { ticketId: t.arg.id(), after: t.arg.string() },
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
