import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { PageHeader } from '../components/ui/PageHeader';
import { ErrorNote, Loading } from '../components/ui/States';
import { graphql } from '../gql';
import type { Role, ServiceTokenScope } from '../gql/graphql';

const MeQuery = graphql(/* GraphQL */ `
  query SettingsMe {
    viewer {
      id
      role
    }
    members {
      id
      name
      email
      role
    }
  }
`);

const AdminQuery = graphql(/* GraphQL */ `
  query SettingsAdmin {
    serviceTokens {
      id
      name
      channels
      scopes
      createdAt
      revokedAt
      lastUsedAt
    }
    invitations {
      id
      email
      role
      expiresAt
    }
  }
`);

const CreateToken = graphql(/* GraphQL */ `
  mutation CreateServiceToken($name: String!, $channels: [String!]!, $scopes: [ServiceTokenScope!]) {
    createServiceToken(name: $name, channels: $channels, scopes: $scopes) {
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

const RemoveMember = graphql(/* GraphQL */ `
  mutation RemoveMember($id: ID!) {
    removeMember(id: $id) {
      id
    }
  }
`);

const SetMemberRole = graphql(/* GraphQL */ `
  mutation SetMemberRole($id: ID!, $role: Role!) {
    setMemberRole(id: $id, role: $role) {
      id
      role
    }
  }
`);

const CreatePasswordReset = graphql(/* GraphQL */ `
  mutation CreatePasswordReset($memberId: ID!) {
    createPasswordReset(memberId: $memberId) {
      code
      expiresAt
    }
  }
`);

const InviteMember = graphql(/* GraphQL */ `
  mutation InviteMember($email: String!, $role: Role!) {
    inviteMember(email: $email, role: $role) {
      code
      invitation {
        id
      }
    }
  }
`);

const RevokeInvitation = graphql(/* GraphQL */ `
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id) {
      id
    }
  }
`);

const ChangePassword = graphql(/* GraphQL */ `
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

const SignOutEverywhere = graphql(/* GraphQL */ `
  mutation SignOutEverywhere {
    signOutEverywhere
  }
`);

const ROLES: Role[] = ['ADMIN', 'MEMBER', 'VIEWER'];
const RANK: Record<Role, number> = { ADMIN: 2, MEMBER: 1, VIEWER: 0 };
const SCOPES: { scope: ServiceTokenScope; label: string }[] = [
  { scope: 'READ_INCIDENTS', label: 'read incidents' },
  { scope: 'READ_MONITORS', label: 'read monitors' },
];

/** A secret or one-time link shown once, with a copy button. */
function ShownOnce({ label, value, testId, onDone }: { label: string; value: string; testId: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="secret row" style={{ margin: '10px 0' }} role="status">
      <div className="grow">
        <div className="muted">{label}</div>
        <code data-testid={testId}>{value}</code>
      </div>
      <button onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}>{copied ? 'Copied ✓' : 'Copy'}</button>
      <button onClick={onDone}>Done</button>
    </div>
  );
}

const linkFor = (kind: 'reset' | 'join', code: string) => `${window.location.origin}/#/${kind}/${code}`;
const errorOf = (error: { graphQLErrors: { message: string }[]; message: string }) => error.graphQLErrors[0]?.message ?? error.message;

/**
 * Settings: members (roles, removal, password resets, invitations) and service tokens for
 * ADMINs; for everyone, their own password and signing out everywhere. Every destructive
 * action asks first.
 */
