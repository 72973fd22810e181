import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { PageHeader } from '../components/ui/PageHeader';
import { Empty, ErrorNote, Loading, QueryState } from '../components/ui/States';
import { graphql } from '../gql';
import type { TicketPriority, TicketStatus } from '../gql/graphql';
import { ago, useNow } from '../lib/time';

const InboxQuery = graphql(/* GraphQL */ `
  query Inbox($status: TicketStatus, $search: String) {
    tickets(status: $status, search: $search, first: 100) {
      edges {
        node {
          id
          number
          subject
          status
          priority
          updatedAt
          customer {
            name
          }
          assignee {
            name
          }
        }
      }
    }
  }
`);

const InboxEvents = graphql(/* GraphQL */ `
  subscription InboxEvents {
    ticketEvents {
      cursor
      kind
      ticketId
    }
  }
`);

const TicketQuery = graphql(/* GraphQL */ `
  query Ticket($id: ID!) {
    ticket(id: $id) {
      id
      number
      subject
      status
      priority
      customer {
        name
        email
      }
      assignee {
        id
      }
      messages(last: 200) {
        edges {
          node {
            cursor
            authorKind
            authorId
            authorName
            body
            internal
            createdAt
          }
        }
      }
    }
    members {
      id
      name
    }
  }
`);

const TicketEvents = graphql(/* GraphQL */ `
  subscription TicketEvents($ticketId: ID!, $after: String) {
    ticketEvents(ticketId: $ticketId, after: $after) {
      cursor
      kind
      status
      priority
      assigneeId
      expiresAt
      people {
        id
        name
      }
      message {
        cursor
        authorKind
        authorId
        authorName
        body
        internal
        createdAt
      }
    }
  }
`);

const PostMessage = graphql(/* GraphQL */ `
  mutation PostTicketMessage($ticketId: ID!, $body: String!, $internal: Boolean) {
    postTicketMessage(ticketId: $ticketId, body: $body, internal: $internal) {
      cursor
    }
  }
`);

const SetTyping = graphql(/* GraphQL */ `
  mutation SetTyping($ticketId: ID!) {
    setTyping(ticketId: $ticketId)
  }
`);

const UpdateTicket = graphql(/* GraphQL */ `
  mutation UpdateTicket($id: ID!, $status: TicketStatus, $priority: TicketPriority, $assigneeId: ID, $unassign: Boolean) {
    updateTicket(id: $id, status: $status, priority: $priority, assigneeId: $assigneeId, unassign: $unassign) {
      id
      status
      priority
      assignee {
        id
      }
    }
  }
`);

export function TicketsPage({ path, viewerId }: { path: string; viewerId: string | null }) {
  const id = path.split('/')[2];
  return (
    <div className="split">
      <Inbox selected={id} />
      {id ? <TicketView key={id} id={id} viewerId={viewerId} /> : <Empty title="Pick a ticket.">Its conversation opens here, live.</Empty>}
    </div>
  );
}

