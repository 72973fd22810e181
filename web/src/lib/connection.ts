import { useSyncExternalStore } from 'react';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'down';

/** The tab's one event stream, as the header's dot shows it. */
export function createConnectionStore() {
  let state: ConnectionState = 'connecting';
  let failures = 0;
  const listeners = new Set<() => void>();
  const set = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const l of listeners) l();
  };
  return {
    connecting(reconnecting: boolean) {
      if (reconnecting) failures++;
      // amber while retrying; red once several attempts in a row have failed (it keeps trying)
      set(reconnecting ? (failures >= 4 ? 'down' : 'reconnecting') : state === 'live' ? 'live' : 'connecting');
    },
    connected() {
      failures = 0;
      set('live');
    },
    lost() {
      set(failures >= 4 ? 'down' : 'reconnecting');
    },
    get: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

export const useConnectionState = (store: ConnectionStore) => useSyncExternalStore(store.subscribe, store.get);
