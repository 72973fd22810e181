import { useCallback, useState } from 'react';
import { useQuery } from 'urql';
import { DataTable } from '../../components/ui/DataTable';
import { PageHeader } from '../../components/ui/PageHeader';
import { Empty, QueryState } from '../../components/ui/States';
import { graphql } from '../../gql';
import { formatMs, formatUptime } from '../../lib/chart';
import { navigate } from '../../lib/route';
import { ago, useNow } from '../../lib/time';
import { HeartbeatBar } from './HeartbeatBar';
import { useRefetchOnChecks } from './live';
import { MonitorForm } from './MonitorForm';

const MonitorsQuery = graphql(/* GraphQL */ `
  query Monitors {
    monitors {
      id
      name
      kind
      url
      status
      intervalSeconds
      uptimes {
        last24Hours
        last7Days
        last30Days
      }
      activeMaintenance {
        id
        title
      }
      checks(last: 30) {
        id
        ok
        checkedAt
        responseTimeMs
        error
      }
      lastCheck {
        ok
        responseTimeMs
        checkedAt
        error
      }
    }
  }
`);

/** Every monitor: state, a heartbeat bar of the last 30 checks, uptime over three spans, the last answer or error. */
export function MonitorList({ onCreated }: { onCreated: (monitor: { id: string; name: string }) => void }) {
  const now = useNow();
  const [result, refetch] = useQuery({ query: MonitorsQuery, requestPolicy: 'cache-and-network' });
  useRefetchOnChecks(
    null,
    useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]),
  );
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader title="Monitors">
        {!creating && (
          <button className="primary" onClick={() => setCreating(true)}>
            New monitor
          </button>
        )}
      </PageHeader>
      {creating && (
        <MonitorForm
          onCancel={() => setCreating(false)}
          onDone={(id, name) => {
            onCreated({ id, name });
            navigate(`/monitors/${id}`);
          }}
        />
      )}
      <QueryState result={result} label="Loading monitors…">
        {(data) =>
          data.monitors.length === 0 ? (
            <Empty title="No monitors yet.">Create one to check an HTTP endpoint or a TCP port on a schedule.</Empty>
          ) : (
            <DataTable
              caption="Monitors"
              className="monitors-table"
              rows={data.monitors}
              rowKey={(m) => m.id}
              href={(m) => `#/monitors/${m.id}`}
              rowProps={(m) => ({ 'data-monitor': m.name })}
              columns={[
                { header: 'Name', primary: true, cell: (m) => m.name },
                { header: 'Target', className: 'mono muted meta target', cell: (m) => m.url },
                { header: 'Status', className: 'status-cell', cell: (m) => <span className={`badge ${m.activeMaintenance ? 'PAUSED' : m.status}`}>{m.activeMaintenance ? 'MAINTENANCE' : m.status}</span> },
                { header: 'Last 30 checks', className: 'beats-cell', cell: (m) => <HeartbeatBar beats={m.checks} /> },
                {
                  header: 'Uptime 24 h · 7 d · 30 d',
                  className: 'num uptimes',
                  cell: (m) => (
                    <span>
                      <b>{formatUptime(m.uptimes.last24Hours)}</b> <span className="muted">· {formatUptime(m.uptimes.last7Days)} · {formatUptime(m.uptimes.last30Days)}</span>
                    </span>
                  ),
                },
                {
                  header: 'Last check',
                  className: 'last-check',
                  cell: (m) =>
                    m.lastCheck ? (
                      <span>
                        {m.lastCheck.ok ? formatMs(m.lastCheck.responseTimeMs) : <span className="error">{m.lastCheck.error ?? 'failed'}</span>} <span className="muted">· {ago(m.lastCheck.checkedAt, now)}</span>
                      </span>
                    ) : (
                      <span className="muted">not yet</span>
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
