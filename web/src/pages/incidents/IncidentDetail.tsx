import { useCallback, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { PageHeader } from '../../components/ui/PageHeader';
import { Empty, ErrorNote, Loading } from '../../components/ui/States';
import { graphql } from '../../gql';
import { formatMs } from '../../lib/chart';
import { mutationError } from '../../lib/errors';
import { ago, useNow } from '../../lib/time';
import { Acknowledge, duration, Resolve } from '../Incidents';
import { AttemptLine } from '../monitors/Notifications';

const IncidentQuery = graphql(/* GraphQL */ `
  query Incident($id: ID!) {
    incident(id: $id) {
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
        url
      }
      rule {
        id
        name
      }
      timeline(checksBefore: 3, checksAfter: 3, maxChecks: 100) {
        omittedChecks
        entries {
          kind
          at
          note
          public
          actor {
            id
            name
          }
          check {
            id
            ok
            httpStatus
            responseTimeMs
            error
          }
          attempt {
            attempt
            at
            httpStatus
            error
            durationMs
            responseBody
          }
          webhook {
            id
            event
            url
            status
          }
        }
      }
    }
  }
`);

const IncidentFeed = graphql(/* GraphQL */ `
  subscription IncidentFeed($incidentId: ID) {
    incidents(incidentId: $incidentId) {
      cursor
      kind
    }
  }
`);

const AddNote = graphql(/* GraphQL */ `
  mutation AddIncidentNote($id: ID!, $body: String!, $public: Boolean) {
    addIncidentNote(id: $id, body: $body, public: $public) {
      cursor
    }
  }
`);

const LABEL: Record<string, string> = { OPENED: 'Opened', ACKNOWLEDGED: 'Acknowledged', RESOLVED: 'Resolved', NOTE: 'Note', CHECK: 'Check', WEBHOOK_ATTEMPT: 'Webhook' };

/**
 * One incident as it happened: each state change with who and when, notes (public ones marked),
 * the monitor's checks around it and every webhook attempt with the receiver's answer — oldest
 * first, updated live; acknowledge, resolve with a note, or add a note.
 */
export function IncidentDetail({ id }: { id: string }) {
  const now = useNow();
  const [result, refetch] = useQuery({ query: IncidentQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useSubscription({ query: IncidentFeed, variables: { incidentId: id } }, (_p, event) => {
    reload();
    return event;
  });
  const [, acknowledge] = useMutation(Acknowledge);
  const [, resolve] = useMutation(Resolve);
  const [{ fetching: noting }, addNote] = useMutation(AddNote);
  const [note, setNote] = useState('');
  const [isPublic, setPublic] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [resolving, setResolving] = useState(false);

  const back = (
    <p className="back">
      <a href="#/incidents">← Incidents</a>
    </p>
  );
  if (result.error && !result.data)
    return (
      <>
        {back}
        <ErrorNote error={result.error} />
      </>
    );
  if (!result.data)
    return (
      <>
        {back}
        <Loading label="Loading incident…" />
      </>
    );
  const incident = result.data.incident;
  if (!incident)
    return (
      <>
        {back}
        <Empty title="No such incident." />
      </>
    );

  async function submitNote(event: FormEvent) {
    event.preventDefault();
    if (resolving) {
      const failure = mutationError(await resolve({ id, note: note || null }));
      setError(failure?.message ?? null);
      if (!failure) {
        setNote('');
        setResolving(false);
      }
    } else {
      const failure = mutationError(await addNote({ id, body: note, public: isPublic }));
      setError(failure?.message ?? null);
      if (!failure) setNote('');
    }
    reload();
  }

  const entries = incident.timeline.entries;
  return (
    <>
      {back}
      <PageHeader title={`#${incident.number} ${incident.title}`}>
        <span className={`badge ${incident.status}`} data-testid="incident-status">
          {incident.status}
        </span>
        {incident.status === 'OPEN' && <button onClick={() => void acknowledge({ id }).then((o) => setError(mutationError(o)?.message ?? null))}>Acknowledge</button>}
        {incident.status !== 'RESOLVED' && (
          <button onClick={() => setResolving(!resolving)} aria-pressed={resolving}>
            Resolve…
          </button>
        )}
      </PageHeader>
      <div className="stat-row">
        <div className="stat">
          <span>Monitor</span>
          <b>{incident.monitor ? <a href={`#/monitors/${incident.monitor.id}`}>{incident.monitor.name}</a> : 'deleted'}</b>
        </div>
        <div className="stat">
          <span>Rule</span>
          <b>{incident.rule?.name ?? incident.kind}</b>
        </div>
        <div className="stat">
          <span>Opened</span>
          <b>{new Date(incident.openedAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'medium' })}</b>
        </div>
        <div className="stat">
          <span>{incident.resolvedAt ? 'Lasted' : 'Open for'}</span>
          <b>{duration(incident.openedAt, incident.resolvedAt, now)}</b>
        </div>
      </div>
      {error && <ErrorNote error={error} />}
      <form className="panel note-form" onSubmit={submitNote} aria-label={resolving ? 'Resolve incident' : 'Add a note'}>
        <label className="field">
          {resolving ? 'Resolution note (optional)' : 'Note'}
          <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} required={!resolving} maxLength={5000} placeholder={resolving ? 'What fixed it' : 'What you found, what you are doing'} />
        </label>
        <div className="row">
          {!resolving && (
            <label className="inline">
              <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} /> Show on status pages
            </label>
          )}
          <span className="grow" />
          {resolving && (
            <button type="button" onClick={() => setResolving(false)}>
              Cancel
            </button>
          )}
          <button className="primary" disabled={noting}>
            {resolving ? 'Resolve incident' : 'Add note'}
          </button>
        </div>
      </form>
      <h2>Timeline</h2>
      {incident.timeline.omittedChecks > 0 && <p className="muted">{incident.timeline.omittedChecks} earlier checks while it was open are not shown.</p>}
      <ol className="timeline" aria-label="Timeline, oldest first">
        {entries.map((e, i) => (
          <li key={i} className={`tl-entry tl-${e.kind.toLowerCase()} ${e.check ? (e.check.ok ? 'tl-ok' : 'tl-fail') : ''}`} data-kind={e.kind}>
            <time dateTime={e.at} title={new Date(e.at).toLocaleString()}>
              {new Date(e.at).toLocaleTimeString([], { hour12: false })}
              <span className="muted"> · {ago(e.at, now)}</span>
            </time>
            <div className="tl-body">
              <strong>{LABEL[e.kind] ?? e.kind}</strong>
              {e.actor ? <span> by {e.actor.name}</span> : (e.kind === 'OPENED' || e.kind === 'RESOLVED') && <span className="muted"> by the alert rule</span>}
              {e.check && (
                <span>
                  {' '}
                  <span className={`badge ${e.check.ok ? 'UP' : 'DOWN'}`}>{e.check.ok ? 'UP' : 'DOWN'}</span> {e.check.httpStatus ?? ''} {e.check.responseTimeMs != null ? formatMs(e.check.responseTimeMs) : ''}
                  {e.check.error && <span className="error"> {e.check.error}</span>}
                </span>
              )}
              {e.webhook && (
                <span className="muted">
                  {' '}
                  {e.webhook.event} → <span className="mono">{e.webhook.url}</span>
                </span>
              )}
              {e.attempt && <AttemptLine attempt={e.attempt} />}
              {e.note && (
                <p className="tl-text">
                  {e.note}
                  {e.public && <span className="badge IDLE">public</span>}
                </p>
              )}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}
