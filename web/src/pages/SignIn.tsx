import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Loading } from '../components/ui/States';
import { graphql } from '../gql';

const SetupQuery = graphql(/* GraphQL */ `
  query Setup {
    setupRequired
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

/** First visit on an empty server: create the first admin. Afterwards: sign in (or start another tenant). */
export function SignInPage({ onSignIn }: { onSignIn: (token: string) => void }) {
  const [{ data, fetching }] = useQuery({ query: SetupQuery });
  const [mode, setMode] = useState<'login' | 'register' | null>(null);
  const creating = mode === 'register' || (mode === null && data?.setupRequired === true);
  const [form, setForm] = useState({ email: '', password: '', name: '', tenantName: '' });
  const [{ fetching: loggingIn }, login] = useMutation(LoginMutation);
  const [{ fetching: registering }, register] = useMutation(RegisterMutation);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = creating ? await register({ input: form }) : await login({ email: form.email, password: form.password });
    const failure = result.error?.graphQLErrors[0];
    if (failure) return setError({ message: failure.message, field: failure.extensions?.field as string | undefined });
    if (result.error) return setError({ message: 'Cannot reach the server' });
    const token = result.data && ('register' in result.data ? result.data.register.token : result.data.login.token);
    if (token) onSignIn(token);
  }

  const input = (name: keyof typeof form, label: string, type = 'text') => (
    <label>
      {label}
      <input
        name={name}
        type={type}
        autoComplete={{ email: 'username', password: creating ? 'new-password' : 'current-password', name: 'name', tenantName: 'organization' }[name]}
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

  useEffect(() => {
    document.title = 'Sign in · Pulseboard';
  }, []);
  // which form to show depends on the answer: no flash of "Sign in" on a server with no account yet
  if (fetching && !data) return <Loading label="Connecting to Pulseboard…" />;
  return (
    <main className="auth-page">
    <form className="auth panel" onSubmit={submit} aria-label={creating ? 'Create account' : 'Sign in'}>
      <div className="auth-brand">
        <span aria-hidden="true">◉</span> Pulseboard
      </div>
      <h1>{creating ? (data?.setupRequired ? 'Welcome — create the first admin' : 'Create a workspace') : 'Sign in to Pulseboard'}</h1>
      {creating && input('name', 'Your name')}
      {creating && input('tenantName', 'Workspace name')}
      {input('email', 'Email', 'email')}
      {input('password', 'Password', 'password')}
      {error && !error.field && (
        <div className="error" role="alert">
          {error.message}
        </div>
      )}
      <button className="primary" type="submit" disabled={loggingIn || registering}>
        {creating ? 'Create account' : 'Sign in'}
      </button>
      <button type="button" onClick={() => setMode(creating ? 'login' : 'register')}>
        {creating ? 'I already have an account' : 'Create a new workspace'}
      </button>
    </form>
    </main>
  );
}
