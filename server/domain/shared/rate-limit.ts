import { DomainError } from './errors.js';

/** What a refusal names and the RateLimit-* headers report (docs/errors.md). */
export interface Refusal {
  /** Which budget refused, e.g. `token-entries`; the `limit` label of `pulseboard_requests_rejected_total`. */
  limit: string;
  /** The budget's sustained rate per second (RateLimit-Limit). */
  perSecond: number;
  /** What is left in it now (RateLimit-Remaining). */
  remaining: number;
  /** When the call would be accepted (Retry-After, RateLimit-Reset). */
  retryAfterMs: number;
}

/**
 * Token buckets keyed by caller or tenant: `perSecond` refill, holding at most `capacity`.
 * Kept on this instance (a limit per instance, like the stream caps).
 */
function createBuckets(perSecond: number, capacity: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    perSecond,
    capacity,
    /** The bucket of `key`, refilled up to `now`. */
    get(key: string, now: number) {
      let bucket = buckets.get(key);
      if (!bucket) {
        buckets.set(key, (bucket = { tokens: capacity, at: now }));
        // forget idle keys (a full bucket is what a new one is) so the map does not grow for ever
        if (buckets.size > 10_000) for (const [k, b] of buckets) if (now - b.at > (capacity / perSecond) * 1000 + 60_000) buckets.delete(k);
      }
      bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      return bucket;
    },
  };
}

function refusalError(refusal: Refusal, message: string): DomainError {
  return new DomainError('TOO_MANY_REQUESTS', `${message} (retry in ${refusal.retryAfterMs} ms)`, {
    retryAfterMs: refusal.retryAfterMs,
    limit: refusal.limit,
    limitPerSecond: refusal.perSecond,
    remaining: refusal.remaining,
  });
}

export interface CreateRateLimiterOptions {
  /** Sustained requests per second per key. */
  ratePerSecond: number;
  /** Requests allowed in a burst. @default 2 × ratePerSecond */
  burst?: number;
  /** The limit's name in refusals and metrics. @default 'requests' */
  name?: string;
  /** Told of every refusal (metrics). */
  onRefused?: (limit: string) => void;
}

/** A token bucket per key (per service token or user), on this instance: one call costs one token. */
export function createRateLimiter({ ratePerSecond, burst = ratePerSecond * 2, name = 'requests', onRefused }: CreateRateLimiterOptions) {
  const buckets = createBuckets(ratePerSecond, burst);
  return {
    /** Takes one token for `key`, or throws TOO_MANY_REQUESTS saying when to retry. */
    take(key: string, what: string): void {
      const bucket = buckets.get(key, Date.now());
      if (bucket.tokens < 1) {
        const retryAfterMs = Math.ceil(((1 - bucket.tokens) / ratePerSecond) * 1000);
        onRefused?.(name);
        throw refusalError(
          { limit: name, perSecond: ratePerSecond, remaining: Math.floor(bucket.tokens), retryAfterMs },
          `Rate limit: at most ${ratePerSecond} ${what} per second per caller`,
        );
      }
      bucket.tokens -= 1;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

export interface PublishBudgetOptions {
  /** Log entries per second per caller (service token or user). @default 50000 */
  tokenEntriesPerSecond?: number;
  /** Bytes (messages and fields) per second per caller. @default 16 MiB */
  tokenBytesPerSecond?: number;
  /** Log entries per second per tenant, all its callers together. @default 100000 */
  tenantEntriesPerSecond?: number;
  /** Bytes per second per tenant. @default 48 MiB */
  tenantBytesPerSecond?: number;
  /** How many seconds' worth each bucket holds: the burst a caller may send above the rate. @default 5 */
  burstSeconds?: number;
  /** Told of every refusal, with the budget that refused (metrics). */
  onRefused?: (limit: string) => void;
}

export type PublishBudgets = ReturnType<typeof createPublishBudgets>;

/**
 * Publish budgets counted in what a call costs the store — entries and bytes — per caller and
 * per tenant, rather than in calls: one call of 500 lines and 500 calls of one line cost the
 * same, so batching is never punished and a burst of single lines is not refused while the
 * entries stay within budget. The default rates sit above what one token can make one
 * instance store (measured: ~32,000 entries/s in 100-entry batches on PostgreSQL), so a
 * healthy service is never refused on an idle server; they bind when several tokens or
 * instances' worth of traffic meets one. Each bucket holds `burstSeconds` of its rate, so
 * bursts pass untouched while a sustained flood is held to the rate. A call larger than a whole bucket costs the full bucket
 * (it can pass when the bucket is full rather than never).
 */
export function createPublishBudgets({
  tokenEntriesPerSecond = 50_000,
  tokenBytesPerSecond = 16 * 1024 * 1024,
  tenantEntriesPerSecond = 100_000,
  tenantBytesPerSecond = 48 * 1024 * 1024,
  burstSeconds = 5,
  onRefused,
}: PublishBudgetOptions = {}) {
  const buckets = (perSecond: number) => createBuckets(perSecond, perSecond * burstSeconds);
  const budgets = [
    { name: 'token-entries', what: 'log entries per second per caller', per: 'caller', unit: 'entries', buckets: buckets(tokenEntriesPerSecond) },
    { name: 'token-bytes', what: 'bytes of log entries per second per caller', per: 'caller', unit: 'bytes', buckets: buckets(tokenBytesPerSecond) },
    { name: 'tenant-entries', what: 'log entries per second per tenant', per: 'tenant', unit: 'entries', buckets: buckets(tenantEntriesPerSecond) },
    { name: 'tenant-bytes', what: 'bytes of log entries per second per tenant', per: 'tenant', unit: 'bytes', buckets: buckets(tenantBytesPerSecond) },
  ] as const;
  return {
    /**
     * Takes `entries` and `bytes` from the caller's and the tenant's budgets, all or nothing,
     * or throws TOO_MANY_REQUESTS naming the budget that needs the longest wait.
     */
    take(tenantId: string, callerKey: string, entries: number, bytes: number): void {
      const now = Date.now();
      let worst: { refusal: Refusal; what: string } | undefined;
      const held = budgets.map((budget) => {
        const bucket = budget.buckets.get(budget.per === 'caller' ? callerKey : tenantId, now);
        const cost = Math.min(budget.unit === 'entries' ? entries : bytes, budget.buckets.capacity);
        if (bucket.tokens < cost) {
          const retryAfterMs = Math.ceil(((cost - bucket.tokens) / budget.buckets.perSecond) * 1000);
          if (!worst || retryAfterMs > worst.refusal.retryAfterMs) {
            worst = { refusal: { limit: budget.name, perSecond: budget.buckets.perSecond, remaining: Math.floor(bucket.tokens), retryAfterMs }, what: budget.what };
          }
        }
        return { bucket, cost };
      });
      if (worst) {
        onRefused?.(worst.refusal.limit);
        throw refusalError(worst.refusal, `Publish budget: at most ${worst.refusal.perSecond} ${worst.what}; batch, or retry after Retry-After`);
      }
      for (const { bucket, cost } of held) bucket.tokens -= cost;
    },
  };
}
