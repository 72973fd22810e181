import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
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
      <h1>Settings</h1>
      {error && <p className="error">{error.graphQLErrors[0]?.message ?? error.message}</p>}
      {formError && <p className="error">{formError}</p>}
      <h2>Service tokens</h2>
      <form className="panel row" onSubmit={submitToken}>
        <input aria-label="Token name" placeholder="name, e.g. etl worker" value={token.name} onChange={(e) => setToken({ ...token, name: e.target.value })} required />
        <input aria-label="Channel patterns" placeholder="channels, e.g. etl:* balance-sync" value={token.channels} onChange={(e) => setToken({ ...token, channels: e.target.value })} required style={{ width: 300 }} />
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
      <table className="panel">
        <tbody>
          {data?.serviceTokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td className="mono muted">{t.channels.join(' ')}</td>
              <td className="muted">{new Date(t.createdAt).toLocaleString()}</td>
              <td>{t.revokedAt ? <span className="badge STOPPED">revoked</span> : <button className="danger" onClick={() => void revoke({ id: t.id })}>Revoke</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Members</h2>
      <form className="panel row" onSubmit={submitMember}>
        <input aria-label="Member name" placeholder="name" value={member.name} onChange={(e) => setMember({ ...member, name: e.target.value })} required />
        <input aria-label="Member email" placeholder="email" type="email" value={member.email} onChange={(e) => setMember({ ...member, email: e.target.value })} required />
        <input aria-label="Member password" placeholder="initial password" type="password" value={member.password} onChange={(e) => setMember({ ...member, password: e.target.value })} required />
        <select aria-label="Role" value={member.role} onChange={(e) => setMember({ ...member, role: e.target.value })}>
          <option>ADMIN</option>
          <option>MEMBER</option>
          <option>VIEWER</option>
        </select>
        <button className="primary">Add member</button>
      </form>
      <table className="panel">
        <tbody>
          {data?.members.map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td>
              <td className="muted">{m.email}</td>
              <td>
                <span className="badge">{m.role}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
