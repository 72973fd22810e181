import { useCallback, useEffect, useMemo, useState } from 'react';
import { Client, Provider, cacheExchange, fetchExchange } from 'urql';
import { createApiClient, createSession, endSession, quietAbort } from './client';
import { Shell } from './components/Shell';
import { Loading } from './components/ui/States';
import { createConnectionStore } from './lib/connection';
import { connectBrowserStream, pickMode, type BrowserStream } from './lib/stream/browser-stream';
import { StreamContext } from './lib/stream/use-stream';
import { SignInPage } from './pages/SignIn';
import { StatusPage } from './pages/StatusPage';

const TOKEN_KEY = 'pulseboard.token';

export function App() {
  const [token, setToken] = useState(() => localStorage.getItem(TOKEN_KEY));
  const signIn = useCallback((next: string) => {
    localStorage.setItem(TOKEN_KEY, next);
    setToken(next);
  }, []);
  const signedOut = useCallback(() => {
    localStorage.removeItem(TOKEN_KEY);
    setToken(null);
  }, []);
  useEffect(() => {
    // the token is the browser's: a sign-in or sign-out in another tab applies here too
    const onStorage = (event: StorageEvent) => event.key === TOKEN_KEY && setToken(event.newValue);
    addEventListener('storage', onStorage);
    return () => removeEventListener('storage', onStorage);
  }, []);

  // a public status page is for anyone: no sign-in, no stream, nothing of the console
  const statusSlug = /^\/status\/([a-z0-9-]{1,64})\/?$/.exec(window.location.pathname)?.[1];
  if (statusSlug) return <PublicStatus slug={statusSlug} />;
  if (!token) return <SignedOut onSignIn={signIn} />;
  return <SignedIn key={token} token={token} onSignedOut={signedOut} />;
}

function PublicStatus({ slug }: { slug: string }) {
  const client = useMemo(
    () => new Client({ url: '/graphql', preferGetMethod: false, fetch: quietAbort(globalThis.fetch.bind(globalThis)), exchanges: [cacheExchange, fetchExchange] }),
    [],
  );
  return (
    <Provider value={client}>
      <StatusPage slug={slug} />
    </Provider>
  );
}

function SignedOut({ onSignIn }: { onSignIn: (token: string) => void }) {
  // POST: a GET without credentials is a "simple" request, which CSRF prevention refuses
  const client = useMemo(
    () => new Client({ url: '/graphql', preferGetMethod: false, fetch: quietAbort(globalThis.fetch.bind(globalThis)), exchanges: [cacheExchange, fetchExchange] }),
    [],
  );
  return (
    <Provider value={client}>
      <SignInPage onSignIn={onSignIn} />
    </Provider>
  );
}

function SignedIn({ token, onSignedOut }: { token: string; onSignedOut: () => void }) {
  const connection = useMemo(() => createConnectionStore(), []);
  // the access token lasts minutes; the session (an HttpOnly cookie) renews it, for queries and streams alike
  const session = useMemo(() => createSession(token, onSignedOut), [token, onSignedOut]);
  const [stream, setStream] = useState<BrowserStream | null>(null);
  useEffect(() => {
    const opened = connectBrowserStream({
      token,
      mode: pickMode(localStorage.getItem('pulseboard.stream')),
      onState: (state) => connection.setStream(state),
      renewToken: () => session.renewToken(),
      onAuthRequired: () => onSignedOut(),
      onSignedOut,
    });
    setStream(opened);
    return () => opened.close();
  }, [token, connection, onSignedOut, session]);
  const signOut = useCallback(() => {
    // ends the session on the server (its streams on every instance) and clears the cookie
    void endSession();
    stream?.signOut();
    onSignedOut();
  }, [stream, onSignedOut]);
  const client = useMemo(() => stream && createApiClient(session, stream, connection, onSignedOut), [session, stream, connection, onSignedOut]);
  if (!stream || !client) return <Loading label="Connecting…" />;
  return (
    <StreamContext.Provider value={stream}>
      <Provider value={client}>
        <Shell connection={connection} streamMode={stream.mode} onSignOut={signOut} onUnauthenticated={onSignedOut} />
      </Provider>
    </StreamContext.Provider>
  );
}
