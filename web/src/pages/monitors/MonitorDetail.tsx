import { useCallback, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmButton } from '../../components/ui/Confirm';
import { DataTable } from '../../components/ui/DataTable';
import { PageHeader } from '../../components/ui/PageHeader';
import { Empty, ErrorNote, Loading } from '../../components/ui/States';
import { graphql } from '../../gql';
import type { CheckSeriesRange } from '../../gql/graphql';
import { formatMs, formatUptime } from '../../lib/chart';
import { mutationError } from '../../lib/errors';
import { navigate } from '../../lib/route';
import { ago, useNow } from '../../lib/time';
import { HeartbeatBar } from './HeartbeatBar';
import { useRefetchOnChecks } from './live';
import { MonitorForm } from './MonitorForm';
import { ResponseChart } from './ResponseChart';

const MonitorQuery = graphql(/* GraphQL */ `
  query Monitor($id: ID!) {
    monitor(id: $id) {
      id
      name
      kind
      url
      method
      status
      paused
      intervalSeconds
      timeoutMs
      expectedStatus
      keyword
      retries
      checkSsl
      uptimes {
        last24Hours
        last7Days
        last30Days
      }
      activeMaintenance {
        id
        title
        endsAt
      }
      alertRules {
        id
        name
        kind
        monitorId
      }
      checks(last: 50) {
        id
        ok
        httpStatus
        responseTimeMs
        durationMs
        error
        certExpiresAt
        certValid
        checkedAt
      }
    }
  }
`);

const SeriesQuery = graphql(/* GraphQL */ `
  query MonitorSeries($id: ID!, $range: CheckSeriesRange!) {
    monitor(id: $id) {
      id
      checkSeries(range: $range) {
        bucketSeconds
        from
        to
        summary {
          count
          failures
          avgResponseTimeMs
          p95ResponseTimeMs
          uptime
        }
        buckets {
          start
          count
          failures
          avgResponseTimeMs
          p95ResponseTimeMs
          minResponseTimeMs
          maxResponseTimeMs
          uptime
        }
      }
    }
  }
`);

const RunCheck = graphql(/* GraphQL */ `
  mutation RunMonitorCheck($id: ID!) {
    runMonitorCheck(id: $id) {
      id
      ok
    }
  }
`);

const Pause = graphql(/* GraphQL */ `
  mutation PauseMonitor($id: ID!) {
    pauseMonitor(id: $id) {
      id
      status
      paused
    }
  }
`);

const Resume = graphql(/* GraphQL */ `
  mutation ResumeMonitor($id: ID!) {
    resumeMonitor(id: $id) {
      id
      status
      paused
    }
  }
`);

const Clone = graphql(/* GraphQL */ `
  mutation CloneMonitor($id: ID!) {
    cloneMonitor(id: $id) {
      id
      name
    }
  }
`);

const Delete = graphql(/* GraphQL */ `
  mutation DeleteMonitor($id: ID!) {
    deleteMonitor(id: $id)
  }
`);

const RANGES: { value: CheckSeriesRange; label: string; long: string }[] = [
  { value: 'HOUR', label: '1 h', long: 'last hour' },
  { value: 'DAY', label: '24 h', long: 'last 24 hours' },
  { value: 'WEEK', label: '7 d', long: 'last 7 days' },
  { value: 'MONTH', label: '30 d', long: 'last 30 days' },
];

/**
 * One monitor: its settings, state, heartbeat and uptime figures, a response-time chart over a
 * range chosen in the URL (aggregated on the server), its checks with their errors, and the
 * actions — check now, edit, pause/resume, clone, delete (asked first).
 */
