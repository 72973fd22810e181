import type { Store } from '../../server/db/client.js';

/**
 * The store with every raw SQL statement the app runs (`db.execute`) written down as text, so
 * a test can see how many queries a screen costs. Close it with the real store's `close`.
 */
export function countingStore(real: Store): { store: Store; statements: string[] } {
  const statements: string[] = [];
  const db = new Proxy(real.db, {
    get(target, prop, receiver) {
      if (prop !== 'execute') return Reflect.get(target, prop, receiver);
      return (query: { queryChunks?: { value?: string[] }[] }) => {
        statements.push((query.queryChunks ?? []).map((c) => (Array.isArray(c.value) ? c.value.join('') : '')).join('?'));
        return target.execute(query as never);
      };
    },
  });
  return { store: { ...real, db }, statements };
}
