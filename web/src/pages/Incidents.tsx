import { useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
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
  const [{ data }, refetch] = useQuery({ query: IncidentsQuery, variables: { status: status || null }, requestPolicy: 'cache-and-network' });
  useSubscription({ query: IncidentEvents, variables: { after: null } }, (_p, event) => {
    refetch({ requestPolicy: 'network-only' });
    return event;
  });
  const [, acknowledge] = useMutation(Acknowledge);
  const [, resolve] = useMutation(Resolve);
  const [noteFor, setNoteFor] = useState<string | null>(null);
  const [note, setNote] = useState('');
  return (
    <>
      <div className="row">
        <h1 className="grow">Incidents</h1>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">all</option>
          <option>OPEN</option>
          <option>ACKNOWLEDGED</option>
          <option>RESOLVED</option>
        </select>
      </div>
      <table className="panel">
        <tbody>
          {data?.incidents.edges.map(({ node: i }) => (
            <tr key={i.id} data-incident={i.number}>
              <td className="muted">#{i.number}</td>
              <td>
                <span className={`badge ${i.status}`}>{i.status}</span>
              </td>
              <td>
                <div>{i.title}</div>
                <div className="muted">
                  {i.kind} · {i.monitor ? <a href={`#/monitors/${i.monitor.id}`}>{i.monitor.name}</a> : 'deleted monitor'} · opened {ago(i.openedAt, now)}
                  {i.resolutionNote ? ` · “${i.resolutionNote}”` : ''}
                </div>
              </td>
              <td className="row" style={{ justifyContent: 'flex-end' }}>
                {i.status === 'OPEN' && <button onClick={() => void acknowledge({ id: i.id })}>Acknowledge</button>}
                {i.status !== 'RESOLVED' &&
                  (noteFor === i.id ? (
                    <form
                      className="row"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void resolve({ id: i.id, note: note || null }).then(() => setNoteFor(null));
                      }}
                    >
                      <input autoFocus value={note} onChange={(e) => setNote(e.target.value)} placeholder="resolution note" />
                      <button className="primary">Resolve</button>
                    </form>
                  ) : (
                    <button onClick={() => (setNoteFor(i.id), setNote(''))}>Resolve…</button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data?.incidents.edges.length === 0 && <p className="muted">No incidents. Alert rules open them when a monitor goes wrong.</p>}
    </>
  );
}
