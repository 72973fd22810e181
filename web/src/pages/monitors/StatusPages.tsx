import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmButton } from '../../components/ui/Confirm';
import { DataTable } from '../../components/ui/DataTable';
import { PageHeader } from '../../components/ui/PageHeader';
import { Empty, QueryState } from '../../components/ui/States';
import { graphql } from '../../gql';
import { mutationError } from '../../lib/errors';

const StatusPagesQuery = graphql(/* GraphQL */ `
  query StatusPages {
    statusPages {
      id
      slug
      title
      description
      path
      monitors {
        position
        label
        monitor {
          id
          name
        }
      }
    }
    monitors {
      id
      name
    }
  }
`);

const CreatePage = graphql(/* GraphQL */ `
  mutation CreateStatusPage($input: StatusPageInput!) {
    createStatusPage(input: $input) {
      id
      slug
    }
  }
`);

const UpdatePage = graphql(/* GraphQL */ `
  mutation UpdateStatusPage($id: ID!, $input: StatusPageInput!) {
    updateStatusPage(id: $id, input: $input) {
      id
      slug
    }
  }
`);

const DeletePage = graphql(/* GraphQL */ `
  mutation DeleteStatusPage($id: ID!) {
    deleteStatusPage(id: $id)
  }
`);

type Page = NonNullable<ReturnType<typeof useStatusPages>[0]['data']>['statusPages'][number];
const useStatusPages = () => useQuery({ query: StatusPagesQuery, requestPolicy: 'cache-and-network' });

/** Public status pages: which monitors, under which address; anyone can read them without signing in. */
export function StatusPagesPage() {
  const [result, refetch] = useStatusPages();
  const [editing, setEditing] = useState<Page | 'new' | null>(null);
  const [, remove] = useMutation(DeletePage);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <PageHeader title="Status pages">
        {editing === null && (
          <button className="primary" onClick={() => setEditing('new')}>
            New status page
          </button>
        )}
      </PageHeader>
      <p className="muted intro">A public page at /status/&lt;slug&gt; with the monitors you choose: their state, 90 days of uptime and incidents with the notes you mark public. It shows nothing else — no address, error or member. JSON and a badge for embedding too.</p>
      {editing !== null && result.data && (
        <StatusPageForm
          key={editing === 'new' ? 'new' : editing.id}
          page={editing === 'new' ? undefined : editing}
          monitors={result.data.monitors}
          onCancel={() => setEditing(null)}
          onDone={() => (setEditing(null), reload())}
        />
      )}
      <QueryState result={result} label="Loading status pages…">
        {(data) =>
          data.statusPages.length === 0 ? (
            <Empty title="No status page yet.">Publish one so customers see what is up without asking.</Empty>
          ) : (
            <DataTable
              caption="Status pages"
              rows={data.statusPages}
              rowKey={(p) => p.id}
              rowProps={(p) => ({ 'data-status-page': p.slug })}
              columns={[
                { header: 'Page', primary: true, cell: (p) => p.title },
                {
                  header: 'Address',
                  className: 'mono meta',
                  cell: (p) => (
                    <span>
                      <a href={p.path} target="_blank" rel="noreferrer">
                        {p.path}
                      </a>{' '}
                      · <a href={`${p.path}.json`}>JSON</a> · <a href={`${p.path}/badge.svg`}>badge</a>
                    </span>
                  ),
                },
                { header: 'Monitors', cell: (p) => p.monitors.map((m) => m.label ?? m.monitor?.name ?? '—').join(', ') || '—' },
                {
                  header: 'Actions',
                  cell: (p) => (
                    <div className="row actions-cell">
                      <button onClick={() => setEditing(p)}>Edit</button>
                      <ConfirmButton
                        label="Delete"
                        title={`Delete the status page “${p.title}”?`}
                        confirmLabel="Delete page"
                        onConfirm={async () => {
                          const failure = mutationError(await remove({ id: p.id }));
                          if (failure) return failure.message;
                          reload();
                        }}
                      >
                        {p.path} stops answering at once; links and badges to it break.
                      </ConfirmButton>
                    </div>
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

function StatusPageForm({ page, monitors, onDone, onCancel }: { page?: Page; monitors: { id: string; name: string }[]; onDone: () => void; onCancel: () => void }) {
  const [title, setTitle] = useState(page?.title ?? '');
  const [slug, setSlug] = useState(page?.slug ?? '');
  const [description, setDescription] = useState(page?.description ?? '');
  // chosen monitors in page order, with the public label
  const [chosen, setChosen] = useState<{ monitorId: string; label: string }[]>(() => page?.monitors.filter((m) => m.monitor).map((m) => ({ monitorId: m.monitor!.id, label: m.label ?? '' })) ?? []);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [{ fetching: creating }, create] = useMutation(CreatePage);
  const [{ fetching: updating }, update] = useMutation(UpdatePage);
  const toggle = (id: string, on: boolean) => setChosen((c) => (on ? [...c, { monitorId: id, label: '' }] : c.filter((x) => x.monitorId !== id)));
  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = { title, slug, description: description || null, monitors: chosen.map((c) => ({ monitorId: c.monitorId, label: c.label || null })) };
    const outcome = page ? await update({ id: page.id, input }) : await create({ input });
    const failure = mutationError(outcome);
    if (failure) return setError(failure);
    onDone();
  }
  const err = (field: string) => (
    <span className="field-error" id={`${field}-error`} aria-live="polite">
      {error?.field === field ? error.message : ''}
    </span>
  );
  return (
    <form className="panel form-grid" onSubmit={submit} aria-label={page ? 'Edit status page' : 'New status page'}>
      <label className="field-slot">
        Title
        <input required value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} placeholder="Acme status" aria-describedby="title-error" aria-invalid={error?.field === 'title' || undefined} />
        {err('title')}
      </label>
      <label className="field-slot">
        Slug (the address)
        <input required value={slug} onChange={(e) => setSlug(e.target.value.toLowerCase())} pattern="[a-z0-9-]{3,64}" placeholder="acme" aria-describedby="slug-error" aria-invalid={error?.field === 'slug' || undefined} />
        {err('slug')}
      </label>
      <label className="field-slot wide-field">
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} placeholder="Live status of our API and dashboard" />
        {err('description')}
      </label>
      <fieldset className="checklist full">
        <legend>Monitors shown (in this order)</legend>
        {monitors.map((m) => {
          const at = chosen.findIndex((c) => c.monitorId === m.id);
          return (
            <div key={m.id} className="row">
              <label className="inline">
                <input type="checkbox" checked={at >= 0} onChange={(e) => toggle(m.id, e.target.checked)} />
                {m.name}
              </label>
              {at >= 0 && (
                <input
                  aria-label={`Public name for ${m.name}`}
                  value={chosen[at]!.label}
                  placeholder={`public name (default: ${m.name})`}
                  onChange={(e) => setChosen((c) => c.map((x, i) => (i === at ? { ...x, label: e.target.value } : x)))}
                />
              )}
            </div>
          );
        })}
        {err('monitors')}
      </fieldset>
      <div className="form-actions">
        <button className="primary" disabled={creating || updating}>
          {page ? 'Save page' : 'Publish page'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <span className="error form-error" role="alert">
          {error && !['title', 'slug', 'description', 'monitors'].includes(error.field ?? '') ? error.message : ''}
        </span>
      </div>
    </form>
  );
}