function Inbox({ selected }: { selected?: string }) {
  const now = useNow(5_000);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<TicketStatus | ''>('');
  const [result, refetch] = useQuery({ query: InboxQuery, variables: { status: status || null, search: search || null }, requestPolicy: 'cache-and-network' });
  useSubscription({ query: InboxEvents }, (_p, event) => {
    if (event.ticketEvents.cursor) refetch({ requestPolicy: 'network-only' });
    return event;
  });
  return (
    <section aria-label="Inbox">
      <PageHeader title="Tickets" />
      <div className="row" style={{ marginBottom: 8 }}>
        <input className="grow" type="search" aria-label="Search tickets" placeholder="search…" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select aria-label="Ticket status" value={status} onChange={(e) => setStatus(e.target.value as TicketStatus | '')}>
          <option value="">all</option>
          <option>OPEN</option>
          <option>PENDING</option>
          <option>RESOLVED</option>
          <option>CLOSED</option>
        </select>
      </div>
      <QueryState result={result} label="Loading tickets…">
        {(data) =>
          data.tickets.edges.length === 0 ? (
            <Empty title="No tickets.">A support widget opens them with a service token (see the README).</Empty>
          ) : (
            <ul className="inbox-list">
              {data.tickets.edges.map(({ node: t }) => (
                <li key={t.id} data-ticket={t.subject}>
                  <a href={`#/tickets/${t.id}`} aria-current={t.id === selected ? 'page' : undefined}>
                    <span style={{ minWidth: 0 }}>
                      <span className="muted">#{t.number}</span> {t.subject}
                      <span className="muted" style={{ display: 'block' }}>
                        {t.customer.name} · {t.assignee?.name ?? 'unassigned'} · {ago(t.updatedAt, now)}
                      </span>
                    </span>
                    <span className={`badge ${t.status}`}>{t.status}</span>
                  </a>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

type Message = { cursor: string; authorKind: string; authorId?: string | null; authorName: string; body: string; internal: boolean; createdAt: string };
type Person = { id: string; name: string };

/** The fields other agents change while you look: kept live from the ticket's events. */
type Fields = { status: TicketStatus; priority: TicketPriority; assigneeId: string };

function TicketView({ id, viewerId }: { id: string; viewerId: string | null }) {
  const now = useNow(500);
  const [{ data, error: loadError }] = useQuery({ query: TicketQuery, variables: { id }, requestPolicy: 'network-only' });
  const [messages, setMessages] = useState<Message[]>([]);
  const [after, setAfter] = useState<string | null | undefined>(undefined);
  const [typing, setTyping] = useState<{ people: Person[]; until: number }>({ people: [], until: 0 });
  const [viewers, setViewers] = useState<string[]>([]);
  const [fields, setFields] = useState<Fields | null>(null);
  const [draft, setDraft] = useState('');
  const [internal, setInternal] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, post] = useMutation(PostMessage);
  const [, ping] = useMutation(SetTyping);
  const [, update] = useMutation(UpdateTicket);
  const lastPing = useRef(0);
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!data?.ticket) return;
    const loaded = data.ticket.messages.edges.map((e) => e.node);
    setMessages(loaded);
    setFields({ status: data.ticket.status, priority: data.ticket.priority, assigneeId: data.ticket.assignee?.id ?? '' });
    // live from the last message loaded: nothing between the query and the stream is lost
    // (a ticket always has its CREATED event, so there is a cursor to start from)
    setAfter(loaded.at(-1)?.cursor ?? null);
  }, [data]);

  useSubscription({ query: TicketEvents, variables: { ticketId: id, after: after ?? null }, pause: after === undefined }, (_p, result) => {
    const event = result.ticketEvents;
    if (event.kind === 'MESSAGE_POSTED' && event.message) {
      const message = event.message;
      setMessages((current) => (current.some((m) => m.cursor === message.cursor) ? current : [...current, message]));
      // whoever just sent has stopped typing, whatever their last TYPING said
      if (message.authorId) setTyping((t) => ({ ...t, people: t.people.filter((p) => p.id !== message.authorId) }));
    } else if (event.kind === 'TYPING') {
      setTyping({ people: event.people.filter((p) => p.id !== viewerId), until: event.expiresAt ? new Date(event.expiresAt).getTime() : 0 });
    } else if (event.kind === 'VIEWING') {
      setViewers(event.people.filter((p) => p.id !== viewerId).map((p) => p.name));
    } else if (event.kind === 'STATUS_CHANGED' && event.status) {
      const status = event.status;
      setFields((f) => f && { ...f, status });
    } else if (event.kind === 'PRIORITY_CHANGED' && event.priority) {
      const priority = event.priority;
      setFields((f) => f && { ...f, priority });
    } else if (event.kind === 'ASSIGNED') {
      const assigneeId = event.assigneeId ?? '';
      setFields((f) => f && { ...f, assigneeId });
    }
    return result;
  });

  useEffect(() => {
    // scrollIntoView returns a Promise in current Chromium; an effect must not return it
    void bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!draft.trim()) return;
    const result = await post({ ticketId: id, body: draft, internal });
    if (result.error) return setError(result.error.graphQLErrors[0]?.message ?? 'Cannot reach the server — your message was not sent');
    setError(null);
    setDraft('');
  }

  async function change(changes: Partial<Fields>) {
    const previous = fields;
    setFields((f) => f && { ...f, ...changes });
    const { assigneeId, ...rest } = changes;
    const vars = assigneeId === undefined ? rest : assigneeId ? { ...rest, assigneeId } : { ...rest, unassign: true };
    const result = await update({ id, ...vars });
    if (result.error) {
      setFields(previous);
      setError(result.error.graphQLErrors[0]?.message ?? 'Cannot reach the server — nothing was changed');
    }
  }

  function onType(value: string) {
    setDraft(value);
    if (Date.now() - lastPing.current > 2_000) {
      lastPing.current = Date.now();
      void ping({ ticketId: id });
    }
  }

  if (loadError && !data) return <ErrorNote error={loadError} />;
  if (!data) return <Loading label="Loading the conversation…" />;
  const ticket = data.ticket;
  if (!ticket || !fields) return <Empty title="No such ticket." />;
  const typingNow = typing.until > now ? typing.people.map((p) => p.name) : [];
  return (
    <section aria-label={`Ticket #${ticket.number}`}>
      <h2 className="ticket-title">
        #{ticket.number} {ticket.subject}
      </h2>
      <div className="ticket-fields">
        <div className="field">
          <label htmlFor="ticket-status">Status</label>
          <select id="ticket-status" value={fields.status} onChange={(e) => void change({ status: e.target.value as TicketStatus })}>
            <option>OPEN</option>
            <option>PENDING</option>
            <option>RESOLVED</option>
            <option>CLOSED</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="ticket-priority">Priority</label>
          <select id="ticket-priority" value={fields.priority} onChange={(e) => void change({ priority: e.target.value as TicketPriority })}>
            <option>LOW</option>
            <option>NORMAL</option>
            <option>HIGH</option>
            <option>URGENT</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="ticket-assignee">Assignee</label>
          <select id="ticket-assignee" value={fields.assigneeId} onChange={(e) => void change({ assigneeId: e.target.value })}>
            <option value="">unassigned</option>
            {data.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted meta">
        {ticket.customer.name} &lt;{ticket.customer.email}&gt;{viewers.length ? ` · also viewing: ${viewers.join(', ')}` : ''}
      </p>
      <div className="chat" data-testid="chat" role="log" aria-label="Conversation" tabIndex={0}>
        {messages.map((m) => (
          <div
            key={m.cursor}
            className={`msg-bubble ${m.authorKind === 'CUSTOMER' ? 'customer' : m.authorId === viewerId ? 'mine' : ''} ${m.internal ? 'internal' : ''}`}
            data-message={m.body}
          >
            <div className="who">
              {m.authorName}
              {m.internal ? ' · internal note' : ''} · {new Date(m.createdAt).toLocaleTimeString()}
            </div>
            {m.body}
          </div>
        ))}
        <div ref={bottom} />
      </div>
      <div className="typing" data-testid="typing" aria-live="polite">
        {typingNow.length ? `${typingNow.join(', ')} ${typingNow.length > 1 ? 'are' : 'is'} typing…` : ''}
      </div>
      <form className="row" onSubmit={send}>
        <input className="grow" aria-label="Message" value={draft} onChange={(e) => onType(e.target.value)} placeholder={internal ? 'Internal note (members only)…' : 'Reply to the customer…'} />
        <label className="inline">
          <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} /> internal
        </label>
        <button className="primary">Send</button>
      </form>
      {error && <ErrorNote error={error} />}
    </section>
  );
}
