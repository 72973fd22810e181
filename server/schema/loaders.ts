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
