import type { StreamRequest, StreamResult } from '../durable-subscription';

/**
 * What tabs and the stream hub (in a SharedWorker, or in the leader tab) say to each other.
 * Messages are structured-cloned: plain data only.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'down';

export type TabMessage =
  /** First message of a tab, and again after a hand-over. `lock` names a Web Lock the tab holds while it lives. */
  | { t: 'hello'; tab: string; token: string; lock?: string }
  /** The tab's credential changed (renewal): later (re)connects use it. */
  | { t: 'token'; tab: string; token: string }
  | { t: 'sub'; tab: string; id: string; request: StreamRequest }
  | { t: 'unsub'; tab: string; id: string }
  /** The tab is going away (pagehide): its operations end now. */
  | { t: 'bye'; tab: string }
  /** Sign-out in one tab ends the browser's streams. */
  | { t: 'sign-out'; tab: string };

export type HubMessage =
  | { t: 'state'; state: ConnectionState }
  | { t: 'next'; id: string; result: StreamResult }
  | { t: 'error'; id: string; message: string; restart?: boolean }
  | { t: 'complete'; id: string }
  /** The server refused the credential (an expired or revoked token): renew it or sign out. */
  | { t: 'auth-required' }
  | { t: 'signed-out' };

/** One end of a channel between a tab and the hub (a MessagePort, or a BroadcastChannel bridge). */
export interface HubPort {
  post(message: HubMessage): void;
}
