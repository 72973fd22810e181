import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
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
  const [{ data, error }, refetch] = useQuery({ query: MonitorsQuery, requestPolicy: 'cache-and-network' });
  useRefetchOnChecks(null, () => refetch({ requestPolicy: 'network-only' }));
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div className="row">
        <h1 className="grow">Monitors</h1>
        <button className="primary" onClick={() => setCreating(!creating)}>
          {creating ? 'Cancel' : 'New monitor'}
        </button>
      </div>
      {creating && <MonitorForm onCreated={(id) => navigate(`/monitors/${id}`)} />}
      {error && <p className="error">{error.message}</p>}
      <table className="panel">
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Target</th>
            <th>Uptime 24 h</th>
            <th>Response</th>
            <th>Last check</th>
          </tr>
        </thead>
        <tbody>
          {data?.monitors.map((m) => (
            <tr key={m.id} className="clickable" onClick={() => navigate(`/monitors/${m.id}`)} data-monitor={m.name}>
              <td>{m.name}</td>
              <td>
                <span className={`badge ${m.status}`}>{m.status}</span>
              </td>
              <td className="mono muted">{m.url}</td>
              <td>{m.uptime == null ? '—' : `${(m.uptime * 100).toFixed(2)} %`}</td>
              <td>{m.lastCheck?.responseTimeMs != null ? `${m.lastCheck.responseTimeMs} ms` : '—'}</td>
              <td className="muted" title={m.lastCheck?.error ?? ''}>
                {ago(m.lastCheck?.checkedAt, now)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data?.monitors.length === 0 && <p className="muted">No monitors yet.</p>}
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
    if (result.data) onCreated(result.data.createMonitor.id);
  }
  const input = (name: keyof typeof form, label: string, props: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input name={name} value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} {...props} />
      {error?.field === name && <span className="field-error">{error.message}</span>}
    </label>
  );
  return (
    <form className="panel row" onSubmit={submit} style={{ marginBottom: 16, alignItems: 'flex-end' }}>
      {input('name', 'Name', { required: true })}
      <label>
        Kind
        <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
          <option>HTTP</option>
          <option>TCP</option>
        </select>
      </label>
      {input('url', form.kind === 'HTTP' ? 'URL' : 'host:port', { required: true, style: { width: 280 } })}
      {input('intervalSeconds', 'Every (s)', { type: 'number', min: 10, style: { width: 90 } })}
      {input('retries', 'Retries', { type: 'number', min: 0, style: { width: 70 } })}
      {form.kind === 'HTTP' && input('expectedStatus', 'Expected status', { style: { width: 120 } })}
      {form.kind === 'HTTP' && input('keyword', 'Keyword (optional)')}
      <button className="primary" disabled={fetching}>
        Create
      </button>
      {error && !error.field && <span className="error">{error.message}</span>}
    </form>
  );
}

function MonitorDetail({ id }: { id: string }) {
  const now = useNow();
  const [{ data }, refetch] = useQuery({ query: MonitorQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  useRefetchOnChecks(id, () => refetch({ requestPolicy: 'network-only' }));
  const [, run] = useMutation(RunCheck);
  const [, pause] = useMutation(SetPaused);
  const [, resume] = useMutation(Resume);
  const m = data?.monitor;
  if (!m) return <p className="muted">Loading…</p>;
  const cert = m.checks.findLast((c) => c.certExpiresAt);
  return (
    <>
      <div className="row">
        <a href="#/monitors">← Monitors</a>
      </div>
      <div className="row">
        <h1 className="grow">
          {m.name} <span className={`badge ${m.status}`}>{m.status}</span>
        </h1>
        <button onClick={() => void run({ id }).then(() => refetch({ requestPolicy: 'network-only' }))}>Check now</button>
        {m.status === 'PAUSED' ? <button onClick={() => void resume({ id })}>Resume</button> : <button onClick={() => void pause({ id })}>Pause</button>}
      </div>
      <p className="muted mono">
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
      <table className="panel">
        <tbody>
          {[...m.checks].reverse().map((c) => (
            <tr key={c.id}>
              <td>
                <span className={`badge ${c.ok ? 'UP' : 'DOWN'}`}>{c.ok ? 'UP' : 'DOWN'}</span>
              </td>
              <td>{c.httpStatus ?? '—'}</td>
              <td>{c.responseTimeMs != null ? `${c.responseTimeMs} ms` : '—'}</td>
              <td className="error">{c.error}</td>
              <td className="muted">{ago(c.checkedAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ResponseChart({ points }: { points: { at: string; ms?: number | null; ok: boolean }[] }) {
  if (points.length < 2) return <div className="chart muted" style={{ padding: 12 }}>Not enough checks yet.</div>;
  const w = 1000;
  const h = 140;
  const t0 = new Date(points[0]!.at).getTime();
  const t1 = new Date(points.at(-1)!.at).getTime() || t0 + 1;
  const max = Math.max(1, ...points.map((p) => p.ms ?? 0));
  const x = (at: string) => ((new Date(at).getTime() - t0) / Math.max(1, t1 - t0)) * w;
  const y = (ms: number) => h - 8 - (ms / max) * (h - 16);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.ms ?? 0).toFixed(1)}`).join(' ');
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label="Response time chart">
      <path d={path} fill="none" stroke="var(--accent)" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
      {points.filter((p) => !p.ok).map((p, i) => <circle key={i} cx={x(p.at)} cy={y(p.ms ?? 0)} r="3" fill="var(--red)" />)}
      <text x="6" y="14" fill="var(--muted)" fontSize="12">{max} ms</text>
    </svg>
  );
}
