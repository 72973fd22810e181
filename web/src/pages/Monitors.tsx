import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { DataTable } from '../components/ui/DataTable';
import { PageHeader } from '../components/ui/PageHeader';
import { Empty, ErrorNote, Loading, QueryState } from '../components/ui/States';
import { graphql } from '../gql';
import { navigate } from '../lib/route';
import { ago, useNow } from '../lib/time';

const MonitorsQuery = graphql(/* GraphQL */ `
  query Monitors {
    monitors {
      id
      name
      kind
      url
      status
      intervalSeconds
      uptime(hours: 24)
      lastCheck {
        ok
        responseTimeMs
        checkedAt
        error
      }
    }
  }
`);

const MonitorQuery = graphql(/* GraphQL */ `
  query Monitor($id: ID!) {
    monitor(id: $id) {
      id
      name
      kind
      url
      method
      status
      intervalSeconds
      timeoutMs
      expectedStatus
      keyword
      retries
      checkSsl
      uptime(hours: 24)
      responseTimes(hours: 24) {
        at
        ms
        ok
      }
      checks(last: 20) {
        id
        ok
        httpStatus
        responseTimeMs
        error
        certExpiresAt
        certValid
        checkedAt
      }
    }
  }
`);

const ChecksSubscription = graphql(/* GraphQL */ `
  subscription MonitorChecks($monitorId: ID) {
    monitorChecks(monitorId: $monitorId) {
      id
      monitorId
      ok
    }
  }
`);

const CreateMonitor = graphql(/* GraphQL */ `
  mutation CreateMonitor($input: MonitorInput!) {
    createMonitor(input: $input) {
      id
    }
  }
`);

const RunCheck = graphql(/* GraphQL */ `
  mutation RunMonitorCheck($id: ID!) {
    runMonitorCheck(id: $id) {
      ok
    }
  }
`);

const SetPaused = graphql(/* GraphQL */ `
  mutation PauseMonitor($id: ID!) {
    pauseMonitor(id: $id) {
      id
      status
    }
  }
`);

const Resume = graphql(/* GraphQL */ `
  mutation ResumeMonitor($id: ID!) {
    resumeMonitor(id: $id) {
      id
      status
    }
  }
`);

export function MonitorsPage({ path }: { path: string }) {
  const id = path.split('/')[2];
  return id ? <MonitorDetail id={id} /> : <MonitorList />;
}

/** Refetches `refetch` whenever a check completes (at most every half second). */
function useRefetchOnChecks(monitorId: string | null, refetch: () => void) {
  const [tick, setTick] = useState(0);
  useSubscription({ query: ChecksSubscription, variables: { monitorId } }, (_p, data) => {
    setTick((n) => n + 1);
    return data;
  });
  useEffect(() => {
    if (!tick) return;
    const timer = setTimeout(refetch, 500);
    return () => clearTimeout(timer);
  }, [tick, refetch]);
}

function MonitorList() {
  const now = useNow();
  const [result, refetch] = useQuery({ query: MonitorsQuery, requestPolicy: 'cache-and-network' });
  useRefetchOnChecks(null, () => refetch({ requestPolicy: 'network-only' }));
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader title="Monitors">
        <button className="primary" onClick={() => setCreating(!creating)} aria-expanded={creating}>
          {creating ? 'Cancel' : 'New monitor'}
        </button>
      </PageHeader>
      {creating && <MonitorForm onCreated={(id) => navigate(`/monitors/${id}`)} />}
      <QueryState result={result} label="Loading monitors…">
        {(data) =>
          data.monitors.length === 0 ? (
            <Empty title="No monitors yet.">Create one to check an HTTP endpoint or a TCP port on a schedule.</Empty>
          ) : (
            <DataTable
              caption="Monitors"
              rows={data.monitors}
              rowKey={(m) => m.id}
              href={(m) => `#/monitors/${m.id}`}
              rowProps={(m) => ({ 'data-monitor': m.name })}
              columns={[
                { header: 'Name', primary: true, cell: (m) => m.name },
                { header: 'Status', cell: (m) => <span className={`badge ${m.status}`}>{m.status}</span> },
                { header: 'Target', className: 'mono muted meta', cell: (m) => m.url },
                { header: 'Uptime 24 h', cell: (m) => (m.uptime == null ? '—' : `${(m.uptime * 100).toFixed(2)} %`) },
                { header: 'Response', cell: (m) => (m.lastCheck?.responseTimeMs != null ? `${m.lastCheck.responseTimeMs} ms` : '—') },
                { header: 'Last check', className: 'muted', cell: (m) => <span title={m.lastCheck?.error ?? ''}>{ago(m.lastCheck?.checkedAt, now)}</span> },
              ]}
            />
          )
        }
      </QueryState>
    </>
  );
}

