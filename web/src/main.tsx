import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider, useQuery } from 'urql';
import { createApiClient } from './client';
import { graphql } from './gql';

const ViewerQuery = graphql(/* GraphQL */ `
  query Viewer {
    viewer {
      id
      name
      email
      role
    }
  }
`);

const client = createApiClient(() => localStorage.getItem('pulseboard.token'));

function Home() {
  const [{ data, fetching }] = useQuery({ query: ViewerQuery });
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto', lineHeight: 1.5 }}>
      <h1>Pulseboard</h1>
      <p>Live status, logs, uptime and support for operations teams.</p>
      {fetching ? (
        <p>Connecting…</p>
      ) : data?.viewer ? (
        <p>
          Signed in as {data.viewer.name} ({data.viewer.role})
        </p>
      ) : (
        <p>
          The console is on its way. Meanwhile the API is at <a href="/graphql">/graphql</a> (GraphiQL).
        </p>
      )}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Provider value={client}>
      <Home />
    </Provider>
  </StrictMode>,
);
