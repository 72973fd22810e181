import { and, asc, desc, eq, gt, ilike, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { afterCommitPublishFailed } from '../../bus/index.js';
import { topics, type TicketEvent } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { escapeLike } from '../../db/escape-like.js';
import { ticketEvents, ticketReads, tickets, users, type TicketEventRow, type TicketRow } from '../../db/schema.js';
import { isUuid } from '../auth/auth.js';
import { badInput, notFound, nullIfNotFound } from '../shared/errors.js';
import { streamHead, takeCursor } from '../shared/stream-heads.js';

export type TicketStatus = TicketRow['status'];
export type TicketPriority = TicketRow['priority'];
/** Inbox views: every ticket, the agent's own, or nobody's yet. */
export type TicketView = 'ALL' | 'MINE' | 'UNASSIGNED';

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

/** A ticket_events row as raw SQL returns it (snake_case), typed like Drizzle's. */
function rowOf(r: Record<string, unknown>): TicketEventRow {
  return {
    tenantId: r.tenant_id as string,
    seq: Number(r.seq),
    ticketId: r.ticket_id as string,
    kind: r.kind as TicketEventRow['kind'],
    authorKind: (r.author_kind as TicketEventRow['authorKind']) ?? null,
    authorId: (r.author_id as string | null) ?? null,
    authorName: (r.author_name as string | null) ?? null,
    body: (r.body as string | null) ?? null,
    internal: Boolean(r.internal),
    data: r.data ?? null,
    at: new Date(r.at as string),
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
    for (const event of events) await bus.publish(tenantId, topics.tickets(), event).catch(afterCommitPublishFailed);
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

    get: (tenantId: string, id: string) => owned(db, tenantId, id).catch(nullIfNotFound),

    /**
     * Newest first. `view`: MINE (assigned to `viewerId`), UNASSIGNED or ALL; `status` and
     * `statuses` narrow it (either matches).
     */
    async list(
      tenantId: string,
      args: { status?: TicketStatus[]; assigneeId?: string; view?: TicketView; viewerId?: string | null; search?: string; first: number; after?: string },
    ) {
      if (args.first < 1 || args.first > 200) throw badInput('first must be between 1 and 200', 'first');
      const conditions: SQL[] = [eq(tickets.tenantId, tenantId)];
      if (args.status?.length) conditions.push(inArray(tickets.status, args.status));
      if (args.view === 'MINE') {
        if (!args.viewerId) throw badInput('The MINE view is for people: a service token has no tickets of its own', 'view');
        conditions.push(eq(tickets.assigneeId, args.viewerId));
      }
      if (args.view === 'UNASSIGNED') conditions.push(isNull(tickets.assigneeId));
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

    /**
     * Tickets per inbox view for one agent, within `status` (all statuses when empty): the
     * counters beside Mine / Unassigned / All, and how many hold messages the agent has not read.
     */
    async viewCounts(tenantId: string, userId: string, status: TicketStatus[]) {
      const result = (await db.execute(sql`
        select count(*)::int as all, (count(*) filter (where t.assignee_id = ${userId}))::int as mine,
          (count(*) filter (where t.assignee_id is null))::int as unassigned,
          (count(*) filter (where exists (
            select 1 from ticket_events e where e.ticket_id = t.id and e.kind = 'MESSAGE_POSTED'
              and e.seq > coalesce(r.last_read_seq, 0) and e.author_id is distinct from ${userId})))::int as unread
        from tickets t left join ticket_reads r on r.ticket_id = t.id and r.user_id = ${userId}
        where t.tenant_id = ${tenantId} ${status.length ? sql`and t.status in (${sql.join(status.map((s) => sql`${s}`), sql`, `)})` : sql``}
      `)) as unknown as { rows: { all: number; mine: number; unassigned: number; unread: number }[] };
      const row = result.rows[0]!;
      return { all: Number(row.all), mine: Number(row.mine), unassigned: Number(row.unassigned), unread: Number(row.unread) };
    },

    /** The latest message of each ticket (internal notes only when `includeInternal`), one query for a page. */
    async lastMessages(ticketIds: string[], includeInternal: boolean): Promise<Map<string, TicketEvent>> {
      if (ticketIds.length === 0) return new Map();
      const result = (await db.execute(sql`
        select e.* from unnest(array[${sql.join(ticketIds.map((id) => sql`${id}::uuid`), sql`, `)}]) as t(id)
        cross join lateral (
          select * from ticket_events where ticket_id = t.id and kind = 'MESSAGE_POSTED' ${includeInternal ? sql`` : sql`and not internal`}
          order by seq desc limit 1
        ) e
      `)) as unknown as { rows: Record<string, unknown>[] };
      return new Map(result.rows.map((r) => [r.ticket_id as string, toTicketEvent(rowOf(r))]));
    },

    /**
     * Messages of each ticket posted after the agent's read marker by anyone else (customer,
     * teammates, their internal notes): one query for a page.
     */
    async unreadCounts(ticketIds: string[], userId: string): Promise<Map<string, number>> {
      if (ticketIds.length === 0) return new Map();
      const result = (await db.execute(sql`
        select t.id, (select count(*) from ticket_events e where e.ticket_id = t.id and e.kind = 'MESSAGE_POSTED'
            and e.seq > coalesce(r.last_read_seq, 0) and e.author_id is distinct from ${userId})::int as unread
        from unnest(array[${sql.join(ticketIds.map((id) => sql`${id}::uuid`), sql`, `)}]) as t(id)
        left join ticket_reads r on r.ticket_id = t.id and r.user_id = ${userId}
      `)) as unknown as { rows: { id: string; unread: number }[] };
      return new Map(result.rows.map((r) => [r.id, Number(r.unread)]));
    },

    /**
     * Moves the agent's read marker on a ticket to `through` (a message cursor) or to its latest
     * event; it never moves back, so a late call from an old tab changes nothing.
     */
    async markRead(tenantId: string, ticketId: string, userId: string, through?: number): Promise<TicketRow> {
      const ticket = await owned(db, tenantId, ticketId);
      const [latest] = await db.select({ seq: sql<number>`coalesce(max(${ticketEvents.seq}), 0)` }).from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId));
      const head = Number(latest?.seq ?? 0);
      if (through !== undefined && through > head) throw badInput('through is past the ticket’s latest message', 'through');
      const seq = through ?? head;
      await db
        .insert(ticketReads)
        .values({ ticketId, userId, tenantId, lastReadSeq: seq })
        .onConflictDoUpdate({
          target: [ticketReads.ticketId, ticketReads.userId],
          set: { lastReadSeq: sql`greatest(${ticketReads.lastReadSeq}, excluded.last_read_seq)`, readAt: sql`now()` },
        });
      return ticket;
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
