import { useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { DataTable } from '../components/ui/DataTable';
import { PageHeader } from '../components/ui/PageHeader';
import { Empty, ErrorNote, QueryState } from '../components/ui/States';
import { graphql } from '../gql';
import { ago, useNow } from '../lib/time';

const IncidentsQuery = graphql(/* GraphQL */ `
  query Incidents($status: IncidentStatus) {
    incidents(status: $status, first: 100) {
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

const Acknowledge = graphql(/* GraphQL */ `
  mutation AcknowledgeIncident($id: ID!) {
    acknowledgeIncident(id: $id) {
      id
      status
    }
  }
`);

const Resolve = graphql(/* GraphQL */ `
  mutation ResolveIncident($id: ID!, $note: String) {
    resolveIncident(id: $id, note: $note) {
      id
      status
      resolutionNote
    }
  }
`);

export function IncidentsPage() {
  const now = useNow();
  const [status, setStatus] = useState<'' | 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED'>('');
  const [result, refetch] = useQuery({ query: IncidentsQuery, variables: { status: status || null }, requestPolicy: 'cache-and-network' });
  const [announcement, setAnnouncement] = useState('');
  useSubscription({ query: IncidentEvents, variables: { after: null } }, (_p, event) => {
    const { kind, incident } = event.incidents;
    // said once to a screen reader, without moving focus
    if (kind === 'OPENED') setAnnouncement(`New incident #${incident.number}: ${incident.title}`);
    refetch({ requestPolicy: 'network-only' });
    return event;
  });
  const [, acknowledge] = useMutation(Acknowledge);
  const [, resolve] = useMutation(Resolve);
  const [noteFor, setNoteFor] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);
  const act = async (run: Promise<{ error?: { message: string; graphQLErrors: { message: string }[] } }>) => {
    const outcome = await run;
    setActionError(outcome.error ? (outcome.error.graphQLErrors[0]?.message ?? outcome.error.message) : null);
    return !outcome.error;
  };
  return (
    <>
      <PageHeader title="Incidents">
        <label className="inline">
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="">all</option>
            <option>OPEN</option>
            <option>ACKNOWLEDGED</option>
            <option>RESOLVED</option>
          </select>
        </label>
      </PageHeader>
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="incident-announcer">
        {announcement}
      </div>
      {actionError && <ErrorNote error={actionError} />}
      <QueryState result={result} label="Loading incidents…">
        {(data) =>
          data.incidents.edges.length === 0 ? (
            <Empty title="No incidents.">Alert rules open them when a monitor goes wrong.</Empty>
          ) : (
            <DataTable
              caption="Incidents, newest first"
              rows={data.incidents.edges.map((e) => e.node)}
              rowKey={(i) => i.id}
              rowProps={(i) => ({ 'data-incident': String(i.number) })}
              columns={[
                { header: 'Incident', primary: true, cell: (i) => (
                  <span>
                    <span className="muted">#{i.number}</span> {i.title}
                  </span>
                ) },
                { header: 'Status', cell: (i) => <span className={`badge ${i.status}`}>{i.status}</span> },
                {
                  header: 'Details',
                  className: 'muted',
                  cell: (i) => (
                    <span>
                      {i.kind} · {i.monitor ? <a href={`#/monitors/${i.monitor.id}`}>{i.monitor.name}</a> : 'deleted monitor'} · opened {ago(i.openedAt, now)}
                      {i.resolutionNote ? ` · “${i.resolutionNote}”` : ''}
                    </span>
                  ),
                },
                {
                  header: 'Actions',
                  cell: (i) => (
                    <div className="row" style={{ justifyContent: 'flex-end' }}>
                      {i.status === 'OPEN' && <button onClick={() => void act(acknowledge({ id: i.id }))}>Acknowledge</button>}
                      {i.status !== 'RESOLVED' &&
                        (noteFor === i.id ? (
                          <form
                            className="row"
                            onSubmit={(e) => {
                              e.preventDefault();
                              void act(resolve({ id: i.id, note: note || null })).then((ok) => ok && setNoteFor(null));
                            }}
                          >
                            <input aria-label={`Resolution note for incident #${i.number}`} autoFocus value={note} onChange={(e) => setNote(e.target.value)} placeholder="resolution note" />
                            <button className="primary">Resolve</button>
                          </form>
                        ) : (
                          <button onClick={() => (setNoteFor(i.id), setNote(''))}>Resolve…</button>
                        ))}
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
