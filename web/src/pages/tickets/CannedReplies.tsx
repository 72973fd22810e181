import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmButton } from '../../components/ui/Confirm';
import { PageHeader } from '../../components/ui/PageHeader';
import { Empty, QueryState } from '../../components/ui/States';
import { graphql } from '../../gql';

export const CannedRepliesQuery = graphql(/* GraphQL */ `
  query CannedReplies {
    cannedReplies {
      id
      shortcut
      title
      body
      updatedAt
      createdBy {
        name
      }
    }
  }
`);

const CreateCanned = graphql(/* GraphQL */ `
  mutation CreateCannedReply($input: CannedReplyInput!) {
    createCannedReply(input: $input) {
      id
    }
  }
`);

const UpdateCanned = graphql(/* GraphQL */ `
  mutation UpdateCannedReply($id: ID!, $input: CannedReplyInput!) {
    updateCannedReply(id: $id, input: $input) {
      id
      shortcut
      title
      body
      updatedAt
    }
  }
`);

const DeleteCanned = graphql(/* GraphQL */ `
  mutation DeleteCannedReply($id: ID!) {
    deleteCannedReply(id: $id)
  }
`);

type Draft = { id: string | null; shortcut: string; title: string; body: string };
const EMPTY: Draft = { id: null, shortcut: '', title: '', body: '' };

/** The workspace's saved answers: agents insert one by typing its `/shortcut` in a reply. */
export function CannedRepliesPage() {
  const [result, refetch] = useQuery({ query: CannedRepliesQuery, requestPolicy: 'cache-and-network' });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [, create] = useMutation(CreateCanned);
  const [, update] = useMutation(UpdateCanned);
  const [, remove] = useMutation(DeleteCanned);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    const input = { shortcut: draft.shortcut.trim(), title: draft.title.trim(), body: draft.body };
    const saved = draft.id ? await update({ id: draft.id, input }) : await create({ input });
    setSaving(false);
    if (saved.error) {
      const first = saved.error.graphQLErrors[0];
      return setError({ field: (first?.extensions?.field as string | undefined) ?? null, message: first?.message ?? 'Cannot reach the server — nothing was saved' });
    }
    setError(null);
    setDraft(EMPTY);
    refetch({ requestPolicy: 'network-only' });
  }

  const editing = draft.id !== null;
  return (
    <>
      <PageHeader title="Canned replies" />
      <p className="muted">Saved answers for the whole workspace. In a reply, type <kbd>/</kbd> and the shortcut to insert one.</p>
      <form className="panel form-grid canned-form" aria-label={editing ? 'Edit canned reply' : 'New canned reply'} onSubmit={(e) => void save(e)}>
        <label>
          Shortcut
          <input value={draft.shortcut} onChange={(e) => setDraft({ ...draft, shortcut: e.target.value })} placeholder="refund" required maxLength={33} aria-invalid={error?.field === 'shortcut'} />
        </label>
        <label>
          Title
          <input value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} placeholder="Refund on its way" required maxLength={200} />
        </label>
        <label className="full">
          Text
          <textarea rows={4} value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} required />
        </label>
        <div className="row full">
          <span className="form-error error" role="alert">
            {error?.message ?? ''}
          </span>
          <span className="grow" />
          {editing && (
            <button type="button" onClick={() => (setDraft(EMPTY), setError(null))}>
              Cancel
            </button>
          )}
          <button className="primary" disabled={saving}>
            {editing ? 'Save reply' : 'Add reply'}
          </button>
        </div>
      </form>
      <QueryState result={result} label="Loading canned replies…">
        {(data) =>
          data.cannedReplies.length === 0 ? (
            <Empty title="No canned replies yet.">Add the answers your team gives most.</Empty>
          ) : (
            <ul className="canned-replies">
              {data.cannedReplies.map((r) => (
                <li key={r.id} className="panel" data-canned={r.shortcut}>
                  <div className="row">
                    <b className="mono">/{r.shortcut}</b>
                    <span>{r.title}</span>
                    <span className="grow" />
                    <button type="button" onClick={() => (setDraft({ id: r.id, shortcut: r.shortcut, title: r.title, body: r.body }), setError(null))} aria-label={`Edit /${r.shortcut}`}>
                      Edit
                    </button>
                    <ConfirmButton
                      label="Delete"
                      title={`Delete /${r.shortcut}?`}
                      confirmLabel="Delete reply"
                      onConfirm={async () => {
                        const done = await remove({ id: r.id });
                        if (done.error) return done.error.graphQLErrors[0]?.message ?? 'Cannot reach the server — nothing was deleted';
                        refetch({ requestPolicy: 'network-only' });
                      }}
                    >
                      Agents will no longer find it in the composer.
                    </ConfirmButton>
                  </div>
                  <p className="canned-text">{r.body}</p>
                  <span className="muted small">{r.createdBy ? `saved by ${r.createdBy.name}` : ''}</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </>
  );
}
