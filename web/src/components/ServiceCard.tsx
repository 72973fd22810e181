import { graphql, useFragment, type FragmentType } from '../gql';
import { ago } from '../lib/time';

export const ServiceCardFragment = graphql(/* GraphQL */ `
  fragment ServiceCard_service on Service {
    key
    name
    state
    stale
    queueSize
    processedCount
    failedCount
    intervalSeconds
    message
    lastReportAt
  }
`);

const count = (n: number | null | undefined) => (n == null ? '—' : n.toLocaleString());

export function ServiceCard({ service, now }: { service: FragmentType<typeof ServiceCardFragment>; now: number }) {
  const s = useFragment(ServiceCardFragment, service);
  return (
    <article className={`card ${s.stale ? 'stale' : ''}`} data-service={s.key} data-state={s.state}>
      <div className="title">
        <h2 className="card-title">{s.name}</h2>
        <span className={`badge ${s.state}`}>{s.state}</span>
      </div>
      <div className="muted mono">{s.key}</div>
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
      {s.message && <div>{s.message}</div>}
      <div className="muted row">
        <span>every {s.intervalSeconds} s</span>
        <span className="grow" />
        <span title={s.lastReportAt}>{s.stale ? 'silent since ' : 'reported '}{ago(s.lastReportAt, now)}</span>
      </div>
    </article>
  );
}
