import { createDurableSubscriber, StreamRestart, type DurableSubscriber, type StreamSink, type StreamTransport } from '../durable-subscription';
import { directLink, leaderLink, workerLink, type HubLink } from './links';
import type { ConnectionState, HubMessage } from './protocol';

export type StreamMode = 'worker' | 'leader' | 'direct';

export interface BrowserStreamOptions {
  token: string;
  /** Force a mode (tests, or `localStorage['pulseboard.stream']`). @default the best the browser has */
  mode?: StreamMode;
  onState?: (state: ConnectionState) => void;
  /**
   * Gets a fresh access token (session renewal) when the server refuses the current one; null
   * when the session is over. Without it, a refused credential goes to `onAuthRequired`.
   */
  renewToken?: () => Promise<string | null>;
  /** The server refused the credential and it could not be renewed: sign out. */
  onAuthRequired?: () => void;
  /** Another tab signed out: this browser's streams are over. */
  onSignedOut?: () => void;
}

export interface BrowserStream extends StreamTransport {
  readonly mode: StreamMode;
  /** Subscribe with cursor tracking, resume and gap notices (see durable-subscription.ts). */
  readonly durable: DurableSubscriber;
  setToken(token: string): void;
  /** Ends every stream of this browser (all tabs), then this tab's link. */
  signOut(): void;
  /** This tab leaves; other tabs keep their streams. */
  close(): void;
}

export function pickMode(preferred?: string | null): StreamMode {
  const hasWorker = typeof SharedWorker !== 'undefined';
  const hasLeader = typeof BroadcastChannel !== 'undefined' && !!globalThis.navigator?.locks;
  if (preferred === 'direct') return 'direct';
  if (preferred === 'leader' && hasLeader) return 'leader';
  return hasWorker && preferred !== 'leader' ? 'worker' : hasLeader ? 'leader' : 'direct';
}

/**
 * This tab's end of the browser's one event stream. Every subscription of the tab goes through
 * a hub shared by all tabs of the origin: a SharedWorker where there is one, else the leader
 * tab (Web Locks + BroadcastChannel), else — browsers with neither — a stream of the tab's own.
 */
export function connectBrowserStream({ token, mode = pickMode(), onState, renewToken, onAuthRequired, onSignedOut }: BrowserStreamOptions): BrowserStream {
  const tab = crypto.randomUUID();
  const locks = globalThis.navigator?.locks;
  const lock = locks ? `pulseboard-tab-${tab}` : undefined;
  const link: HubLink = mode === 'worker' ? workerLink() : mode === 'leader' ? leaderLink(tab, locks!) : directLink();
  const ops = new Map<string, StreamSink>();
  let nextId = 0;
  let currentToken = token;
  let closed = false;
  const release = new AbortController();

  // the hub notices this tab is gone when it can take the tab's lock: hold it before saying hello
  const ready: Promise<void> =
    lock && locks
      ? new Promise<void>((held) => {
          void locks
            .request(lock, { signal: release.signal }, () => {
              held();
              return new Promise<void>((resolve) => release.signal.addEventListener('abort', () => resolve()));
            })
            .catch(() => held());
        })
      : Promise.resolve();
  const send = (message: Parameters<HubLink['send']>[0]) => void ready.then(() => !closed && link.send(message));
  const hello = () => send({ t: 'hello', tab, token: currentToken, lock });
  const setToken = (next: string) => {
    currentToken = next;
    send({ t: 'token', tab, token: next });
  };
  // one renewal at a time, however many streams ran out together
  let renewing: Promise<boolean> | null = null;
  const renew = (): Promise<boolean> =>
    (renewing ??= (async () => {
      const next = renewToken ? await renewToken().catch(() => null) : null;
      if (next) setToken(next);
      else onAuthRequired?.();
      return !!next;
    })().finally(() => (renewing = null)));

  /** Every operation starts again from its cursor (the durable subscriber does the resuming). */
  const restartAll = () => {
    const sinks = [...ops.values()];
    ops.clear();
    for (const sink of sinks) sink.error(new StreamRestart('the stream hub changed'));
  };

  link.onMessage((message: HubMessage) => {
    switch (message.t) {
      case 'state':
        return onState?.(message.state);
      case 'next':
        return ops.get(message.id)?.next(message.result);
      case 'complete': {
        const sink = ops.get(message.id);
        ops.delete(message.id);
        return sink?.complete();
      }
      case 'error': {
        const sink = ops.get(message.id);
        ops.delete(message.id);
        if (message.restart) {
          // a hub that does not know this tab yet (a new leader): introduce ourselves first
          hello();
          return sink?.error(new StreamRestart(message.message));
        }
        return sink?.error(new Error(message.message));
      }
      case 'auth-required':
        return void renew();
      case 'signed-out':
        return onSignedOut?.();
    }
  });
  link.onHubChanged(() => {
    onState?.('reconnecting');
    hello();
    restartAll();
  });

  const onPageHide = () => send({ t: 'bye', tab });
  const onPageShow = (event: PageTransitionEvent) => {
    // back from the back/forward cache: the hub dropped us at pagehide
    if (event.persisted) {
      hello();
      restartAll();
    }
  };
  addEventListener('pagehide', onPageHide);
  addEventListener('pageshow', onPageShow);
  hello();

  const transport: StreamTransport = {
    subscribe(request, sink) {
      const id = `${tab}:${++nextId}`;
      ops.set(id, sink);
      send({ t: 'sub', tab, id, request });
      return () => {
        if (!ops.delete(id)) return;
        send({ t: 'unsub', tab, id });
      };
    },
  };

  const leave = () => {
    if (closed) return;
    send({ t: 'bye', tab });
    void ready.then(() => {
      closed = true;
      removeEventListener('pagehide', onPageHide);
      removeEventListener('pageshow', onPageShow);
      ops.clear();
      release.abort();
      link.close();
    });
  };

  return {
    mode: link.mode,
    subscribe: transport.subscribe,
    durable: createDurableSubscriber(transport, { renew }),
    setToken,
    signOut() {
      send({ t: 'sign-out', tab });
      leave();
    },
    close: leave,
  };
}
