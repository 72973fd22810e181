import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { restoreSession } from '../client';
import { Loading } from '../components/ui/States';
import { graphql } from '../gql';

const SetupQuery = graphql(/* GraphQL */ `
  query Setup {
    setupRequired
    signupOpen
  }
`);

const LoginMutation = graphql(/* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
    }
  }
`);

const RegisterMutation = graphql(/* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
    }
  }
`);

const ResetPasswordMutation = graphql(/* GraphQL */ `
  mutation ResetPassword($code: String!, $newPassword: String!) {
    resetPassword(code: $code, newPassword: $newPassword) {
      token
    }
  }
`);

const AcceptInvitationMutation = graphql(/* GraphQL */ `
  mutation AcceptInvitation($code: String!, $name: String!, $password: String!) {
    acceptInvitation(code: $code, name: $name, password: $password) {
      token
    }
  }
`);

type Mode = 'login' | 'register' | 'reset' | 'join';

/** A one-time code handed over by an admin arrives as `#/reset/<code>` or `#/join/<code>` (a fragment: never sent to a server). */
function codeFromLocation(): { mode: 'reset' | 'join'; code: string } | null {
  const match = /^#\/(reset|join)\/(pbc_[\w-]+)/.exec(window.location.hash);
  return match ? { mode: match[1] as 'reset' | 'join', code: match[2]! } : null;
}

/**
 * First visit on an empty server: create the first admin. Afterwards: sign in — or, when the
 * operator allows sign-up, start another workspace; with a code from an admin, join a
 * workspace or set a new password.
 */
export function SignInPage({ onSignIn }: { onSignIn: (token: string) => void }) {
  const [{ data, fetching }] = useQuery({ query: SetupQuery });
  const fromLink = codeFromLocation();
  const [mode, setMode] = useState<Mode | null>(fromLink?.mode ?? null);
  const shown: Mode = mode ?? (data?.setupRequired ? 'register' : 'login');
  const [form, setForm] = useState({ email: '', password: '', name: '', tenantName: '', code: fromLink?.code ?? '' });
  const [{ fetching: loggingIn }, login] = useMutation(LoginMutation);
  const [{ fetching: registering }, register] = useMutation(RegisterMutation);
  const [{ fetching: resetting }, resetPassword] = useMutation(ResetPasswordMutation);
  const [{ fetching: joining }, acceptInvitation] = useMutation(AcceptInvitationMutation);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);

  useEffect(() => {
    document.title = 'Sign in · Pulseboard';
  }, []);
  // a browser that still holds a session cookie (the tab was closed, storage cleared) signs straight in
  useEffect(() => {
    if (fromLink) return;
    let cancelled = false;
    void restoreSession().then((token) => !cancelled && token && onSignIn(token));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- restore once, on mount; onSignIn's identity changes each render
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result =
      shown === 'register'
        ? await register({ input: { email: form.email, password: form.password, name: form.name, tenantName: form.tenantName } })
        : shown === 'reset'
          ? await resetPassword({ code: form.code, newPassword: form.password })
          : shown === 'join'
            ? await acceptInvitation({ code: form.code, name: form.name, password: form.password })
            : await login({ email: form.email, password: form.password });
    const failure = result.error?.graphQLErrors[0];
    if (failure) {
      const field = failure.extensions?.field as string | undefined;
      return setError({ message: failure.message, field: field === 'newPassword' ? 'password' : field });
    }
    if (result.error) return setError({ message: 'Cannot reach the server' });
    const payload = result.data as Record<string, { token: string } | undefined> | undefined;
    const token = payload && Object.values(payload)[0]?.token;
    if (!token) return;
    if (fromLink) history.replaceState(null, '', window.location.pathname);
    onSignIn(token);
  }

  const input = (name: keyof typeof form, label: string, type = 'text', autoComplete?: string) => (
    <label>
      {label}
      <input
        name={name}
        type={type}
        autoComplete={autoComplete}
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
        aria-invalid={error?.field === name || undefined}
        aria-describedby={error?.field === name ? `${name}-error` : undefined}
        required
      />
      {error?.field === name && (
        <span className="field-error" id={`${name}-error`}>
          {error.message}
        </span>
      )}
    </label>
  );

  const titles: Record<Mode, string> = {
    login: 'Sign in to Pulseboard',
    register: data?.setupRequired ? 'Welcome — create the first admin' : 'Create a workspace',
    reset: 'Choose a new password',
    join: 'Join your team on Pulseboard',
  };
  const busy = loggingIn || registering || resetting || joining;

  // which form to show depends on the answer: no flash of "Sign in" on a server with no account yet
  if (fetching && !data) return <Loading label="Connecting to Pulseboard…" />;
  return (
    <main className="auth-page">
    <form className="auth panel" onSubmit={submit} aria-label={titles[shown]}>
      <div className="auth-brand">
        <span aria-hidden="true">◉</span> Pulseboard
      </div>
      <h1>{titles[shown]}</h1>
      {(shown === 'register' || shown === 'join') && input('name', 'Your name', 'text', 'name')}
      {shown === 'register' && input('tenantName', 'Workspace name')}
      {(shown === 'login' || shown === 'register') && input('email', 'Email', 'email', 'username')}
      {(shown === 'reset' || shown === 'join') && input('code', shown === 'reset' ? 'Reset code from your admin' : 'Invitation code')}
      {input('password', shown === 'reset' ? 'New password' : 'Password', 'password', shown === 'login' ? 'current-password' : 'new-password')}
      {shown !== 'login' && <p className="muted">At least 8 characters and not easy to guess: a few unrelated words work well.</p>}
      {error && (!error.field || !(error.field in form)) && (
        <div className="error" role="alert">
          {error.message}
        </div>
      )}
      <button className="primary" type="submit" disabled={busy}>
        {{ login: 'Sign in', register: 'Create account', reset: 'Set password and sign in', join: 'Join' }[shown]}
      </button>
      {shown === 'login' ? (
        // sign-up is offered only while the server accepts it: the first workspace, or ALLOW_SIGNUP
        data?.signupOpen && (
          <button type="button" onClick={() => setMode('register')}>
            Create a new workspace
          </button>
        )
      ) : (
        <button type="button" onClick={() => setMode('login')}>
          I already have an account
        </button>
      )}
      {shown === 'login' && <p className="muted">Forgot your password? Ask an admin of your workspace for a reset link.</p>}
    </form>
    </main>
  );
}