export function MonitorDetail({ id, params, seedName, nav }: { id: string; params: URLSearchParams; seedName?: string; nav: ReactNode }) {
  const now = useNow();
  const rangeParam = params.get('range')?.toUpperCase();
  const range = RANGES.find((r) => r.value === rangeParam) ?? RANGES[1]!;
  const [result, refetch] = useQuery({ query: MonitorQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const [series, refetchSeries] = useQuery({ query: SeriesQuery, variables: { id, range: range.value }, requestPolicy: 'cache-and-network' });
  useRefetchOnChecks(
    id,
    useCallback(() => {
      refetch({ requestPolicy: 'network-only' });
      refetchSeries({ requestPolicy: 'network-only' });
    }, [refetch, refetchSeries]),
  );
  const [editing, setEditing] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [{ fetching: checking }, run] = useMutation(RunCheck);
  const [, pause] = useMutation(Pause);
  const [, resume] = useMutation(Resume);
  const [{ fetching: cloning }, clone] = useMutation(Clone);
  const [, remove] = useMutation(Delete);
  const act = async (outcome: Promise<Parameters<typeof mutationError>[0]>) => {
    const failure = mutationError(await outcome);
    setActionError(failure?.message ?? null);
    return !failure;
  };

  const back = (
    <p className="back">
      <a href="#/monitors">← Monitors</a>
    </p>
  );
  const m = result.data?.monitor;
  if (result.error && !result.data)
    return (
      <>
        {nav}
        {back}
        <ErrorNote error={result.error} />
      </>
    );
  if (result.data && !m)
    return (
      <>
        {nav}
        {back}
        <Empty title="No such monitor.">It may have been deleted.</Empty>
      </>
    );
  const title = m?.name ?? seedName ?? 'Monitor';
  const cert = m?.checks.findLast((c) => c.certExpiresAt);
  const maintenance = m?.activeMaintenance;
  return (
    <>
      {nav}
      {back}
      <PageHeader title={title}>
        {m && (
          <>
            <span className={`badge ${maintenance ? 'PAUSED' : m.status}`} data-testid="monitor-status">
              {maintenance ? 'MAINTENANCE' : m.status}
            </span>
            <button disabled={checking} onClick={() => void act(run({ id })).then(() => (refetch({ requestPolicy: 'network-only' }), refetchSeries({ requestPolicy: 'network-only' })))}>
              Check now
            </button>
            <button onClick={() => setEditing(!editing)} aria-expanded={editing}>
              Edit
            </button>
            {m.paused ? <button onClick={() => void act(resume({ id }))}>Resume</button> : <button onClick={() => void act(pause({ id }))}>Pause</button>}
            <button
              disabled={cloning}
              onClick={() =>
                void clone({ id }).then((outcome) => {
                  const failure = mutationError(outcome);
                  if (failure) return setActionError(failure.message);
                  if (outcome.data) navigate(`/monitors/${outcome.data.cloneMonitor.id}`);
                })
              }
            >
              Clone
            </button>
            <ConfirmButton
              label="Delete"
              title={`Delete “${m.name}”?`}
              confirmLabel="Delete monitor"
              onConfirm={async () => {
                const failure = mutationError(await remove({ id }));
                if (failure) return failure.message;
                navigate('/monitors');
              }}
            >
              Its checks, uptime history and incidents go with it. Alert rules for it alone stop applying. This cannot be undone.
            </ConfirmButton>
          </>
        )}
      </PageHeader>
      {actionError && <ErrorNote error={actionError} />}
      {!m ? (
        <Loading label="Loading monitor…" />
      ) : (
        <>
          {editing && (
            <MonitorForm
              id={id}
              monitor={m}
              onCancel={() => setEditing(false)}
              onDone={() => {
                setEditing(false);
                refetch({ requestPolicy: 'network-only' });
              }}
            />
          )}
          <p className="muted mono meta">
            {m.kind} {m.kind === 'HTTP' ? m.method : ''} {m.url} · every {m.intervalSeconds} s · timeout {formatMs(m.timeoutMs)}
            {m.kind === 'HTTP' ? ` · expects ${m.expectedStatus}` : ''}
            {m.keyword ? ` · keyword "${m.keyword}"` : ''}
            {m.retries ? ` · ${m.retries} retries` : ''}
          </p>
          {maintenance && (
            <p className="notice">
              In maintenance{maintenance.title ? ` (${maintenance.title})` : ''} until {new Date(maintenance.endsAt).toLocaleString()}: checks go on, no incident opens.
            </p>
          )}
          <div className="stat-row">
            <div className="stat">
              <span>Uptime 24 h</span>
              <b>{formatUptime(m.uptimes.last24Hours)}</b>
            </div>
            <div className="stat">
              <span>7 days</span>
              <b>{formatUptime(m.uptimes.last7Days)}</b>
            </div>
            <div className="stat">
              <span>30 days</span>
              <b>{formatUptime(m.uptimes.last30Days)}</b>
            </div>
            <div className="stat">
              <span>Alert rules</span>
              <b>{m.alertRules.length}</b>
              <a href="#/monitors/rules" className="small-link">
                {m.alertRules.length ? m.alertRules.map((r) => r.name).join(', ') : 'add one'}
              </a>
            </div>
            {cert && (
              <div className="stat">
                <span>Certificate</span>
                <b>{Math.round((new Date(cert.certExpiresAt!).getTime() - now) / 86_400_000)} days</b>
                <span>{cert.certValid ? 'valid' : 'not trusted'} · until {new Date(cert.certExpiresAt!).toLocaleDateString()}</span>
              </div>
            )}
          </div>
          <HeartbeatBar beats={m.checks} slots={50} />
        </>
      )}
      <div className="section-head">
        <h2>Response time</h2>
        <div className="segmented" role="group" aria-label="Chart range">
          {RANGES.map((r) => (
            <a key={r.value} href={`#/monitors/${id}?range=${r.value.toLowerCase()}`} aria-current={r.value === range.value ? 'true' : undefined}>
              {r.label}
            </a>
          ))}
        </div>
      </div>
      {series.data?.monitor?.checkSeries ? (
        <ResponseChart series={series.data.monitor.checkSeries} rangeLabel={range.long} />
      ) : series.error ? (
        <ErrorNote error={series.error} />
      ) : (
        <Loading label="Loading chart…" />
      )}
      {m && (
        <>
          <h2>Recent checks</h2>
          {m.checks.length === 0 ? (
            <Empty title="No checks yet.">The first runs within {m.intervalSeconds} s, or press Check now.</Empty>
          ) : (
            <DataTable
              caption="Recent checks, newest first"
              rows={[...m.checks].reverse().slice(0, 20)}
              rowKey={(c) => c.id}
              rowProps={(c) => ({ 'data-check-ok': String(c.ok) })}
              columns={[
                { header: 'Result', className: 'status-cell', cell: (c) => <span className={`badge ${c.ok ? 'UP' : 'DOWN'}`}>{c.ok ? 'UP' : 'DOWN'}</span> },
                { header: 'HTTP status', cell: (c) => c.httpStatus ?? '—' },
                { header: 'Response', cell: (c) => (c.responseTimeMs != null ? formatMs(c.responseTimeMs) : <span className="muted">no answer{c.durationMs != null ? ` (gave up after ${formatMs(c.durationMs)})` : ''}</span>) },
                { header: 'Error', className: 'error meta', cell: (c) => c.error ?? '' },
                { header: 'Checked', className: 'muted', cell: (c) => <time dateTime={c.checkedAt} title={new Date(c.checkedAt).toLocaleString()}>{ago(c.checkedAt, now)}</time> },
              ]}
            />
          )}
        </>
      )}
    </>
  );
}