export function SettingsPage() {
  const [{ data, error }, refetchMe] = useQuery({ query: MeQuery, requestPolicy: 'cache-and-network' });
  const isAdmin = data?.viewer?.role === 'ADMIN';
  const [{ data: admin }, refetchAdmin] = useQuery({ query: AdminQuery, requestPolicy: 'cache-and-network', pause: !isAdmin });
  const [, createToken] = useMutation(CreateToken);
  const [, revoke] = useMutation(RevokeToken);
  const [, createMember] = useMutation(CreateMember);
  const [, removeMember] = useMutation(RemoveMember);
  const [, setMemberRole] = useMutation(SetMemberRole);
  const [, createPasswordReset] = useMutation(CreatePasswordReset);
  const [, inviteMember] = useMutation(InviteMember);
  const [, revokeInvitation] = useMutation(RevokeInvitation);
  const [, changePassword] = useMutation(ChangePassword);
  const [, signOutEverywhere] = useMutation(SignOutEverywhere);
  const [token, setToken] = useState({ name: '', channels: '', scopes: [] as ServiceTokenScope[] });
  const [member, setMember] = useState({ name: '', email: '', password: '', role: 'MEMBER' as Role });
  const [invite, setInvite] = useState({ email: '', role: 'MEMBER' as Role });
  const [passwords, setPasswords] = useState({ currentPassword: '', newPassword: '' });
  const [shown, setShown] = useState<{ label: string; value: string; testId: string } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refetch = () => {
    refetchMe({ requestPolicy: 'network-only' });
    if (isAdmin) refetchAdmin({ requestPolicy: 'network-only' });
  };
  /** Runs a mutation; shows its error, or refreshes the lists. */
  async function run(action: () => Promise<{ error?: { graphQLErrors: { message: string }[]; message: string } }>, done?: string): Promise<boolean> {
    setNotice(null);
    const result = await action();
    if (result.error) {
      setFormError(errorOf(result.error));
      return false;
    }
    setFormError(null);
    if (done) setNotice(done);
    refetch();
    return true;
  }

  async function submitToken(event: FormEvent) {
    event.preventDefault();
    const result = await createToken({ name: token.name, channels: token.channels.split(/[\s,]+/).filter(Boolean), scopes: token.scopes });
    if (result.error) return setFormError(errorOf(result.error));
    setFormError(null);
    setShown({ label: 'Copy this secret now — it will not be shown again.', value: result.data!.createServiceToken.secret, testId: 'token-secret' });
    setToken({ name: '', channels: '', scopes: [] });
    refetch();
  }

  async function submitMember(event: FormEvent) {
    event.preventDefault();
    if (await run(() => createMember({ input: member }), `${member.email} added`)) setMember({ name: '', email: '', password: '', role: 'MEMBER' });
  }

  async function submitInvite(event: FormEvent) {
    event.preventDefault();
    const result = await inviteMember(invite);
    if (result.error) return setFormError(errorOf(result.error));
    setFormError(null);
    setShown({ label: `Send ${invite.email} this link (it works once, for 7 days). It will not be shown again.`, value: linkFor('join', result.data!.inviteMember.code), testId: 'invitation-link' });
    setInvite({ email: '', role: 'MEMBER' });
    refetch();
  }

  async function submitPassword(event: FormEvent) {
    event.preventDefault();
    if (await run(() => changePassword(passwords), 'Password changed; your other sessions were signed out.')) setPasswords({ currentPassword: '', newPassword: '' });
  }

  async function changeRole(m: { id: string; email: string; role: Role }, role: Role) {
    const self = m.id === data?.viewer?.id;
    if (RANK[role] < RANK[m.role] && !window.confirm(`${self ? 'Lower your own role' : `Lower ${m.email}’s role`} to ${role}? ${self ? 'You' : 'They'} lose access at once.`)) return;
    await run(() => setMemberRole({ id: m.id, role }), `${m.email} is now ${role}`);
  }

  async function remove(m: { id: string; email: string }) {
    if (!window.confirm(`Remove ${m.email} from this workspace? They are signed out everywhere at once.`)) return;
    await run(() => removeMember({ id: m.id }), `${m.email} removed`);
  }

  async function reset(m: { id: string; email: string }) {
    const result = await createPasswordReset({ memberId: m.id });
    if (result.error) return setFormError(errorOf(result.error));
    setFormError(null);
    setShown({ label: `Give ${m.email} this link (it works once, for an hour). It will not be shown again.`, value: linkFor('reset', result.data!.createPasswordReset.code), testId: 'reset-link' });
  }

  return (
    <>
      <PageHeader title="Settings" />
      {error && <ErrorNote error={error} />}
      {formError && <ErrorNote error={formError} />}
      {!data && !error && <Loading label="Loading settings…" />}
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {shown && <ShownOnce label={shown.label} value={shown.value} testId={shown.testId} onDone={() => setShown(null)} />}

      <h2>Members</h2>
      <div className="table-box" style={{ marginTop: 10 }}>
      <table className="data-table">
        <caption className="visually-hidden">Members</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            {isAdmin && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {data?.members.map((m) => (
            <tr key={m.id}>
              <td className="primary" data-label="Name">
                {m.name}
                {m.id === data.viewer?.id && <span className="muted"> (you)</span>}
              </td>
              <td className="muted" data-label="Email">{m.email}</td>
              <td data-label="Role">
                {isAdmin ? (
                  <select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => void changeRole(m, e.target.value as Role)}>
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                ) : (
                  <span className="badge">{m.role}</span>
                )}
              </td>
              {isAdmin && (
                <td className="row" data-label="Actions">
                  <button onClick={() => void reset(m)}>Reset password</button>
                  <button className="danger" onClick={() => void remove(m)}>
                    Remove
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      </div>

      {isAdmin && (
        <>
          <h3>Invite someone</h3>
          <form className="panel form-grid" onSubmit={submitInvite} aria-label="New invitation">
            <label>
              Invitee email
              <input type="email" value={invite.email} onChange={(e) => setInvite({ ...invite, email: e.target.value })} required />
            </label>
            <label>
              Invitee role
              <select value={invite.role} onChange={(e) => setInvite({ ...invite, role: e.target.value as Role })}>
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            <button className="primary">Create invitation link</button>
          </form>
          {admin?.invitations.length ? (
            <div className="table-box" style={{ marginTop: 10 }}>
            <table className="data-table">
              <caption className="visually-hidden">Invitations</caption>
              <tbody>
                {admin.invitations.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>
                      <span className="badge">{i.role}</span>
                    </td>
                    <td className="muted">until {new Date(i.expiresAt).toLocaleString()}</td>
                    <td>
                      <button className="danger" onClick={() => window.confirm(`Withdraw the invitation for ${i.email}?`) && void run(() => revokeInvitation({ id: i.id }), 'Invitation withdrawn')}>
                        Withdraw
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          ) : null}

          <h3>Add someone with a password</h3>
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
              <select value={member.role} onChange={(e) => setMember({ ...member, role: e.target.value as Role })}>
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            <button className="primary">Add member</button>
          </form>

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
            {SCOPES.map(({ scope, label }) => (
              <label key={scope} className="row">
                <input
                  type="checkbox"
                  checked={token.scopes.includes(scope)}
                  onChange={(e) => setToken({ ...token, scopes: e.target.checked ? [...token.scopes, scope] : token.scopes.filter((s) => s !== scope) })}
                />
                {label}
              </label>
            ))}
            <button className="primary">Create token</button>
          </form>
          <div className="table-box" style={{ marginTop: 10 }}>
          <table className="data-table">
            <caption className="visually-hidden">Service tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Channels</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {admin?.serviceTokens.map((t) => (
                <tr key={t.id}>
                  <td className="primary" data-label="Name">{t.name}</td>
                  <td className="mono muted" data-label="Channels">{t.channels.join(' ')}</td>
                  <td className="muted" data-label="Scopes">{t.scopes.map((s) => s.toLowerCase().replace('_', ' ')).join(', ')}</td>
                  <td className="muted" data-label="Last used">{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}</td>
                  <td data-label="State">
                    {t.revokedAt ? (
                      <span className="badge STOPPED">revoked</span>
                    ) : (
                      <button className="danger" aria-label={`Revoke ${t.name}`} onClick={() => window.confirm(`Revoke “${t.name}”? Its publishers stop at once.`) && void run(() => revoke({ id: t.id }), `${t.name} revoked`)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </>
      )}

      <h2>Your account</h2>
      <form className="panel form-grid" onSubmit={submitPassword} aria-label="Change password">
        <label>
          Current password
          <input type="password" autoComplete="current-password" value={passwords.currentPassword} onChange={(e) => setPasswords({ ...passwords, currentPassword: e.target.value })} required />
        </label>
        <label>
          New password
          <input type="password" autoComplete="new-password" value={passwords.newPassword} onChange={(e) => setPasswords({ ...passwords, newPassword: e.target.value })} required />
        </label>
        <button className="primary">Change password</button>
      </form>
      <p>
        <button className="danger" onClick={() => window.confirm('Sign out on every device, this one included?') && void signOutEverywhere({})}>
          Sign out everywhere
        </button>
      </p>
    </>
  );
}
