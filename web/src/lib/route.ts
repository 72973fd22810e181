import { useEffect, useState } from 'react';

/** `#/logs?channel=etl:*` -> { path: '/logs', params }. Hash routing: the server serves one page. */
export function useRoute() {
  const read = () => {
    const [path, query = ''] = (window.location.hash.slice(1) || '/services').split('?');
    return { path: path || '/services', params: new URLSearchParams(query) };
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
