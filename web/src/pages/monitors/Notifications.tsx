import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { DataTable } from '../../components/ui/DataTable';
import { PageHeader } from '../../components/ui/PageHeader';
import { Empty, QueryState } from '../../components/ui/States';
import { graphql } from '../../gql';
import { formatMs } from '../../lib/chart';
import { mutationError } from '../../lib/errors';
import { ago, useNow } from '../../lib/time';

const NotificationsQuery = graphql(/* GraphQL */ `
  query Notifications {
    alertRules {
      id
      name
      webhookUrls
    }
    webhookDeliveries(first: 50) {
      edges {
        node {
          id
          event
          status
          test
          url
          incidentId
          ruleId
          createdAt
          nextAttemptAt
          attempts {
            attempt
            at
            httpStatus
            error
            durationMs
            responseBody
          }
        }
      }
    }
  }
`);

const SendTest = graphql(/* GraphQL */ `
  mutation SendTestWebhook($url: String!) {
    sendTestWebhook(url: $url) {
      id
      status
      url
      attempts {
        attempt
        at
        httpStatus
        error
        durationMs
        responseBody
      }
    }
  }
`);

interface Attempt {
  attempt: number;
  at: string;
  httpStatus?: number | null;
  error?: string | null;
  durationMs?: number | null;
  responseBody?: string | null;
}

/** What one try got back: the status or the reason there was none, how long, and the start of the body. */
export function AttemptLine({ attempt }: { attempt: Attempt }) {
  const ok = attempt.httpStatus != null && attempt.httpStatus < 300;
  return (
    <div className="attempt">
      <span className={`badge ${ok ? 'UP' : 'DOWN'}`}>{attempt.httpStatus ?? 'no answer'}</span> <span className="muted">try {attempt.attempt} · {formatMs(attempt.durationMs)}</span>
      {attempt.error && <span className="error"> · {attempt.error}</span>}
      {attempt.responseBody && (
        <details>
          <summary>answer</summary>
          <pre className="mono body">{attempt.responseBody}</pre>
        </details>
      )}
    </div>
  );
}

export function DeliveryResult({ delivery }: { delivery: { id: string; status: string; url: string; attempts: Attempt[] } }) {
  return (
    <div className="delivery" data-delivery-status={delivery.status}>
      <span className="mono meta">{delivery.url}</span> <span className={`badge ${delivery.status === 'DELIVERED' ? 'UP' : delivery.status === 'FAILED' ? 'DOWN' : 'PENDING'}`}>{delivery.status}</span>
      {delivery.attempts.map((a) => (
        <AttemptLine key={a.attempt} attempt={a} />
      ))}
    </div>
  );
}

/**
 * Where incidents are announced: every webhook the alert rules post to, a test button that
 * posts to any address now and shows the answer, and the delivery log with every try.
 */
export function NotificationsPage() {
  const now = useNow(5_000);
  const [result, refetch] = useQuery({ query: NotificationsQuery, requestPolicy: 'cache-and-network' });
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<Parameters<typeof DeliveryResult>[0]['delivery'] | null>(null);
  const [{ fetching }, send] = useMutation(SendTest);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const outcome = await send({ url });
    const failure = mutationError(outcome);
    setError(failure?.message ?? null);
    setLast(outcome.data?.sendTestWebhook ?? null);
    refetch({ requestPolicy: 'network-only' });
  }
  return (
    <>
      <PageHeader title="Notifications" />
      <p className="muted intro">
        Incidents are posted as JSON to the webhooks of the alert rule that opened them (opened, acknowledged, resolved), with retries. Add webhooks on <a href="#/monitors/rules">alert rules</a>; test any address here.
      </p>
      <form className="panel form-grid" onSubmit={submit} aria-label="Send a test event">
        <label className="field-slot wide-field">
          Webhook URL
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.example.com/…" aria-describedby="test-url-error" />
          <span className="field-error" id="test-url-error" aria-live="polite">
            {error ?? ''}
          </span>
        </label>
        <div className="form-actions">
          <button className="primary" disabled={fetching}>
            {fetching ? 'Sending…' : 'Send test'}
          </button>
        </div>
        {last && (
          <div className="full" role="status" data-testid="test-result">
            <DeliveryResult delivery={last} />
          </div>
        )}
      </form>
      <QueryState result={result} label="Loading notifications…">
        {(data) => {
          const targets = new Map<string, string[]>();
          for (const rule of data.alertRules) for (const u of rule.webhookUrls) targets.set(u, [...(targets.get(u) ?? []), rule.name]);
          const deliveries = data.webhookDeliveries.edges.map((e) => e.node);
          return (
            <>
              <h2>Webhooks in use</h2>
              {targets.size === 0 ? (
                <Empty title="No webhooks yet.">Add one to an alert rule to be told when an incident opens.</Empty>
              ) : (
                <ul className="plain-list">
                  {[...targets].map(([u, rules]) => (
                    <li key={u}>
                      <span className="mono">{u}</span> <span className="muted">· {rules.join(', ')}</span>
                    </li>
                  ))}
                </ul>
              )}
              <div className="section-head">
                <h2>Delivery log</h2>
                <button onClick={() => refetch({ requestPolicy: 'network-only' })}>Refresh</button>
              </div>
              {deliveries.length === 0 ? (
                <Empty title="Nothing sent yet." />
              ) : (
                <DataTable
                  caption="Webhook deliveries, newest first"
                  rows={deliveries}
                  rowKey={(d) => d.id}
                  rowProps={(d) => ({ 'data-delivery': d.event })}
                  columns={[
                    { header: 'Event', primary: true, cell: (d) => (d.incidentId ? <a href={`#/incidents/${d.incidentId}`}>{d.event}</a> : d.event) },
                    { header: 'Status', className: 'status-cell', cell: (d) => <span className={`badge ${d.status === 'DELIVERED' ? 'UP' : d.status === 'FAILED' ? 'DOWN' : 'PENDING'}`}>{d.status}</span> },
                    { header: 'To', className: 'mono meta', cell: (d) => d.url },
                    { header: 'Tries', cell: (d) => (d.attempts.length ? d.attempts.map((a) => <AttemptLine key={a.attempt} attempt={a} />) : <span className="muted">{d.nextAttemptAt ? `retry at ${new Date(d.nextAttemptAt).toLocaleTimeString()}` : "queued"}</span>) },
                    { header: 'When', className: 'muted', cell: (d) => ago(d.createdAt, now) },
                  ]}
                />
              )}
            </>
          );
        }}
      </QueryState>
    </>
  );
}
