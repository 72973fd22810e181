import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { useConnection, type ConnectionStore, type ConnectionView } from '../lib/connection';
import { useRoute } from '../lib/route';
import type { StreamMode } from '../lib/stream/browser-stream';
import { useTheme } from '../lib/theme';
import { IncidentsPage } from '../pages/Incidents';
import { LogsPage } from '../pages/Logs';
import { MonitorsPage } from '../pages/Monitors';
import { ServicesPage } from '../pages/Services';
import { SettingsPage } from '../pages/Settings';
import { TicketsPage } from '../pages/Tickets';
import { Banner } from './ui/Banner';

const ViewerQuery = graphql(/* GraphQL */ `
  query Viewer {
    viewer {
      id
      name
      role
    }
  }
`);

export const PAGES = [
  ['/services', 'Services'],
  ['/logs', 'Logs'],
  ['/monitors', 'Monitors'],
  ['/incidents', 'Incidents'],
  ['/tickets', 'Tickets'],
  ['/settings', 'Settings'],
] as const;

/**
 * The frame around every page: a skip link, the header (brand, navigation that collapses
 * behind a button on narrow screens, the connection dot, theme, who is signed in), the outage
 * banner, and the page.
 */
export function Shell({
  connection,
  streamMode,
  onSignOut,
  onUnauthenticated,
}: {
  connection: ConnectionStore;
  streamMode: StreamMode;
  onSignOut: () => void;
  onUnauthenticated: () => void;
}) {
  const route = useRoute();
  const [{ data, error }] = useQuery({ query: ViewerQuery });
  const [navOpen, setNavOpen] = useState(false);
  const theme = useTheme();
  const view = useConnection(connection);
  const unauthenticated = !!error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  useEffect(() => {
    if (unauthenticated) onUnauthenticated();
  }, [unauthenticated, onUnauthenticated]);
  // a page change closes the menu on phones
  useEffect(() => setNavOpen(false), [route.path]);
  const viewer = data?.viewer;
  const section = '/' + route.path.split('/')[1];
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <span className="brand">
          <span aria-hidden="true">◉</span> Pulseboard
        </span>
        <ConnectionDot view={view} mode={streamMode} />
        <button className="nav-toggle" aria-expanded={navOpen} aria-controls="main-menu" onClick={() => setNavOpen(!navOpen)}>
          <span aria-hidden="true">☰</span> Menu
        </button>
        {/* on phones, navigation and account actions fold behind the Menu button */}
        <div id="main-menu" className={`menu ${navOpen ? 'open' : ''}`}>
          <nav aria-label="Main">
            {PAGES.map(([path, label]) => (
              <a key={path} href={`#${path}`} className={section === path ? 'active' : ''} aria-current={section === path ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
          <span className="grow" />
          <div className="header-actions">
            <button className="icon-button" onClick={theme.cycle} aria-label={`Theme: ${theme.choice === 'system' ? `same as the system (${theme.effective})` : theme.choice}. Change theme`} title="Change theme">
              <span aria-hidden="true">{theme.effective === 'light' ? '☀' : '☾'}</span>
              <span className="theme-choice">{theme.choice}</span>
            </button>
            {viewer && (
              <span className="muted viewer" title={`${viewer.name} · ${viewer.role.toLowerCase()}`}>
                {viewer.name} · {viewer.role.toLowerCase()}
              </span>
            )}
            <button onClick={onSignOut}>Sign out</button>
          </div>
        </div>
      </header>
      <OutageBanner view={view} />
      <main className="page" id="main" tabIndex={-1}>
        {section === '/services' && <ServicesPage params={route.params} />}
        {section === '/logs' && <LogsPage key={route.seq} params={route.params} />}
        {section === '/monitors' && <MonitorsPage path={route.path} params={route.params} />}
        {section === '/incidents' && <IncidentsPage path={route.path} params={route.params} />}
        {section === '/tickets' && <TicketsPage path={route.path} params={route.params} viewerId={viewer?.id ?? null} />}
        {section === '/settings' && <SettingsPage />}
      </main>
    </>
  );
}

const LABELS: Record<ConnectionView['stream'], string> = { connecting: 'connecting', live: 'live', reconnecting: 'reconnecting…', down: 'disconnected — retrying' };

/** Green only when the stream is open AND requests are being answered. */
export function dotState(view: ConnectionView): { state: string; label: string } {
  if (view.stream === 'live' && view.stalled) return { state: 'stalled', label: 'slow — waiting for the server' };
  return { state: view.stream, label: LABELS[view.stream] };
}

function ConnectionDot({ view, mode }: { view: ConnectionView; mode: StreamMode }) {
  const { state, label } = dotState(view);
  return (
    <span className="conn" data-connection={state} data-stream-mode={mode} role="status" title={`Event stream: ${label}`}>
      <span className={`dot ${state}`} aria-hidden="true" />
      <span className="conn-label">
        <span className="visually-hidden">Connection: </span>
        {label}
      </span>
    </span>
  );
}

/** Where the eye is: under the header, on every page, while the stream is down or requests hang. */
function OutageBanner({ view }: { view: ConnectionView }) {
  if (view.wasLive && (view.stream === 'reconnecting' || view.stream === 'down')) {
    return (
      <Banner tone={view.stream === 'down' ? 'error' : 'warning'} testId="outage-banner">
        <strong>Connection lost — reconnecting{view.stream === 'down' ? ' (still trying)' : '…'}</strong> Live updates are paused; missed lines will be replayed when it is back.
      </Banner>
    );
  }
  if (view.stalled) {
    return (
      <Banner tone="warning" testId="outage-banner">
        <strong>The server is slow to answer.</strong> What you see may be out of date until it does.
      </Banner>
    );
  }
  return null;
}
