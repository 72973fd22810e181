import { useCallback, useMemo, useState } from 'react';
import { Client, Provider, cacheExchange, fetchExchange, useQuery } from 'urql';
import { createApiClient } from './client';
import { graphql } from './gql';
import { createConnectionStore, useConnectionState, type ConnectionStore } from './lib/connection';
import { useRoute } from './lib/route';
import { IncidentsPage } from './pages/Incidents';
import { LogsPage } from './pages/Logs';
import { MonitorsPage } from './pages/Monitors';
import { ServicesPage } from './pages/Services';
import { SettingsPage } from './pages/Settings';
import { SignInPage } from './pages/SignIn';
import { TicketsPage } from './pages/Tickets';

const TOKEN_KEY = 'pulseboard.token';

const ViewerQuery = graphql(/* GraphQL */ `
  query Viewer {
    viewer {
      id
      name
      role
    }
  }
`);

const PAGES = [
  ['/services', 'Services'],
  ['/logs', 'Logs'],
  ['/monitors', 'Monitors'],
  ['/incidents', 'Incidents'],
  ['/tickets', 'Tickets'],
  ['/settings', 'Settings'],
] as const;

export function App() {
  const [token, setToken] = useState(() => localStorage.getItem(TOKEN_KEY));
  const signIn = useCallback((next: string) => {
    localStorage.setItem(TOKEN_KEY, next);
    setToken(next);
  }, []);
  const signOut = useCallback(() => {
    localStorage.removeItem(TOKEN_KEY);
    setToken(null);
  }, []);

  if (!token) return <SignedOut onSignIn={signIn} />;
  return <SignedIn key={token} token={token} onSignOut={signOut} />;
}

function SignedOut({ onSignIn }: { onSignIn: (token: string) => void }) {
  // POST: a GET without credentials is a "simple" request, which CSRF prevention refuses
  const client = useMemo(() => new Client({ url: '/graphql', preferGetMethod: false, exchanges: [cacheExchange, fetchExchange] }), []);
  return (
    <Provider value={client}>
      <SignInPage onSignIn={onSignIn} />
    </Provider>
  );
}

function SignedIn({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const connection = useMemo(() => createConnectionStore(), []);
  const client = useMemo(() => createApiClient(token, connection, onSignOut), [token, connection, onSignOut]);
  return (
    <Provider value={client}>
      <Shell connection={connection} onSignOut={onSignOut} />
    </Provider>
  );
}

function Shell({ connection, onSignOut }: { connection: ConnectionStore; onSignOut: () => void }) {
  const route = useRoute();
  const [{ data, error }] = useQuery({ query: ViewerQuery });
  if (error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onSignOut();
  const viewer = data?.viewer;
  const section = '/' + route.path.split('/')[1];
  return (
    <>
      <header className="top">
        <span className="brand">◉ Pulseboard</span>
        <nav>
          {PAGES.map(([path, label]) => (
            <a key={path} href={`#${path}`} className={section === path ? 'active' : ''}>
              {label}
            </a>
          ))}
        </nav>
        <span className="grow" />
        <ConnectionDot connection={connection} />
        {viewer && (
          <span className="muted">
            {viewer.name} · {viewer.role.toLowerCase()}
          </span>
        )}
        <button onClick={onSignOut}>Sign out</button>
      </header>
      <main className="page">
        {section === '/services' && <ServicesPage />}
        {section === '/logs' && <LogsPage params={route.params} />}
        {section === '/monitors' && <MonitorsPage path={route.path} />}
        {section === '/incidents' && <IncidentsPage />}
        {section === '/tickets' && <TicketsPage path={route.path} viewerId={viewer?.id ?? null} />}
        {section === '/settings' && <SettingsPage />}
      </main>
    </>
  );
}

function ConnectionDot({ connection }: { connection: ConnectionStore }) {
  const state = useConnectionState(connection);
  const label = { connecting: 'connecting', live: 'live', reconnecting: 'reconnecting…', down: 'disconnected — retrying' }[state];
  return (
    <span className="conn" data-connection={state} title={`Event stream: ${label}`}>
      <span className={`dot ${state}`} /> {label}
    </span>
  );
}