function MonitorForm({ onCreated }: { onCreated: (id: string) => void }) {
  const [form, setForm] = useState({ name: '', kind: 'HTTP', url: '', intervalSeconds: '60', keyword: '', expectedStatus: '200-399', retries: '0' });
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [{ fetching }, create] = useMutation(CreateMonitor);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create({
      input: {
        name: form.name,
        kind: form.kind as 'HTTP' | 'TCP',
        url: form.url,
        intervalSeconds: Number(form.intervalSeconds),
        retries: Number(form.retries),
        ...(form.kind === 'HTTP' ? { keyword: form.keyword || null, expectedStatus: form.expectedStatus } : {}),
      },
    });
    const failure = result.error?.graphQLErrors[0];
    if (failure) return setError({ message: failure.message, field: failure.extensions?.field as string | undefined });
    if (result.error) return setError({ message: 'Cannot reach the server' });
    if (result.data) onCreated(result.data.createMonitor.id);
  }
  const input = (name: keyof typeof form, label: string, props: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input
        name={name}
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
        aria-invalid={error?.field === name || undefined}
        aria-describedby={error?.field === name ? `${name}-error` : undefined}
        {...props}
      />
      {error?.field === name && (
        <span className="field-error" id={`${name}-error`}>
          {error.message}
        </span>
      )}
    </label>
  );
  return (
    <form className="panel form-grid" onSubmit={submit} style={{ marginBottom: 16 }} aria-label="New monitor">
      {input('name', 'Name', { required: true })}
      <label>
        Kind
        <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
          <option>HTTP</option>
          <option>TCP</option>
        </select>
      </label>
      {input('url', form.kind === 'HTTP' ? 'URL' : 'host:port', { required: true, style: { width: 'min(280px, 80vw)' } })}
      {input('intervalSeconds', 'Every (s)', { type: 'number', min: 10, style: { width: 90 } })}
      {input('retries', 'Retries', { type: 'number', min: 0, style: { width: 70 } })}
      {form.kind === 'HTTP' && input('expectedStatus', 'Expected status', { style: { width: 120 } })}
      {form.kind === 'HTTP' && input('keyword', 'Keyword (optional)')}
      <button className="primary" disabled={fetching}>
        Create
      </button>
      {error && !error.field && <ErrorNote error={error.message} />}
    </form>
  );
}

