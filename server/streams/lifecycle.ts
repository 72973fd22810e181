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
export function onAbort(signal: AbortSignal, release: () => void): () => void {
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
