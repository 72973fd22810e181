import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmButton } from '../../components/ui/Confirm';
import { DataTable } from '../../components/ui/DataTable';
import { PageHeader } from '../../components/ui/PageHeader';
import { Empty, QueryState } from '../../components/ui/States';
import { graphql } from '../../gql';
import { mutationError } from '../../lib/errors';

const MaintenanceQuery = graphql(/* GraphQL */ `
  query MaintenanceWindows {
    maintenanceWindows {
      id
      title
      startsAt
      endsAt
      active
      monitors {
        id
        name
      }
    }
    monitors {
      id
      name
    }
  }
`);

const CreateWindow = graphql(/* GraphQL */ `
  mutation CreateMaintenanceWindow($title: String, $startsAt: DateTime!, $endsAt: DateTime!, $monitorIds: [ID!]!) {
    createMaintenanceWindow(title: $title, startsAt: $startsAt, endsAt: $endsAt, monitorIds: $monitorIds) {
      id
    }
  }
`);

const DeleteWindow = graphql(/* GraphQL */ `
  mutation DeleteMaintenanceWindow($id: ID!) {
    deleteMaintenanceWindow(id: $id)
  }
`);

/** `datetime-local` wants local time without a zone: "2026-11-30T21:00". */
const localInput = (at: number) => {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

const span = (from: string, to: string) => `${new Date(from).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })} → ${new Date(to).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}`;

/** Maintenance windows: while one is in force, its monitors are checked but open no incident. */
export function MaintenancePage() {
  const [result, refetch] = useQuery({ query: MaintenanceQuery, requestPolicy: 'cache-and-network' });
  const [creating, setCreating] = useState(false);
  const [, remove] = useMutation(DeleteWindow);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <PageHeader title="Maintenance">
        {!creating && (
          <button className="primary" onClick={() => setCreating(true)}>
            Schedule maintenance
          </button>
        )}
      </PageHeader>
      <p className="muted intro">During a window its monitors keep being checked, but no incident opens and nobody is paged; status pages say “maintenance”.</p>
      {creating && result.data && <WindowForm monitors={result.data.monitors} onCancel={() => setCreating(false)} onDone={() => (setCreating(false), reload())} />}
      <QueryState result={result} label="Loading maintenance windows…">
        {(data) =>
          data.maintenanceWindows.length === 0 ? (
            <Empty title="No maintenance scheduled." />
          ) : (
            <DataTable
              caption="Maintenance windows"
              rows={data.maintenanceWindows}
              rowKey={(w) => w.id}
              rowProps={(w) => ({ 'data-window': w.title ?? w.id })}
              columns={[
                { header: 'Maintenance', primary: true, cell: (w) => w.title ?? 'Maintenance' },
                { header: 'State', className: 'status-cell', cell: (w) => <span className={`badge ${w.active ? 'PAUSED' : Date.parse(w.endsAt) < Date.now() ? 'RESOLVED' : 'PENDING'}`}>{w.active ? 'IN FORCE' : Date.parse(w.endsAt) < Date.now() ? 'OVER' : 'SCHEDULED'}</span> },
                { header: 'When', cell: (w) => span(w.startsAt, w.endsAt) },
                { header: 'Monitors', cell: (w) => w.monitors.map((m) => m.name).join(', ') || '—' },
                {
                  header: 'Actions',
                  cell: (w) => (
                    <ConfirmButton
                      label="Delete"
                      title={`Delete “${w.title ?? 'this maintenance window'}”?`}
                      confirmLabel="Delete window"
                      onConfirm={async () => {
                        const failure = mutationError(await remove({ id: w.id }));
                        if (failure) return failure.message;
                        reload();
                      }}
                    >
                      {w.active ? 'It is in force now: its monitors can open incidents again at once.' : 'Its monitors will not be silenced then.'}
                    </ConfirmButton>
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

function WindowForm({ monitors, onDone, onCancel }: { monitors: { id: string; name: string }[]; onDone: () => void; onCancel: () => void }) {
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState(() => localInput(Date.now()));
  const [endsAt, setEndsAt] = useState(() => localInput(Date.now() + 3_600_000));
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, create] = useMutation(CreateWindow);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen.size === 0) return setError('Choose at least one monitor');
    const outcome = await create({ title: title || null, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString(), monitorIds: [...chosen] });
    const failure = mutationError(outcome);
    if (failure) return setError(failure.message);
    onDone();
  }
  return (
    <form className="panel form-grid" onSubmit={submit} aria-label="Schedule maintenance">
      <label className="field-slot">
        What
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} placeholder="Database upgrade" />
        <span className="field-error" />
      </label>
      <label className="field-slot">
        Starts
        <input type="datetime-local" required value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
        <span className="field-error" />
      </label>
      <label className="field-slot">
        Ends
        <input type="datetime-local" required value={endsAt} onChange={(e) => setEndsAt(e.target.value)} />
        <span className="field-error" />
      </label>
      <fieldset className="checklist full">
        <legend>Monitors</legend>
        {monitors.length === 0 && <span className="muted">No monitors yet.</span>}
        {monitors.map((m) => (
          <label key={m.id} className="inline">
            <input type="checkbox" checked={chosen.has(m.id)} onChange={(e) => setChosen((s) => (e.target.checked ? new Set(s).add(m.id) : new Set([...s].filter((x) => x !== m.id))))} />
            {m.name}
          </label>
        ))}
      </fieldset>
      <div className="form-actions">
        <button className="primary" disabled={fetching}>
          Schedule
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <span className="error form-error" role="alert">
          {error ?? ''}
        </span>
      </div>
    </form>
  );
}
