export interface BackoffOptions {
  /** @default 500 */
  baseMs?: number;
  /** @default 15000 */
  capMs?: number;
  random?: () => number;
}

/**
 * "Full jitter" exponential backoff: a random wait between 0 and min(cap, base · 2^attempt),
 * so a fleet of tabs that lost the same server does not come back in lockstep.
 */
export function backoffDelay(attempt: number, { baseMs = 500, capMs = 15_000, random = Math.random }: BackoffOptions = {}): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
