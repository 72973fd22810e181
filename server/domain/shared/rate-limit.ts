import { DomainError } from './errors.js';

export interface CreateRateLimiterOptions {
  /** Sustained requests per second per key. */
  ratePerSecond: number;
  /** Requests allowed in a burst. @default 2 × ratePerSecond */
  burst?: number;
}

/** A token bucket per key (per service token or user), on this instance. */
export function createRateLimiter({ ratePerSecond, burst = ratePerSecond * 2 }: CreateRateLimiterOptions) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one token for `key`, or throws TOO_MANY_REQUESTS saying when to retry. */
    take(key: string, what: string): void {
      const now = Date.now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
      bucket.at = now;
      if (bucket.tokens < 1) {
        buckets.set(key, bucket);
        const retryAfterMs = Math.ceil(((1 - bucket.tokens) / ratePerSecond) * 1000);
        throw new DomainError('TOO_MANY_REQUESTS', `Rate limit: at most ${ratePerSecond} ${what} per second per caller (retry in ${retryAfterMs} ms)`, {
          retryAfterMs,
        });
      }
      bucket.tokens -= 1;
      buckets.set(key, bucket);
      // forget idle callers so the map does not grow for ever
      if (buckets.size > 10_000) for (const [k, b] of buckets) if (now - b.at > 60_000) buckets.delete(k);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
