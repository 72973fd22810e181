import { createClient, type Client } from 'graphql-sse';
import { backoffDelay } from '../backoff';
import { followCursor, type StreamRequest } from '../durable-subscription';
import type { ConnectionState, HubMessage, HubPort, TabMessage } from './protocol';

export interface StreamHubOptions {
  /** @default '/graphql/stream' */
  url?: string;
  /** Web Locks, to notice a tab that died without saying goodbye. @default navigator.locks when present */
  locks?: LockManager | null;
}

interface Tab {
  port: HubPort;
  ops: Map<string, () => void>;
}

/**
 * The one place a browser holds its event stream: a single graphql-sse client (single
 * connection mode: one HTTP stream whatever the number of operations) serving the operations
 * of every tab. It runs in a SharedWorker, or in the leader tab where SharedWorker is missing.
 * The hub forwards results as they come; resuming by cursor after a loss is the tab's job
 * (`durable-subscription.ts`), except across its own reconnects, where graphql-sse re-sends the
 * request it holds — so that request follows the cursor.
 */
export function createStreamHub({ url = '/graphql/stream', locks = globalThis.navigator?.locks ?? null }: StreamHubOptions = {}) {
  const tabs = new Map<string, Tab>();
  let token: string | null = null;
  let client: Client<true> | null = null;
  let state: ConnectionState = 'connecting';
  let failures = 0;
  let refused = false;

  const broadcast = (message: HubMessage) => {
    for (const tab of tabs.values()) tab.port.post(message);
  };
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    broadcast({ t: 'state', state });
  };

  function openClient() {
    failures = 0;
    refused = false;
    state = 'connecting';
    broadcast({ t: 'state', state });
    const sse = createClient({
      url,
      singleConnection: true,
      lazy: false,
      // a fresh object each time: the client writes the reservation token into the headers it is
      // given, and a reconnect must reserve anew without it (the server refuses client-chosen tokens);
      // read `token` each time, so a renewed credential is used from the next reconnect on
      headers: () => ({ authorization: `Bearer ${token}` }),
      retryAttempts: Number.POSITIVE_INFINITY,
      retry: (retries) => new Promise((resolve) => setTimeout(resolve, backoffDelay(retries))),
      fetchFn: async (input: RequestInfo | URL, init?: RequestInit) => {
        // graphql-sse sends every operation with the headers its connection opened with: the
        // current (renewed) access token replaces them, so an operation started after a renewal
        // carries a credential that is still valid (the reservation stays bound to the same person)
        const send = (credential: string | null) => {
          const headers = new Headers(init?.headers);
          if (credential) headers.set('authorization', `Bearer ${credential}`);
          return fetch(input, { ...init, headers });
        };
        const sent = token;
        const response = await send(sent);
        if (response.status !== 401) return response;
        // the access token ran out: a tab renews it, and the request goes again at once — graphql-sse
        // would otherwise retry it like a network error, with the stale token and a growing backoff
        const renewed = await nextToken(sent);
        return renewed ? send(renewed) : response;
      },
      on: {
        connecting: (reconnecting) => {
          if (reconnecting) failures++;
          // amber while retrying; red once several attempts in a row have failed (it keeps trying)
          setState(reconnecting ? (failures >= 4 ? 'down' : 'reconnecting') : state === 'live' ? 'live' : 'connecting');
        },
        connected: () => {
          failures = 0;
          refused = false;
          setState('live');
        },
      },
      onNonLazyError: () => setState(failures >= 4 ? 'down' : 'reconnecting'),
    });
    client = sse;
  }

  /** Resolves with a token other than `stale` once a tab has renewed it, or null after `ms`. */
  const tokenWaiters = new Set<() => void>();
  function nextToken(stale: string | null, ms = 10_000): Promise<string | null> {
    if (token !== stale) return Promise.resolve(token);
    if (!refused) {
      refused = true;
      broadcast({ t: 'auth-required' });
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        tokenWaiters.delete(done);
        resolve(token !== stale ? token : null);
      };
      const timer = setTimeout(done, ms);
      tokenWaiters.add(done);
    });
  }

  function closeClient() {
    client?.dispose();
    client = null;
  }

  /** JWT subject and tenant, to tell a renewed credential from another person's. */
  const identity = (jwt: string | null) => {
    try {
      const claims = JSON.parse(atob(jwt!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
      return `${claims.sub}/${claims.tid}`;
    } catch {
      return jwt;
    }
  };

  function setToken(next: string) {
    if (next === token) return;
    const samePerson = token !== null && identity(token) === identity(next);
    token = next;
    refused = false;
    for (const wake of [...tokenWaiters]) wake();
    if (client && samePerson) return;
    // someone else: nothing of the old stream may reach them; every operation starts again
    closeClient();
    for (const tab of tabs.values()) {
      for (const [id, stop] of tab.ops) {
        stop();
        tab.port.post({ t: 'error', id, message: 'credentials changed', restart: true });
      }
      tab.ops.clear();
    }
    openClient();
  }

  function start(tab: Tab, id: string, original: StreamRequest) {
    tab.ops.get(id)?.();
    if (!client) return tab.port.post({ t: 'error', id, message: 'Not signed in' });
    // our own copy: graphql-sse re-sends this very object after a reconnect
    const request: StreamRequest = { ...original, variables: original.variables ? { ...original.variables } : undefined };
    const stop = client.subscribe<Record<string, unknown>>(request as never, {
      next: (result) => {
        followCursor(request, result);
        tab.port.post({ t: 'next', id, result: result as never });
      },
      error: (error) => {
        tab.ops.delete(id);
        tab.port.post({ t: 'error', id, message: error instanceof Error ? error.message : String(error) });
      },
      complete: () => {
        tab.ops.delete(id);
        tab.port.post({ t: 'complete', id });
      },
    });
    tab.ops.set(id, stop);
  }

  function drop(tabId: string) {
    const tab = tabs.get(tabId);
    if (!tab) return;
    for (const stop of tab.ops.values()) stop();
    tabs.delete(tabId);
    // nobody left: no stream either (a SharedWorker may outlive its last tab for a moment)
    if (tabs.size === 0) {
      closeClient();
      token = null;
    }
  }

  return {
    /** Handles one message from a tab; `port` answers that tab. */
    receive(port: HubPort, message: TabMessage) {
      switch (message.t) {
        case 'hello': {
          const known = tabs.get(message.tab);
          if (known) known.port = port;
          else tabs.set(message.tab, { port, ops: new Map() });
          if (!known && message.lock && locks) {
            // granted only once the tab is gone (closed, crashed, navigated away)
            void locks.request(message.lock, () => drop(message.tab));
          }
          setToken(message.token);
          port.post({ t: 'state', state });
          return;
        }
        case 'token':
          return setToken(message.token);
        case 'sub': {
          const tab = tabs.get(message.tab);
          if (tab) start(tab, message.id, message.request);
          else port.post({ t: 'error', id: message.id, message: 'say hello first', restart: true });
          return;
        }
        case 'unsub': {
          const tab = tabs.get(message.tab);
          tab?.ops.get(message.id)?.();
          tab?.ops.delete(message.id);
          return;
        }
        case 'bye':
          return drop(message.tab);
        case 'sign-out': {
          const everyone = [...tabs.values()];
          for (const id of [...tabs.keys()]) drop(id);
          closeClient();
          token = null;
          for (const tab of everyone) tab.port.post({ t: 'signed-out' });
          return;
        }
      }
    },
    /** Operations running, for tests and diagnostics. */
    size: () => [...tabs.values()].reduce((n, tab) => n + tab.ops.size, 0),
    close() {
      for (const id of [...tabs.keys()]) drop(id);
      closeClient();
    },
  };
}

export type StreamHub = ReturnType<typeof createStreamHub>;