function MonitorDetail({ id }: { id: string }) {
  const now = useNow();
  const [result, refetch] = useQuery({ query: MonitorQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  useRefetchOnChecks(id, () => refetch({ requestPolicy: 'network-only' }));
  const [, run] = useMutation(RunCheck);
  const [, pause] = useMutation(SetPaused);
  const [, resume] = useMutation(Resume);
  const back = (
    <p>
      <a href="#/monitors">← Monitors</a>
    </p>
  );
  if (result.error && !result.data)
    return (
      <>
        {back}
        <ErrorNote error={result.error} />
      </>
    );
  if (!result.data) return (
    <>
      {back}
      <Loading label="Loading monitor…" />
    </>
  );
  const m = result.data.monitor;
  if (!m) return (
    <>
      {back}
      <Empty title="No such monitor.">It may have been deleted.</Empty>
    </>
  );
  const cert = m.checks.findLast((c) => c.certExpiresAt);
  return (
    <>
      {back}
      <PageHeader title={m.name}>
        <span className={`badge ${m.status}`}>{m.status}</span>
        <button onClick={() => void run({ id }).then(() => refetch({ requestPolicy: 'network-only' }))}>Check now</button>
        {m.status === 'PAUSED' ? <button onClick={() => void resume({ id })}>Resume</button> : <button onClick={() => void pause({ id })}>Pause</button>}
      </PageHeader>
      <p className="muted mono meta">
        {m.kind} {m.kind === 'HTTP' ? m.method : ''} {m.url} · every {m.intervalSeconds} s · timeout {m.timeoutMs} ms · expects {m.expectedStatus}
        {m.keyword ? ` · keyword "${m.keyword}"` : ''} · uptime 24 h {m.uptime == null ? '—' : `${(m.uptime * 100).toFixed(2)} %`}
      </p>
      {cert && (
        <p>
          Certificate expires {new Date(cert.certExpiresAt!).toLocaleDateString()} ({Math.round((new Date(cert.certExpiresAt!).getTime() - now) / 86_400_000)} days){' '}
          {cert.certValid ? <span className="badge UP">valid</span> : <span className="badge DOWN">not trusted</span>}
        </p>
      )}
      <h2>Response time, last 24 h</h2>
      <ResponseChart points={m.responseTimes} />
      <h2>Recent checks</h2>
      {m.checks.length === 0 ? (
        <Empty title="No checks yet." />
      ) : (
        <DataTable
          caption="Recent checks, newest first"
          rows={[...m.checks].reverse()}
          rowKey={(c) => c.id}
          columns={[
            { header: 'Result', cell: (c) => <span className={`badge ${c.ok ? 'UP' : 'DOWN'}`}>{c.ok ? 'UP' : 'DOWN'}</span> },
            { header: 'HTTP status', cell: (c) => c.httpStatus ?? '—' },
            { header: 'Response', cell: (c) => (c.responseTimeMs != null ? `${c.responseTimeMs} ms` : '—') },
            { header: 'Error', className: 'error meta', cell: (c) => c.error ?? '' },
            { header: 'Checked', className: 'muted', cell: (c) => ago(c.checkedAt, now) },
          ]}
        />
      )}
    </>
  );
}

function ResponseChart({ points }: { points: { at: string; ms?: number | null; ok: boolean }[] }) {
  if (points.length < 2)
    return (
      <div className="chart muted" style={{ padding: 12 }}>
        Not enough checks yet.
      </div>
    );
  const w = 1000;
  const h = 140;
  const t0 = new Date(points[0]!.at).getTime();
  const t1 = new Date(points.at(-1)!.at).getTime() || t0 + 1;
  const max = Math.max(1, ...points.map((p) => p.ms ?? 0));
  const x = (at: string) => ((new Date(at).getTime() - t0) / Math.max(1, t1 - t0)) * w;
  const y = (ms: number) => h - 8 - (ms / max) * (h - 16);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.ms ?? 0).toFixed(1)}`).join(' ');
  return (
    <div className="chart-box">
      {/* the label is HTML: text inside a stretched SVG would be stretched too */}
      <span className="chart-label">{max} ms</span>
      <svg className="chart" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label={`Response time chart, up to ${max} ms`}>
        <path d={path} fill="none" stroke="var(--accent)" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
        {points.filter((p) => !p.ok).map((p, i) => <circle key={i} cx={x(p.at)} cy={y(p.ms ?? 0)} r="3" fill="var(--red)" />)}
      </svg>
    </div>
  );
}
