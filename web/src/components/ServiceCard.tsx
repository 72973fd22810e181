import { useMutation } from 'urql';
import { graphql, useFragment, type FragmentType } from '../gql';
import { flattenFields } from '../lib/log-row';
import { minuteSeries, type Sample } from '../lib/sparkline';
import { ago } from '../lib/time';
import { Sparkline } from './Sparkline';
import { ConfirmButton } from './ui/Confirm';

export const ServiceCardFragment = graphql(/* GraphQL */ `
  fragment ServiceCard_service on Service {
    key
    name
    state
    reportedState
    stale
    staleSince
    queueSize
    processedCount
    failedCount
    intervalSeconds
    message
    details
    lastReportAt
  }
`);

const DeleteService = graphql(/* GraphQL */ `
  mutation DeleteService($key: String!) {
    deleteService(key: $key)
  }
`);

/** Per-minute samples for a card's sparklines (queried for the whole grid at once). */
export interface ServiceSamples {
  at: string;
  queueSize?: number | null;
  processedPerMinute?: number | null;
}

export const SPARK_MINUTES = 60;
const count = (n: number | null | undefined) => (n == null ? '—' : n.toLocaleString());
const MAX_DETAILS = 8;

export function ServiceCard({
  service,
  samples,
  now,
  onDeleted,
}: {
  service: FragmentType<typeof ServiceCardFragment>;
  samples?: readonly ServiceSamples[];
  now: number;
  onDeleted?: (key: string) => void;
}) {
  const s = useFragment(ServiceCardFragment, service);
  const [, remove] = useMutation(DeleteService);
  const series = (pick: (x: ServiceSamples) => number | null | undefined): Sample[] => (samples ?? []).map((x) => ({ at: x.at, value: pick(x) }));
  const queue = minuteSeries(series((x) => x.queueSize), { minutes: SPARK_MINUTES, now });
  const throughput = minuteSeries(series((x) => x.processedPerMinute), { minutes: SPARK_MINUTES, now });
  const details = flattenFields(s.details);
  const titleId = `service-${s.key.replace(/[^\w-]/g, '_')}`;
  return (
    <article className={`card service ${s.stale ? 'stale' : ''}`} data-service={s.key} data-state={s.state} aria-labelledby={titleId}>
      <div className="title">
        <h2 className="card-title" id={titleId}>
          {s.name}
        </h2>
        {s.stale ? (
          <span className="badge STALE" data-testid="state-badge" title={s.staleSince ? `silent since ${new Date(s.staleSince).toLocaleString()}` : undefined}>
            STALE — was {s.reportedState}
          </span>
        ) : (
          <span className={`badge ${s.state}`} data-testid="state-badge">
            {s.state}
          </span>
        )}
      </div>
      <div className="muted mono service-key">{s.key}</div>
      <div className="stats">
        <div className="stat">
          <b data-field="queueSize">{count(s.queueSize)}</b>
          <span>queue</span>
        </div>
        <div className="stat">
          <b>{count(s.processedCount)}</b>
          <span>processed</span>
        </div>
        <div className="stat">
          <b className={s.failedCount ? 'error' : undefined}>{count(s.failedCount)}</b>
          <span>failed</span>
        </div>
      </div>
      <div className="sparks">
        <Sparkline values={queue} label="Queue" />
        <Sparkline values={throughput} label="Throughput" unit="/min" />
      </div>
      {s.message && <div className="service-message">{s.message}</div>}
      {details.length > 0 && (
        <dl className="details" data-testid="details">
          {details.slice(0, MAX_DETAILS).map((d) => (
            <div key={d.key}>
              <dt>{d.key}</dt>
              <dd className="mono">{d.value}</dd>
            </div>
          ))}
          {details.length > MAX_DETAILS && <div className="muted">+{details.length - MAX_DETAILS} more</div>}
        </dl>
      )}
      <div className="muted row card-foot">
        <span>every {s.intervalSeconds} s</span>
        <span title={s.lastReportAt}>
          {s.stale ? 'silent since ' : 'reported '}
          {ago(s.lastReportAt, now)}
        </span>
        <span className="grow" />
        <a href={`#/logs?channel=${encodeURIComponent(s.key)}`} aria-label={`Logs of ${s.name}`}>
          Logs
        </a>
        <ConfirmButton
          label="Delete"
          title={`Delete “${s.name}”?`}
          confirmLabel="Delete service"
          testId="delete-service"
          onConfirm={async () => {
            const result = await remove({ key: s.key });
            if (result.error) return result.error.graphQLErrors[0]?.message ?? 'Cannot reach the server — nothing was deleted';
            onDeleted?.(s.key);
          }}
        >
          Its state and history are forgotten. If it reports again, it comes back as new.
        </ConfirmButton>
      </div>
    </article>
  );
}
