import { useEffect } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { PublicMonitorStatus, PublicPageStatus } from '../gql/graphql';
import { formatUptime } from '../lib/chart';
import { ago, useNow } from '../lib/time';

const StatusPageQuery = graphql(/* GraphQL */ `
  query PublicStatusPage($slug: String!) {
    statusPage(slug: $slug) {
      slug
      title
      description
      status
      updatedAt
      refreshAfterSeconds
      monitors {
        position
        name
        status
        uptime
        days {
          date
          checks
          failures
          uptime
        }
      }
      incidents {
        title
        status
        monitorName
        startedAt
        acknowledgedAt
        resolvedAt
        updates {
          at
          body
        }
      }
    }
  }
`);

const HEADLINE: Record<PublicPageStatus, string> = {
  OPERATIONAL: 'All systems operational',
  DEGRADED: 'Degraded performance',
  PARTIAL_OUTAGE: 'Partial outage',
  MAJOR_OUTAGE: 'Major outage',
  MAINTENANCE: 'Under maintenance',
};
const MONITOR: Record<PublicMonitorStatus, string> = { UP: 'Operational', DOWN: 'Down', DEGRADED: 'Degraded', MAINTENANCE: 'Maintenance', PAUSED: 'Paused', PENDING: 'Pending' };
const TONE: Record<string, string> = { OPERATIONAL: 'UP', UP: 'UP', DEGRADED: 'DEGRADED', MAINTENANCE: 'PAUSED', PAUSED: 'PAUSED', PENDING: 'PENDING', PARTIAL_OUTAGE: 'DOWN', MAJOR_OUTAGE: 'DOWN', DOWN: 'DOWN' };

/** A day's bar colour: no checks, all good, a few failures, many. */
const dayClass = (d: { checks: number; uptime?: number | null }) => (d.checks === 0 || d.uptime == null ? 'none' : d.uptime >= 0.999 ? 'ok' : d.uptime >= 0.95 ? 'some' : 'bad');

/**
 * The public status page at /status/<slug>: for anyone, signed in or not. It shows the headline,
 * each chosen monitor's state and 90 days of uptime, and open and recent incidents with their
 * public notes — and polls (the server says how often), so it stays current without a stream.
 */
export function StatusPage({ slug }: { slug: string }) {
  const now = useNow(5_000);
  const [result, refetch] = useQuery({ query: StatusPageQuery, variables: { slug }, requestPolicy: 'cache-and-network' });
  const page = result.data?.statusPage;
  const every = (page?.refreshAfterSeconds ?? 15) * 1000;
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), every);
    return () => clearInterval(timer);
  }, [refetch, every]);
  useEffect(() => {
    document.title = page ? `${page.title} · status` : 'Status';
  }, [page]);

  if (!result.data)
    return (
      <main className="status-page" id="main">
        {result.error ? <p role="alert">This status page cannot be reached right now. It will try again.</p> : <p role="status">Loading status…</p>}
      </main>
    );
  if (!page)
    return (
      <main className="status-page" id="main">
        <h1>No such status page</h1>
        <p className="muted">Check the address.</p>
      </main>
    );
  const open = page.incidents.filter((i) => i.status !== 'RESOLVED');
  const recent = page.incidents.filter((i) => i.status === 'RESOLVED');
  return (
    <main className="status-page" id="main">
      <header className="sp-head">
        <h1>{page.title}</h1>
        {page.description && <p className="muted">{page.description}</p>}
      </header>
      <section className={`sp-headline ${TONE[page.status]}`} role="status" aria-live="polite" data-testid="headline" data-status={page.status}>
        <span className="sp-dot" aria-hidden="true" />
        {HEADLINE[page.status]}
      </section>
      {open.length > 0 && (
        <section aria-labelledby="open-incidents">
          <h2 id="open-incidents">Ongoing incidents</h2>
          {open.map((i, n) => (
            <Incident key={n} incident={i} now={now} />
          ))}
        </section>
      )}
      <section aria-labelledby="sp-monitors" className="sp-monitors">
        <h2 id="sp-monitors">Systems</h2>
        {page.monitors.map((m) => (
          <div key={m.position} className="sp-monitor" data-public-monitor={m.name}>
            <div className="sp-monitor-head">
              <strong>{m.name}</strong>
              <span className="muted">{formatUptime(m.uptime)} uptime, 90 days</span>
              <span className="grow" />
              <span className={`badge ${TONE[m.status]}`}>{MONITOR[m.status]}</span>
            </div>
            <div className="sp-days" role="img" aria-label={`${m.name}: ${m.days.filter((d) => d.checks > 0 && (d.uptime ?? 1) < 0.999).length} days with failures in the last ${m.days.length}`}>
              {m.days.map((d) => (
                <span key={d.date} className={`sp-day ${dayClass(d)}`} title={`${d.date}: ${d.checks ? `${formatUptime(d.uptime)} (${d.failures} failed of ${d.checks} checks)` : 'no data'}`} />
              ))}
            </div>
            <div className="sp-days-legend muted" aria-hidden="true">
              <span>{m.days.length} days ago</span>
              <span>today</span>
            </div>
          </div>
        ))}
      </section>
      <section aria-labelledby="recent-incidents">
        <h2 id="recent-incidents">Past incidents (14 days)</h2>
        {recent.length === 0 ? <p className="muted">No incidents reported.</p> : recent.map((i, n) => <Incident key={n} incident={i} now={now} />)}
      </section>
      <footer className="sp-foot muted">
        Updated {ago(page.updatedAt, now)} · refreshes every {page.refreshAfterSeconds} s · <a href={`/status/${page.slug}.json`}>JSON</a> · Powered by Pulseboard
      </footer>
    </main>
  );
}

function Incident({ incident: i, now }: { incident: { title: string; status: string; monitorName: string; startedAt: string; resolvedAt?: string | null; updates: { at: string; body: string }[] }; now: number }) {
  return (
    <article className="sp-incident" data-public-incident={i.title}>
      <div className="row">
        <strong>{i.title}</strong>
        <span className={`badge ${i.status === 'RESOLVED' ? 'UP' : i.status === 'IDENTIFIED' ? 'DEGRADED' : 'DOWN'}`}>{i.status.toLowerCase()}</span>
      </div>
      <p className="muted">
        {i.monitorName} · began {new Date(i.startedAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}
        {i.resolvedAt ? ` · resolved ${ago(i.resolvedAt, now)}` : ''}
      </p>
      {i.updates.length > 0 && (
        <ol className="sp-updates">
          {i.updates.map((u, n) => (
            <li key={n}>
              <time dateTime={u.at}>{new Date(u.at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })}</time> {u.body}
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
