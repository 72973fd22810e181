import { useEffect, useState } from 'react';

/**
 * `#/logs?channel=etl:*` -> { path: '/logs', params, seq }. Hash routing: the server serves one
 * page. `seq` counts address changes from outside a page (a link followed, back/forward); a page
 * that keeps its own state in the address replaces it with history.replaceState, which does not
 * count.
 */
let changes = 0;

export function useRoute() {
  const read = () => {
    const [path, query = ''] = (window.location.hash.slice(1) || '/services').split('?');
    return { path: path || '/services', params: new URLSearchParams(query), seq: changes++ };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const navigate = (path: string) => {
  window.location.hash = path;
};
