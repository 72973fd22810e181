/**
 * The one signal an operation's resources listen to. The transport aborts it on whichever
 * edge comes first — the client leaving (before, during or after setup), the operation being
 * stopped, the credential ending, the server draining — and every resource a subscription
 * takes registers its release on it *before* its first `await`, so no edge can slip between
 * taking a resource and registering its release.
 */

/**
 * Runs `release` once when `signal` aborts — at once if it already has (a listener added to
 * an aborted signal would never fire: the zombie-stream bug). Returns an unregister function
 * for a resource released another way first.
 */
export function onAbort(signal: EndSignal, release: () => void): () => void {
  if (signal.aborted) {
    release();
    return () => {};
  }
  signal.addEventListener('abort', release, { once: true });
  return () => signal.removeEventListener('abort', release);
}

/**
 * A controller that aborts with `parent` (a subscription's own end: it also aborts when the
 * subscription's iterator is returned, which must not end the parent operation's siblings).
 * It unhooks itself from the parent once aborted, so a long-lived parent collects nothing.
 */
export function childController(parent?: AbortSignal): AbortController {
  const controller = new AbortController();
  if (parent) {
    const unhook = onAbort(parent, () => controller.abort(parent.reason));
    controller.signal.addEventListener('abort', unhook, { once: true });
  }
  return controller;
}

/** Why an operation ended, as the transport records it on its signal. */
export type EndReason = 'client-gone' | 'stopped' | 'drain' | 'finished' | 'credential';

/**
 * What a resource needs of a signal to be released by it: `aborted`, and a one-time 'abort'
 * listener. Every AbortSignal is one; so is a {@link Lifetime}.
 */
export interface EndSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The end of one subscription's source, for the resources bound to it — an {@link EndSignal}
 * without an EventTarget. An idle stream holds its source's end for its whole life, and an
 * AbortController with its signal, listener maps and hidden class costs about a kilobyte of
 * heap; this is a flag and an array. Ends with `parent` (unhooking itself from it when it ends
 * first, so a long-lived parent collects nothing) or by `end()`.
 */
export class Lifetime implements EndSignal {
  aborted = false;
  private listeners: (() => void)[] = [];
  private readonly unhook: (() => void) | undefined;
  private readonly owner: { lifetimeEnded(): void } | undefined;

  /** @param owner told first when it ends (a method, not one more closure per lifetime) */
  constructor(parent?: EndSignal, owner?: { lifetimeEnded(): void }) {
    this.owner = owner;
    // last: a parent that has already ended ends this one here and now
    this.unhook = parent && onAbort(parent, () => this.end());
  }

  addEventListener(_type: 'abort', listener: () => void) {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void) {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
  }

  /** Ends it: every listener runs once, in the order added. */
  end() {
    if (this.aborted) return;
    this.aborted = true;
    this.unhook?.();
    this.owner?.lifetimeEnded();
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}
