import { createStreamHub } from './hub';
import type { HubMessage, TabMessage } from './protocol';

/**
 * How a tab reaches the stream hub. `onMessage` gets what the hub says to this tab;
 * `onHubChanged` fires when a different hub took over (a new leader tab), so the tab says hello
 * again and starts its operations anew from their cursors.
 */
export interface HubLink {
  readonly mode: 'worker' | 'leader' | 'direct';
  send(message: TabMessage): void;
  onMessage(listener: (message: HubMessage) => void): void;
  onHubChanged(listener: () => void): void;
  close(): void;
}

/** One SharedWorker per origin (and build) holds the hub. */
export function workerLink(): HubLink {
  const worker = new SharedWorker(new URL('./stream-worker.ts', import.meta.url), { type: 'module', name: 'pulseboard-stream' });
  let listener: (message: HubMessage) => void = () => {};
  worker.port.onmessage = (event: MessageEvent<HubMessage>) => listener(event.data);
  worker.port.start();
  return {
    mode: 'worker',
    send: (message) => worker.port.postMessage(message),
    onMessage: (l) => void (listener = l),
    onHubChanged: () => {},
    close: () => worker.port.close(),
  };
}

/** The hub in this very tab: for browsers without SharedWorker and Web Locks (one stream per tab). */
export function directLink(): HubLink {
  const hub = createStreamHub();
  let listener: (message: HubMessage) => void = () => {};
  const port = { post: (message: HubMessage) => queueMicrotask(() => listener(message)) };
  return {
    mode: 'direct',
    send: (message) => hub.receive(port, message),
    onMessage: (l) => void (listener = l),
    onHubChanged: () => {},
    close: () => hub.close(),
  };
}

type Envelope = { to: 'hub'; msg: TabMessage } | { to: string; msg: HubMessage } | { to: '*'; leader: string };

/**
 * Where SharedWorker is missing (Chrome on Android): the tabs elect a leader with a Web Lock
 * — held until the leader tab closes, then granted to the next tab in line, with no timers or
 * heartbeats — and talk to the leader's hub over a BroadcastChannel.
 */
export function leaderLink(tab: string, locks: LockManager): HubLink {
  const channel = new BroadcastChannel('pulseboard-stream');
  let listener: (message: HubMessage) => void = () => {};
  let hubChanged: () => void = () => {};
  let leading: ReturnType<typeof createStreamHub> | null = null;
  let closed = false;
  const release = new AbortController();

  const selfPort = { post: (message: HubMessage) => queueMicrotask(() => listener(message)) };
  const portFor = (other: string) => ({ post: (message: HubMessage) => channel.postMessage({ to: other, msg: message } satisfies Envelope) });

  channel.onmessage = (event: MessageEvent<Envelope>) => {
    const envelope = event.data;
    if (envelope.to === 'hub') {
      const message = (envelope as { msg: TabMessage }).msg;
      if (leading) leading.receive(portFor(message.tab), message);
    } else if (envelope.to === '*') {
      if ('leader' in envelope && envelope.leader !== tab) hubChanged();
    } else if (envelope.to === tab) {
      listener((envelope as { msg: HubMessage }).msg);
    }
  };

  void locks
    .request('pulseboard-stream-leader', { signal: release.signal }, () => {
      if (closed) return;
      leading = createStreamHub();
      // visible to tests and to whoever inspects the page: this tab holds the browser's stream
      document.documentElement.dataset.streamLeader = 'true';
      channel.postMessage({ to: '*', leader: tab } satisfies Envelope);
      hubChanged();
      // held while this tab lives
      return new Promise<void>((resolve) => release.signal.addEventListener('abort', () => resolve()));
    })
    // eslint-disable-next-line no-restricted-syntax -- the request rejects with AbortError when this tab closes before it leads: nothing to report
    .catch(() => {});

  return {
    mode: 'leader',
    send: (message) => (leading ? leading.receive(selfPort, message) : channel.postMessage({ to: 'hub', msg: message } satisfies Envelope)),
    onMessage: (l) => void (listener = l),
    onHubChanged: (l) => void (hubChanged = l),
    close() {
      closed = true;
      delete document.documentElement.dataset.streamLeader;
      leading?.close();
      leading = null;
      release.abort();
      channel.close();
    },
  };
}
