import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { PageHeader } from '../components/ui/PageHeader';
import { ErrorNote, Loading } from '../components/ui/States';
import { graphql } from '../gql';

const SettingsQuery = graphql(/* GraphQL */ `
  query Settings {
    serviceTokens {
      id
      name
      channels
      createdAt
      revokedAt
    }
    members {
      id
      name
      email
      role
    }
  }
`);

const CreateToken = graphql(/* GraphQL */ `
  mutation CreateServiceToken($name: String!, $channels: [String!]!) {
    createServiceToken(name: $name, channels: $channels) {
      secret
      token {
        id
      }
    }
  }
`);

const RevokeToken = graphql(/* GraphQL */ `
  mutation RevokeServiceToken($id: ID!) {
    revokeServiceToken(id: $id) {
      id
      revokedAt
    }
  }
`);

const CreateMember = graphql(/* GraphQL */ `
  mutation CreateMember($input: CreateMemberInput!) {
    createMember(input: $input) {
      id
    }
  }
`);

export function SettingsPage() {
  const [{ data, error }, refetch] = useQuery({ query: SettingsQuery, requestPolicy: 'cache-and-network' });
  const [, createToken] = useMutation(CreateToken);
  const [, revoke] = useMutation(RevokeToken);
  const [, createMember] = useMutation(CreateMember);
  const [token, setToken] = useState({ name: '', channels: '' });
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [member, setMember] = useState({ name: '', email: '', password: '', role: 'MEMBER' });
  const [formError, setFormError] = useState<string | null>(null);

  async function submitToken(event: FormEvent) {
    event.preventDefault();
    const result = await createToken({ name: token.name, channels: token.channels.split(/[\s,]+/).filter(Boolean) });
    if (result.error) return setFormError(result.error.graphQLErrors[0]?.message ?? result.error.message);
    setFormError(null);
    setSecret(result.data!.createServiceToken.secret);
    setCopied(false);
    setToken({ name: '', channels: '' });
    refetch({ requestPolicy: 'network-only' });
  }

  async function submitMember(event: FormEvent) {
    event.preventDefault();
    const result = await createMember({ input: { ...member, role: member.role as 'ADMIN' | 'MEMBER' | 'VIEWER' } });
    if (result.error) return setFormError(result.error.graphQLErrors[0]?.message ?? result.error.message);
    setFormError(null);
    setMember({ name: '', email: '', password: '', role: 'MEMBER' });
    refetch({ requestPolicy: 'network-only' });
  }

  return (
    <>
      <PageHeader title="Settings" />
      {error && <ErrorNote error={error} />}
      {formError && <ErrorNote error={formError} />}
      {!data && !error && <Loading label="Loading settings…" />}
      <h2>Service tokens</h2>
      <form className="panel form-grid" onSubmit={submitToken} aria-label="New service token">
        <label>
          Token name
          <input placeholder="e.g. etl worker" value={token.name} onChange={(e) => setToken({ ...token, name: e.target.value })} required />
        </label>
        <label>
          Channel patterns
          <input placeholder="e.g. etl:* balance-sync" value={token.channels} onChange={(e) => setToken({ ...token, channels: e.target.value })} required style={{ width: 'min(300px, 80vw)' }} />
        </label>
        <button className="primary">Create token</button>
      </form>
      {secret && (
        <div className="secret row" style={{ margin: '10px 0' }}>
          <div className="grow">
            <div className="muted">Copy this secret now — it will not be shown again.</div>
            <code data-testid="token-secret">{secret}</code>
          </div>
          <button onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}>{copied ? 'Copied ✓' : 'Copy'}</button>
          <button onClick={() => setSecret(null)}>Done</button>
        </div>
      )}
      <div className="table-box" style={{ marginTop: 10 }}>
      <table className="data-table">
        <caption className="visually-hidden">Service tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Channels</th>
            <th scope="col">Created</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {data?.serviceTokens.map((t) => (
            <tr key={t.id}>
              <td className="primary" data-label="Name">{t.name}</td>
              <td className="mono muted" data-label="Channels">{t.channels.join(' ')}</td>
              <td className="muted" data-label="Created">{new Date(t.createdAt).toLocaleString()}</td>
              <td data-label="State">{t.revokedAt ? <span className="badge STOPPED">revoked</span> : <button className="danger" onClick={() => void revoke({ id: t.id })} aria-label={`Revoke ${t.name}`}>Revoke</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <h2>Members</h2>
      <form className="panel form-grid" onSubmit={submitMember} aria-label="New member">
        <label>
          Member name
          <input value={member.name} onChange={(e) => setMember({ ...member, name: e.target.value })} required />
        </label>
        <label>
          Member email
          <input type="email" value={member.email} onChange={(e) => setMember({ ...member, email: e.target.value })} required />
        </label>
        <label>
          Initial password
          <input type="password" autoComplete="new-password" value={member.password} onChange={(e) => setMember({ ...member, password: e.target.value })} required />
        </label>
        <label>
          Role
          <select value={member.role} onChange={(e) => setMember({ ...member, role: e.target.value })}>
            <option>ADMIN</option>
            <option>MEMBER</option>
            <option>VIEWER</option>
          </select>
        </label>
        <button className="primary">Add member</button>
      </form>
      <div className="table-box" style={{ marginTop: 10 }}>
      <table className="data-table">
        <caption className="visually-hidden">Members</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {data?.members.map((m) => (
            <tr key={m.id}>
              <td className="primary" data-label="Name">{m.name}</td>
              <td className="muted" data-label="Email">{m.email}</td>
              <td data-label="Role">
                <span className="badge">{m.role}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </>
  );
}
