import { useCallback, useMemo, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { DataTable } from '../components/ui/DataTable';
import { PageHeader } from '../components/ui/PageHeader';
import { Empty, ErrorNote, QueryState } from '../components/ui/States';
import { graphql } from '../gql';
import type { IncidentStatus } from '../gql/graphql';
import { mutationError } from '../lib/errors';
import { navigate } from '../lib/route';
import { ago, useNow } from '../lib/time';
import { IncidentDetail } from './incidents/IncidentDetail';

const IncidentsQuery = graphql(/* GraphQL */ `
  query Incidents($status: IncidentStatus, $monitorId: ID, $from: DateTime) {
    incidents(status: $status, monitorId: $monitorId, from: $from, first: 100) {
      edges {
        node {
          id
          number
          title
          kind
          status
          openedAt
          acknowledgedAt
          resolvedAt
          resolutionNote
          monitor {
            id
            name
          }
        }
      }
    }
    monitors {
      id
      name
    }
  }
`);

const IncidentEvents = graphql(/* GraphQL */ `
  subscription IncidentEvents($after: String) {
    incidents(after: $after) {
      cursor
      kind
      incident {
        number
        title
      }
    }
  }
`);

export const Acknowledge = graphql(/* GraphQL */ `
  mutation AcknowledgeIncident($id: ID!) {
    acknowledgeIncident(id: $id) {
      id
      status
      acknowledgedAt
    }
  }
`);

export const Resolve = graphql(/* GraphQL */ `
  mutation ResolveIncident($id: ID!, $note: String) {
    resolveIncident(id: $id, note: $note) {
      id
      status
      resolvedAt
      resolutionNote
    }
  }
`);

const STATUSES: IncidentStatus[] = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'];
const SINCE: Record<string, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** How long, as people say it: "4 min", "2 h 5 min", "3 d 2 h". */
export function duration(fromIso: string, toIso: string | null | undefined, now: number): string {
  const s = Math.max(0, Math.round(((toIso ? Date.parse(toIso) : now) - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

export function IncidentsPage({ path, params }: { path: string; params: URLSearchParams }) {
  const id = path.split('/')[2];
  return id ? <IncidentDetail key={id} id={id} /> : <IncidentList params={params} />;
}

/** Filters live in the URL, so a filtered list is a link; the list updates as incidents change. */
function IncidentList({ params }: { params: URLSearchParams }) {
  const now = useNow();
  const status = STATUSES.find((s) => s === params.get('status')) ?? null;
  const monitorId = params.get('monitor') || null;
  const since = params.get('since') ?? '';
  // the window's start, fixed for this filter (a moving `from` would refetch every second)
  const from = useMemo(() => (SINCE[since] ? new Date(Date.now() - SINCE[since]!).toISOString() : null), [since]);
  const [result, refetch] = useQuery({ query: IncidentsQuery, variables: { status, monitorId, from }, requestPolicy: 'cache-and-network' });
  const [announcement, setAnnouncement] = useState('');
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useSubscription({ query: IncidentEvents, variables: { after: null } }, (_p, event) => {
    const { kind, incident } = event.incidents;
    // said once to a screen reader, without moving focus
    if (kind === 'OPENED') setAnnouncement(`New incident #${incident.number}: ${incident.title}`);
    reload();
    return event;
  });
  const [, acknowledge] = useMutation(Acknowledge);
  const [actionError, setActionError] = useState<string | null>(null);
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    const query = next.toString();
    navigate(`/incidents${query ? `?${query}` : ''}`);
  };
  return (
    <>
      <PageHeader title="Incidents" />
      <div className="filters" role="group" aria-label="Filters">
        <label className="inline">
          Status
          <select value={status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Monitor
          <select value={monitorId ?? ''} onChange={(e) => setFilter('monitor', e.target.value)}>
            <option value="">all</option>
            {result.data?.monitors.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Open since
          <select value={since} onChange={(e) => setFilter('since', e.target.value)}>
            <option value="">any time</option>
            <option value="24h">last 24 h</option>
            <option value="7d">last 7 days</option>
            <option value="30d">last 30 days</option>
          </select>
        </label>
        {(status || monitorId || since) && (
          <a href="#/incidents" className="clear-filters">
            Clear filters
          </a>
        )}
      </div>
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="incident-announcer">
        {announcement}
      </div>
      {actionError && <ErrorNote error={actionError} />}
      <QueryState result={result} label="Loading incidents…">
        {(data) =>
          data.incidents.edges.length === 0 ? (
            <Empty title={status || monitorId || since ? 'No incidents match these filters.' : 'No incidents.'}>Alert rules open them when a monitor goes wrong.</Empty>
          ) : (
            <DataTable
              caption="Incidents, newest first"
              className="incidents-table"
              rows={data.incidents.edges.map((e) => e.node)}
              rowKey={(i) => i.id}
              href={(i) => `#/incidents/${i.id}`}
              rowProps={(i) => ({ 'data-incident': String(i.number) })}
              columns={[
                {
                  header: 'Incident',
                  primary: true,
                  cell: (i) => (
                    <span>
                      <span className="muted">#{i.number}</span> {i.title}
                    </span>
                  ),
                },
                { header: 'Status', className: 'status-cell', cell: (i) => <span className={`badge ${i.status}`}>{i.status}</span> },
                { header: 'Monitor', cell: (i) => (i.monitor ? <a href={`#/monitors/${i.monitor.id}`}>{i.monitor.name}</a> : <span className="muted">deleted</span>) },
                { header: 'Opened', className: 'muted num', cell: (i) => <time dateTime={i.openedAt} title={new Date(i.openedAt).toLocaleString()}>{ago(i.openedAt, now)}</time> },
                { header: 'Duration', className: 'num', cell: (i) => duration(i.openedAt, i.resolvedAt, now) },
                {
                  header: 'Actions',
                  className: 'actions-col',
                  cell: (i) => (
                    <div className="row actions-cell">
                      {i.status === 'OPEN' && (
                        <button
                          onClick={() =>
                            void acknowledge({ id: i.id }).then((outcome) => {
                              setActionError(mutationError(outcome)?.message ?? null);
                            })
                          }
                        >
                          Acknowledge
                        </button>
                      )}
                      <a href={`#/incidents/${i.id}`} aria-label={`Timeline of incident #${i.number}`}>
                        Timeline →
                      </a>
                    </div>
                  ),
                },
              ]}
            />
          )
        }
      </QueryState>
    </>
  );
}
