import DataLoader from 'dataloader';

const loadersByContext = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>();

/**
 * A batching loader per request context and `name`: a field resolved for every row of a list
 * (a heartbeat bar per monitor, an unread count per ticket) reaches the store once for the page.
 *
 * Batching only, no cache: a subscription keeps one context across its events, and every event
 * must read the store as it is then. `name` must carry whatever else the batch depends on
 * (e.g. a field argument), since one batch answers every key it holds with one query.
 */
export function batchLoader<K, V>(
  context: object,
  name: string,
  load: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
): DataLoader<K, V> {
  let loaders = loadersByContext.get(context);
  if (!loaders) loadersByContext.set(context, (loaders = new Map()));
  let loader = loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(load, { cache: false, maxBatchSize: 500 });
    loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/**
 * A dataloader key naming the row's own tenant: each row of a page carries its tenant, and the
 * store is asked once per tenant with every id of the page, never across tenants.
 */
export const tenantKey = (tenantId: string, id: string) => `${tenantId}:${id}`;

/**
 * A `load` for `t.loadable` over `tenantKey`s: one `fetch` per tenant in the batch (in practice
 * one: a request is one viewer's), answers in the order of the keys, null for what is gone.
 */
export function loadPerTenant<V>(fetch: (tenantId: string, ids: string[]) => Promise<Map<string, V>>) {
  return async (keys: readonly string[]): Promise<(V | null)[]> => {
    const byTenant = new Map<string, string[]>();
    for (const key of keys) {
      const at = key.indexOf(':');
      const tenantId = key.slice(0, at);
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), key.slice(at + 1)]);
    }
    const found = new Map<string, V>();
    await Promise.all(
      [...byTenant].map(async ([tenantId, ids]) => {
        for (const [id, value] of await fetch(tenantId, [...new Set(ids)])) found.set(tenantKey(tenantId, id), value);
      }),
    );
    return keys.map((key) => found.get(key) ?? null);
  };
}

/**
 * Dataloader options for every `t.loadable` field: batching only, no cache, for the reason
 * `batchLoader` gives (a subscription's context outlives many events).
 */
export const batchOnly = { cache: false, maxBatchSize: 500 } as const;
