import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import type { TicketPriority, TicketStatus } from '../gql/graphql';
import { navigate } from '../lib/route';
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
      {id ? <TicketView key={id} id={id} viewerId={viewerId} /> : <p className="muted">Pick a ticket.</p>}
    </div>
  );
}

function Inbox({ selected }: { selected?: string }) {
  const now = useNow(5_000);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<TicketStatus | ''>('');
  const [{ data }, refetch] = useQuery({ query: InboxQuery, variables: { status: status || null, search: search || null }, requestPolicy: 'cache-and-network' });
  useSubscription({ query: InboxEvents }, (_p, event) => {
    if (event.ticketEvents.cursor) refetch({ requestPolicy: 'network-only' });
    return event;
  });
  return (
    <section>
      <h1>Tickets</h1>
      <div className="row" style={{ marginBottom: 8 }}>
        <input className="grow" aria-label="Search tickets" placeholder="search…" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select aria-label="Ticket status" value={status} onChange={(e) => setStatus(e.target.value as TicketStatus | '')}>
          <option value="">all</option>
          <option>OPEN</option>
          <option>PENDING</option>
          <option>RESOLVED</option>
          <option>CLOSED</option>
        </select>
      </div>
      <table className="panel">
        <tbody>
          {data?.tickets.edges.map(({ node: t }) => (
            <tr key={t.id} className="clickable" onClick={() => navigate(`/tickets/${t.id}`)} style={t.id === selected ? { background: 'var(--panel-2)' } : undefined} data-ticket={t.subject}>
              <td>
                <div>
                  <span className="muted">#{t.number}</span> {t.subject}
                </div>
                <div className="muted">
                  {t.customer.name} · {t.assignee?.name ?? 'unassigned'} · {ago(t.updatedAt, now)}
                </div>
              </td>
              <td>
                <span className={`badge ${t.status}`}>{t.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type Message = { cursor: string; authorKind: string; authorId?: string | null; authorName: string; body: string; internal: boolean; createdAt: string };

function TicketView({ id, viewerId }: { id: string; viewerId: string | null }) {
  const now = useNow(500);
  const [{ data }] = useQuery({ query: TicketQuery, variables: { id }, requestPolicy: 'network-only' });
  const [messages, setMessages] = useState<Message[]>([]);
  const [after, setAfter] = useState<string | null>(null);
  const [typing, setTyping] = useState<{ names: string[]; until: number }>({ names: [], until: 0 });
  const [viewers, setViewers] = useState<string[]>([]);
  const [status, setStatus] = useState<TicketStatus | null>(null);
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
    setStatus(data.ticket.status);
    // live from the last message loaded: nothing between the query and the stream is lost
    setAfter(loaded.at(-1)?.cursor ?? '0');
  }, [data]);

  useSubscription({ query: TicketEvents, variables: { ticketId: id, after }, pause: after === null }, (_p, result) => {
    const event = result.ticketEvents;
    if (event.kind === 'MESSAGE_POSTED' && event.message) {
      const message = event.message;
      setMessages((current) => (current.some((m) => m.cursor === message.cursor) ? current : [...current, message]));
    } else if (event.kind === 'TYPING') {
      const others = event.people.filter((p) => p.id !== viewerId).map((p) => p.name);
      setTyping({ names: others, until: event.expiresAt ? new Date(event.expiresAt).getTime() : 0 });
    } else if (event.kind === 'VIEWING') {
      setViewers(event.people.filter((p) => p.id !== viewerId).map((p) => p.name));
    } else if (event.kind === 'STATUS_CHANGED' && event.status) {
      setStatus(event.status);
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
    if (result.error) return setError(result.error.graphQLErrors[0]?.message ?? result.error.message);
    setError(null);
    setDraft('');
  }

  function onType(value: string) {
    setDraft(value);
    if (Date.now() - lastPing.current > 2_000) {
      lastPing.current = Date.now();
      void ping({ ticketId: id });
    }
  }

  const ticket = data?.ticket;
  if (!ticket) return <p className="muted">Loading…</p>;
  const typingNow = typing.until > now ? typing.names : [];
  return (
    <section>
      <div className="row">
        <h1 className="grow">
          #{ticket.number} {ticket.subject}
        </h1>
        <select aria-label="Set status" value={status ?? ticket.status} onChange={(e) => void update({ id, status: e.target.value as TicketStatus })}>
          <option>OPEN</option>
          <option>PENDING</option>
          <option>RESOLVED</option>
          <option>CLOSED</option>
        </select>
        <select aria-label="Set priority" defaultValue={ticket.priority} onChange={(e) => void update({ id, priority: e.target.value as TicketPriority })}>
          <option>LOW</option>
          <option>NORMAL</option>
          <option>HIGH</option>
          <option>URGENT</option>
        </select>
        <select
          aria-label="Assignee"
          defaultValue={ticket.assignee?.id ?? ''}
          onChange={(e) => void update(e.target.value ? { id, assigneeId: e.target.value } : { id, unassign: true })}
        >
          <option value="">unassigned</option>
          {data.members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <p className="muted">
        {ticket.customer.name} &lt;{ticket.customer.email}&gt;{viewers.length ? ` · also viewing: ${viewers.join(', ')}` : ''}
      </p>
      <div className="chat" data-testid="chat">
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
      <div className="typing" data-testid="typing">
        {typingNow.length ? `${typingNow.join(', ')} ${typingNow.length > 1 ? 'are' : 'is'} typing…` : ''}
      </div>
      <form className="row" onSubmit={send}>
        <input className="grow" aria-label="Message" value={draft} onChange={(e) => onType(e.target.value)} placeholder={internal ? 'Internal note (members only)…' : 'Reply to the customer…'} />
        <label className="row" style={{ flexDirection: 'row' }}>
          <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} /> internal
        </label>
        <button className="primary">Send</button>
      </form>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
