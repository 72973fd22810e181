import { and, asc, desc, eq, gt, ilike, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { topics, type TicketEvent } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { escapeLike } from '../../db/escape-like.js';
import { ticketEvents, tickets, users, type TicketEventRow, type TicketRow } from '../../db/schema.js';
import { isUuid } from '../auth/auth.js';
import { badInput, notFound } from '../shared/errors.js';
import { streamHead, takeCursor } from '../shared/stream-heads.js';

export type TicketStatus = TicketRow['status'];
export type TicketPriority = TicketRow['priority'];

/** Who acts: an agent (a person of the tenant) or the customer (through a service token). */
export type Actor = { kind: 'AGENT'; id: string; name: string } | { kind: 'CUSTOMER' };

export interface CreateTicketInput {
  subject: string;
  customerName: string;
  customerEmail: string;
  priority?: TicketPriority | null;
  body?: string | null;
}

export interface TicketLimits {
  /** @default 10000 */
  maxBodyChars?: number;
}

export type Tickets = ReturnType<typeof createTickets>;

export function toTicketEvent(row: TicketEventRow): TicketEvent {
  return {
    seq: row.seq,
    ticketId: row.ticketId,
    kind: row.kind,
    authorKind: row.authorKind,
    authorId: row.authorId,
    authorName: row.authorName,
    body: row.body,
    internal: row.internal,
    data: row.data,
    at: row.at.toISOString(),
  };
}


/** Support tickets and their conversation: the rules, free of GraphQL. */
export function createTickets({ db, bus, limits = {} }: { db: Database; bus: Bus; limits?: TicketLimits }) {
  const { maxBodyChars = 10_000 } = limits;

  function parseBody(body: string): string {
    const trimmed = body.trim();
    if (!trimmed) throw badInput('body must not be empty', 'body');
    if (body.length > maxBodyChars) throw badInput(`body must be at most ${maxBodyChars} characters`, 'body');
    return body;
  }

  async function owned(tx: Database, tenantId: string, id: string, lock = false): Promise<TicketRow> {
    if (!isUuid(id)) throw notFound('No such ticket');
    const query = tx.select().from(tickets).where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, id)));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) throw notFound('No such ticket');
    return row;
  }

  async function append(tx: Database, ticket: TicketRow, event: Omit<typeof ticketEvents.$inferInsert, 'tenantId' | 'seq' | 'ticketId'>) {
    const seq = await takeCursor(tx, ticket.tenantId, 'tickets');
    const [row] = await tx.insert(ticketEvents).values({ ...event, tenantId: ticket.tenantId, ticketId: ticket.id, seq }).returning();
    await tx.update(tickets).set({ updatedAt: sql`now()` }).where(eq(tickets.id, ticket.id));
    return toTicketEvent(row!);
  }

  async function publish(tenantId: string, events: TicketEvent[]) {
    for (const event of events) await bus.publish(tenantId, topics.tickets(), event).catch(() => {});
  }

  const authorOf = (ticket: TicketRow, actor: Actor) =>
    actor.kind === 'AGENT'
      ? { authorKind: 'AGENT' as const, authorId: actor.id, authorName: actor.name }
      : { authorKind: 'CUSTOMER' as const, authorId: null, authorName: ticket.customerName };

  return {
    async create(tenantId: string, input: CreateTicketInput, actor: Actor): Promise<TicketRow> {
      const subject = input.subject.trim();
      if (!subject || subject.length > 300) throw badInput('subject must be 1–300 characters', 'subject');
      const customerName = input.customerName.trim();
      if (!customerName || customerName.length > 200) throw badInput('customerName must be 1–200 characters', 'customerName');
      const customerEmail = input.customerEmail.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customerEmail)) throw badInput('Invalid customerEmail', 'customerEmail');
      const body = input.body ? parseBody(input.body) : null;
      const { ticket, events } = await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Database;
        const number = await takeCursor(tx, tenantId, 'ticket-numbers');
        const [ticket] = await tx
          .insert(tickets)
          .values({ tenantId, number, subject, customerName, customerEmail, priority: input.priority ?? 'NORMAL' })
          .returning();
        const events = [await append(tx, ticket!, { kind: 'CREATED' })];
        if (body) events.push(await append(tx, ticket!, { kind: 'MESSAGE_POSTED', body, internal: false, ...authorOf(ticket!, actor) }));
        return { ticket: ticket!, events };
      });
      await publish(tenantId, events);
      return ticket;
    },

    async post(tenantId: string, ticketId: string, bodyInput: string, internal: boolean, actor: Actor): Promise<TicketEvent> {
      const body = parseBody(bodyInput);
      if (internal && actor.kind === 'CUSTOMER') throw badInput('Customers cannot post internal notes', 'internal');
      const event = await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Database;
        const ticket = await owned(tx, tenantId, ticketId, true);
        return append(tx, ticket, { kind: 'MESSAGE_POSTED', body, internal, ...authorOf(ticket, actor) });
      });
      await publish(tenantId, [event]);
      return event;
    },

    async update(
      tenantId: string,
      id: string,
      changes: { status?: TicketStatus | null; priority?: TicketPriority | null; assigneeId?: string | null },
      actor: Actor,
      unassign = false,
    ): Promise<TicketRow> {
      const { ticket, events } = await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Database;
        const current = await owned(tx, tenantId, id, true);
        const events: TicketEvent[] = [];
        const set: Partial<TicketRow> = {};
        const by = actor.kind === 'AGENT' ? { id: actor.id, name: actor.name } : { id: null, name: current.customerName };
        if (changes.status && changes.status !== current.status) {
          set.status = changes.status;
          events.push(await append(tx, current, { kind: 'STATUS_CHANGED', data: { from: current.status, to: changes.status, by } }));
        }
        if (changes.priority && changes.priority !== current.priority) {
          set.priority = changes.priority;
          // other agents' screens show the priority too: it travels like status and assignee
          events.push(await append(tx, current, { kind: 'PRIORITY_CHANGED', data: { from: current.priority, to: changes.priority, by } }));
        }
        const assigneeId = unassign ? null : changes.assigneeId;
        if (assigneeId !== undefined && assigneeId !== current.assigneeId) {
          if (assigneeId) {
            if (!isUuid(assigneeId)) throw badInput('No such member to assign', 'assigneeId');
            const [member] = await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, assigneeId)));
            if (!member) throw badInput('No such member to assign', 'assigneeId');
          }
          set.assigneeId = assigneeId;
          events.push(await append(tx, current, { kind: 'ASSIGNED', data: { from: current.assigneeId, to: assigneeId, by } }));
        }
        const [ticket] = Object.keys(set).length ? await tx.update(tickets).set(set).where(eq(tickets.id, id)).returning() : [current];
        return { ticket: ticket!, events };
      });
      await publish(tenantId, events);
      return ticket;
    },

    get: (tenantId: string, id: string) => owned(db, tenantId, id).catch(() => null),

    async list(tenantId: string, args: { status?: TicketStatus; assigneeId?: string; search?: string; first: number; after?: string }) {
      if (args.first < 1 || args.first > 200) throw badInput('first must be between 1 and 200', 'first');
      const conditions: SQL[] = [eq(tickets.tenantId, tenantId)];
      if (args.status) conditions.push(eq(tickets.status, args.status));
      if (args.assigneeId) {
        if (!isUuid(args.assigneeId)) return { tickets: [], hasNextPage: false, hasPreviousPage: false };
        conditions.push(eq(tickets.assigneeId, args.assigneeId));
      }
      if (args.search) {
        const pattern = `%${escapeLike(args.search)}%`;
        conditions.push(or(ilike(tickets.subject, pattern), ilike(tickets.customerName, pattern), ilike(tickets.customerEmail, pattern))!);
      }
      if (args.after !== undefined) {
        if (!/^\d{1,15}$/.test(args.after)) throw badInput('Invalid cursor: use an edge cursor from tickets', 'after');
        conditions.push(lt(tickets.number, Number(args.after)));
      }
      const rows = await db.select().from(tickets).where(and(...conditions)).orderBy(desc(tickets.number)).limit(args.first + 1);
      return { tickets: rows.slice(0, args.first), hasNextPage: rows.length > args.first, hasPreviousPage: args.after !== undefined };
    },

    /** The conversation, oldest first; customers never see internal notes. */
    async messages(ticketId: string, { last, before, includeInternal }: { last: number; before?: number; includeInternal: boolean }) {
      if (last < 1 || last > 500) throw badInput('last must be between 1 and 500', 'last');
      const conditions: SQL[] = [eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.kind, 'MESSAGE_POSTED')];
      if (!includeInternal) conditions.push(eq(ticketEvents.internal, false));
      if (before !== undefined) conditions.push(lt(ticketEvents.seq, before));
      const rows = await db.select().from(ticketEvents).where(and(...conditions)).orderBy(desc(ticketEvents.seq)).limit(last + 1);
      return { messages: rows.slice(0, last).reverse().map(toTicketEvent), hasPreviousPage: rows.length > last };
    },

    head: (tenantId: string) => streamHead(db, tenantId, 'tickets'),

    /** Stored events with after < seq <= through, in cursor order, at most `limit`. */
    async range(tenantId: string, after: number, through: number, limit = 1_000): Promise<TicketEvent[]> {
      const rows = await db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.tenantId, tenantId), gt(ticketEvents.seq, after), lte(ticketEvents.seq, through)))
        .orderBy(asc(ticketEvents.seq))
        .limit(limit);
      return rows.map(toTicketEvent);
    },
  };
}
