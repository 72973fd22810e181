import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { PageHeader } from '../components/ui/PageHeader';
import { Empty, ErrorNote, Loading, QueryState } from '../components/ui/States';
import { SubNav } from '../components/ui/SubNav';
import { graphql } from '../gql';
import type { TicketMessageSender, TicketPriority, TicketStatus, TicketView as TicketViewName } from '../gql/graphql';
import { composerKey, insertCanned, matchCanned, slashQuery, type SlashQuery } from '../lib/canned';
import { navigate } from '../lib/route';
import { ago, useNow } from '../lib/time';
import { CannedRepliesPage, CannedRepliesQuery } from './tickets/CannedReplies';

const STATUSES: TicketStatus[] = ['OPEN', 'PENDING', 'RESOLVED', 'CLOSED'];
const VIEWS: [TicketViewName, string][] = [
  ['MINE', 'Mine'],
  ['UNASSIGNED', 'Unassigned'],
  ['ALL', 'All'],
];

const InboxQuery = graphql(/* GraphQL */ `
  query Inbox($view: TicketView, $status: TicketStatus, $search: String) {
    tickets(view: $view, status: $status, search: $search, first: 100) {
      edges {
        node {
          id
          number
          subject
          status
          priority
          updatedAt
          unreadCount
          customer {
            name
          }
          assignee {
            name
          }
          lastMessage {
            sender
            internal
            authorName
            preview(chars: 110)
          }
        }
      }
    }
    any: ticketViewCounts {
      all
      mine
      unassigned
      unread
    }
    open: ticketViewCounts(statuses: [OPEN]) {
      all
      mine
      unassigned
      unread
    }
    pending: ticketViewCounts(statuses: [PENDING]) {
      all
      mine
      unassigned
      unread
    }
    resolved: ticketViewCounts(statuses: [RESOLVED]) {
      all
      mine
      unassigned
      unread
    }
    closed: ticketViewCounts(statuses: [CLOSED]) {
      all
      mine
      unassigned
      unread
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
            sender
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
        sender
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

const MarkRead = graphql(/* GraphQL */ `
  mutation MarkTicketRead($ticketId: ID!) {
    markTicketRead(ticketId: $ticketId) {
      id
      unreadCount
    }
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

const SECTIONS = [
  ['/tickets', 'Inbox'],
  ['/tickets/canned-replies', 'Canned replies'],
] as const;

/** The inbox's view in the URL: `#/tickets?view=MINE&status=OPEN&q=refund`, kept when a ticket opens. */
interface InboxState {
  view: TicketViewName;
  status: TicketStatus | null;
  q: string;
}

function inboxFromParams(params: URLSearchParams): InboxState {
  const view = params.get('view')?.toUpperCase();
  const status = params.get('status')?.toUpperCase();
  return {
    view: VIEWS.some(([v]) => v === view) ? (view as TicketViewName) : 'ALL',
    status: STATUSES.includes(status as TicketStatus) ? (status as TicketStatus) : null,
    q: params.get('q') ?? '',
  };
}

function inboxQuery(state: InboxState): string {
  const q = new URLSearchParams();
  if (state.view !== 'ALL') q.set('view', state.view);
  if (state.status) q.set('status', state.status);
  if (state.q.trim()) q.set('q', state.q.trim());
  const text = q.toString();
  return text ? `?${text}` : '';
}

export function TicketsPage({ path, params, viewerId }: { path: string; params: URLSearchParams; viewerId: string | null }) {
  const nav = <SubNav label="Support" items={SECTIONS} current={path === '/tickets/canned-replies' ? path : '/tickets'} />;
  if (path === '/tickets/canned-replies') {
    return (
      <>
        {nav}
        <CannedRepliesPage />
      </>
    );
  }
  const id = path.split('/')[2];
  const inbox = inboxFromParams(params);
  return (
    <>
      {nav}
      <div className="split">
        <Inbox selected={id} state={inbox} />
        {id ? <TicketView key={id} id={id} viewerId={viewerId} /> : <Empty title="Pick a ticket.">Its conversation opens here, live.</Empty>}
      </div>
    </>
  );
}

const PREVIEW_PREFIX: Record<TicketMessageSender, string> = { CUSTOMER: '', YOU: 'You: ', TEAMMATE: '' };

function Inbox({ selected, state }: { selected?: string; state: InboxState }) {
  const now = useNow(5_000);
  const [search, setSearch] = useState(state.q);
  const [result, refetch] = useQuery({ query: InboxQuery, variables: { view: state.view, status: state.status, search: state.q.trim() || null }, requestPolicy: 'cache-and-network' });
  // a burst of events (a chat in full flow) is one refetch
  const [tick, setTick] = useState(0);
  useSubscription({ query: InboxEvents }, (_p, event) => {
    if (event.ticketEvents.cursor) setTick((n) => n + 1);
    return event;
  });
  useEffect(() => {
    if (!tick) return;
    const timer = setTimeout(() => refetch({ requestPolicy: 'network-only' }), 300);
    return () => clearTimeout(timer);
  }, [tick, refetch]);

  const base = selected ? `/tickets/${selected}` : '/tickets';
  const go = (next: Partial<InboxState>) => navigate(`${base}${inboxQuery({ ...state, ...next })}`);
  // searching as one types: the address follows once typing pauses
  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => setSearch(state.q), [state.q]);
  useEffect(() => () => clearTimeout(typingTimer.current), []);
  function onSearch(value: string) {
    setSearch(value);
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => go({ q: value }), 300);
  }

  const data = result.data;
  const counts = data ? (state.status ? data[state.status.toLowerCase() as 'open' | 'pending' | 'resolved' | 'closed'] : data.any) : null;
  const count = (c: { all: number; mine: number; unassigned: number } | null | undefined, view: TicketViewName) => (c ? (view === 'MINE' ? c.mine : view === 'UNASSIGNED' ? c.unassigned : c.all) : null);
  return (
    <section aria-label="Inbox" className="inbox">
      <PageHeader title="Tickets">
        {counts && counts.unread > 0 && (
          <span className="badge unread" data-testid="unread-total">
            {counts.unread} unread
          </span>
        )}
      </PageHeader>
      <nav className="inbox-views" aria-label="Inbox views">
        {VIEWS.map(([view, label]) => (
          <a key={view} href={`#${base}${inboxQuery({ ...state, view })}`} aria-current={state.view === view ? 'page' : undefined} data-view={view}>
            {label} <span className="count">{count(counts, view) ?? '·'}</span>
          </a>
        ))}
      </nav>
      <div className="row" style={{ marginBottom: 8 }}>
        <input className="grow" type="search" aria-label="Search tickets" placeholder="subject, customer…" value={search} onChange={(e) => onSearch(e.target.value)} />
        <select aria-label="Ticket status" value={state.status ?? ''} onChange={(e) => go({ status: (e.target.value || null) as TicketStatus | null })}>
          <option value="">any status ({count(data?.any, state.view) ?? '…'})</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()} ({count(data?.[s.toLowerCase() as 'open'], state.view) ?? '…'})
            </option>
          ))}
        </select>
      </div>
      <QueryState result={result} label="Loading tickets…">
        {(data) =>
          data.tickets.edges.length === 0 ? (
            <Empty title={state.view === 'MINE' ? 'Nothing assigned to you here.' : 'No tickets.'}>A support widget opens them with a service token (see the README).</Empty>
          ) : (
            <ul className="inbox-list">
              {data.tickets.edges.map(({ node: t }) => {
                const unread = t.unreadCount ?? 0;
                const last = t.lastMessage;
                return (
                  <li key={t.id} data-ticket={t.subject} data-unread={unread} className={unread ? 'unread' : undefined}>
                    <a href={`#/tickets/${t.id}${inboxQuery(state)}`} aria-current={t.id === selected ? 'page' : undefined}>
                      <span className="inbox-main">
                        <span className="inbox-subject">
                          <span className={`prio ${t.priority}`} title={`${t.priority.toLowerCase()} priority`}>
                            {t.priority === 'NORMAL' ? <span className="visually-hidden">normal priority</span> : t.priority}
                          </span>
                          <span className="muted">#{t.number}</span> {t.subject}
                        </span>
                        {last && (
                          <span className={`preview ${last.internal ? 'note' : ''}`} data-testid="preview">
                            {last.internal ? 'Note: ' : last.sender === 'TEAMMATE' ? `${last.authorName}: ` : PREVIEW_PREFIX[last.sender]}
                            {last.preview}
                          </span>
                        )}
                        <span className="muted small">
                          {t.customer.name} · {t.assignee?.name ?? 'unassigned'} · {ago(t.updatedAt, now)}
                        </span>
                      </span>
                      <span className="inbox-side">
                        <span className={`badge ${t.status}`}>{t.status}</span>
                        {unread > 0 && (
                          <span className="unread-count" aria-label={`${unread} unread`}>
                            {unread}
                          </span>
                        )}
                      </span>
                    </a>
                  </li>
                );
              })}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

type Message = { cursor: string; authorKind: string; authorId?: string | null; authorName: string; sender?: TicketMessageSender | null; body: string; internal: boolean; createdAt: string };
type Person = { id: string; name: string };

/** The fields other agents change while you look: kept live from the ticket's events. */
type Fields = { status: TicketStatus; priority: TicketPriority; assigneeId: string };

/** Messages from a reload and from the stream, each once, in cursor order. */
function mergeMessages(a: readonly Message[], b: readonly Message[]): Message[] {
  const byCursor = new Map<string, Message>();
  for (const m of [...a, ...b]) byCursor.set(m.cursor, m);
  return [...byCursor.values()].sort((x, y) => (BigInt(x.cursor) < BigInt(y.cursor) ? -1 : BigInt(x.cursor) > BigInt(y.cursor) ? 1 : 0));
}

function senderOf(m: Message, viewerId: string | null): TicketMessageSender {
  if (m.sender) return m.sender;
  return m.authorKind === 'CUSTOMER' ? 'CUSTOMER' : m.authorId === viewerId ? 'YOU' : 'TEAMMATE';
}

const BUBBLE: Record<TicketMessageSender, string> = { CUSTOMER: 'customer', YOU: 'mine', TEAMMATE: 'teammate' };

function TicketView({ id, viewerId }: { id: string; viewerId: string | null }) {
  const now = useNow(500);
  const [{ data, error: loadError }] = useQuery({ query: TicketQuery, variables: { id }, requestPolicy: 'network-only' });
  const [{ data: canned }] = useQuery({ query: CannedRepliesQuery, variables: {} });
  const [messages, setMessages] = useState<Message[]>([]);
  const [after, setAfter] = useState<string | null | undefined>(undefined);
  const [typing, setTyping] = useState<{ people: Person[]; until: number }>({ people: [], until: 0 });
  const [viewers, setViewers] = useState<string[]>([]);
  const [fields, setFields] = useState<Fields | null>(null);
  const [draft, setDraft] = useState('');
  const [internal, setInternal] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [slash, setSlash] = useState<SlashQuery | null>(null);
  const [choice, setChoice] = useState(0);
  const [, post] = useMutation(PostMessage);
  const [, ping] = useMutation(SetTyping);
  const [, update] = useMutation(UpdateTicket);
  const [, markRead] = useMutation(MarkRead);
  const lastPing = useRef(0);
  const bottom = useRef<HTMLDivElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);

  // opened: read; a message arriving while it is open and the tab is in view: read too
  const readNow = useCallback(() => {
    if (document.visibilityState === 'visible') void markRead({ ticketId: id });
  }, [id, markRead]);
  useEffect(() => {
    const onVisible = () => readNow();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [readNow]);

  // the query runs again whenever a mutation returns a Ticket (urql's document cache), markTicketRead
  // included: only the first answer starts the stream and marks the ticket read, or the two would loop
  const loadedOnce = useRef(false);
  useEffect(() => {
    if (!data?.ticket) return;
    const loaded = data.ticket.messages.edges.map((e) => e.node);
    setMessages((current) => (loadedOnce.current ? mergeMessages(loaded, current) : loaded));
    if (loadedOnce.current) return;
    loadedOnce.current = true;
    setFields({ status: data.ticket.status, priority: data.ticket.priority, assigneeId: data.ticket.assignee?.id ?? '' });
    // live from the last message loaded: nothing between the query and the stream is lost
    // (a ticket always has its CREATED event, so there is a cursor to start from)
    setAfter(loaded.at(-1)?.cursor ?? null);
    readNow();
  }, [data, readNow]);

  useSubscription({ query: TicketEvents, variables: { ticketId: id, after: after ?? null }, pause: after === undefined }, (_p, result) => {
    const event = result.ticketEvents;
    if (event.kind === 'MESSAGE_POSTED' && event.message) {
      const message = event.message;
      setMessages((current) => (current.some((m) => m.cursor === message.cursor) ? current : [...current, message]));
      // whoever just sent has stopped typing, whatever their last TYPING said
      if (message.authorId) setTyping((t) => ({ ...t, people: t.people.filter((p) => p.id !== message.authorId) }));
      if (message.authorId !== viewerId) readNow();
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

  const suggestions = slash ? matchCanned(canned?.cannedReplies ?? [], slash.query) : [];
  const suggesting = suggestions.length > 0;

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (!draft.trim()) return;
    const result = await post({ ticketId: id, body: draft, internal });
    if (result.error) return setError(result.error.graphQLErrors[0]?.message ?? 'Cannot reach the server — your message was not sent');
    setError(null);
    setDraft('');
    setSlash(null);
  }

  function insert(index: number) {
    const reply = suggestions[index];
    if (!reply || !slash) return;
    const next = insertCanned(draft, slash, reply.body);
    setDraft(next.text);
    setSlash(null);
    requestAnimationFrame(() => {
      composer.current?.focus();
      composer.current?.setSelectionRange(next.caret, next.caret);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggesting) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        return setChoice((c) => (c + step + suggestions.length) % suggestions.length);
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        return insert(choice);
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        return setSlash(null);
      }
    }
    if (composerKey(event.nativeEvent) === 'send') {
      event.preventDefault();
      void send();
    }
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

  function onType(value: string, caret: number) {
    setDraft(value);
    const next = slashQuery(value, caret);
    if (next?.query !== slash?.query || !next !== !slash) setChoice(0);
    setSlash(next);
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
  const rows = Math.min(8, Math.max(2, draft.split('\n').length));
  return (
    <section aria-label={`Ticket #${ticket.number}`}>
      <h2 className="ticket-title">
        #{ticket.number} {ticket.subject}
      </h2>
      <div className="ticket-fields">
        <div className="field">
          <label htmlFor="ticket-status">Status</label>
          <select id="ticket-status" value={fields.status} onChange={(e) => void change({ status: e.target.value as TicketStatus })}>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
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
        {messages.map((m) => {
          const sender = senderOf(m, viewerId);
          return (
            <div key={m.cursor} className={`msg-bubble ${BUBBLE[sender]} ${m.internal ? 'internal' : ''}`} data-message={m.body} data-sender={sender}>
              <div className="who">
                {m.internal && <span className="note-tag">Internal note · </span>}
                {sender === 'YOU' ? 'You' : m.authorName}
                {sender === 'TEAMMATE' && !m.internal ? ' · agent' : ''}
                {sender === 'CUSTOMER' ? ' · customer' : ''} · {new Date(m.createdAt).toLocaleTimeString()}
              </div>
              <div className="body">{m.body}</div>
            </div>
          );
        })}
        <div ref={bottom} />
      </div>
      <div className="typing" data-testid="typing" aria-live="polite">
        {typingNow.length ? `${typingNow.join(', ')} ${typingNow.length > 1 ? 'are' : 'is'} typing…` : ''}
      </div>
      <form className={`composer ${internal ? 'internal' : ''}`} onSubmit={(e) => void send(e)}>
        <div className="composer-box">
          {suggesting && (
            <ul className="canned-list" role="listbox" id="canned-list" aria-label="Canned replies">
              {suggestions.map((r, i) => (
                <li
                  key={r.id}
                  id={`canned-${r.id}`}
                  role="option"
                  aria-selected={i === choice}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    insert(i);
                  }}
                >
                  <b>/{r.shortcut}</b> <span>{r.title}</span>
                  <span className="muted canned-body">{r.body}</span>
                </li>
              ))}
            </ul>
          )}
          <textarea
            ref={composer}
            aria-label="Message"
            aria-describedby="composer-help"
            aria-controls={suggesting ? 'canned-list' : undefined}
            aria-activedescendant={suggesting ? `canned-${suggestions[choice]?.id}` : undefined}
            rows={rows}
            value={draft}
            onChange={(e) => onType(e.target.value, e.target.selectionStart)}
            onKeyDown={onKeyDown}
            onBlur={() => setSlash(null)}
            placeholder={internal ? 'Internal note (members only)…' : 'Reply to the customer…  (/ for canned replies)'}
          />
        </div>
        <div className="row">
          <label className="inline">
            <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} /> internal
          </label>
          <span id="composer-help" className="muted small grow">
            Enter sends · Shift+Enter new line · <kbd>/</kbd> canned replies
          </span>
          <span className="visually-hidden" aria-live="polite">
            {suggesting ? `${suggestions.length} canned ${suggestions.length === 1 ? 'reply' : 'replies'}: arrows to choose, Enter to insert` : ''}
          </span>
          <button className="primary">Send</button>
        </div>
      </form>
      {error && <ErrorNote error={error} />}
    </section>
  );
}
