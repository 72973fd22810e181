import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { DomainError } from '../shared/errors.js';

/** How many failures a key gets for free in `windowSeconds`; each one past that doubles the wait. */
export interface ThrottleRule {
  free: number;
}

export interface CreateSignInThrottleOptions {
  /** Shared state between instances (Redis); absent: this instance's memory. */
  redis?: Redis;
  /** @default 'pb:signin:' */
  keyPrefix?: string;
  /** Consecutive failures for one account from one address. @default { free: 5 } */
  perAccountAndAddress?: ThrottleRule;
  /** Failures for one account from any address (a spread-out guess). @default { free: 20 } */
  perAccount?: ThrottleRule;
  /** Failures from one address over any accounts (credential stuffing). @default { free: 50 } */
  perAddress?: ThrottleRule;
  /** Failures are forgotten this long after the last one. @default 3600 */
  windowSeconds?: number;
  /** The first wait, doubled by each further failure. @default 5 */
  firstBlockSeconds?: number;
  /** The longest single wait. @default 900 */
  maxBlockSeconds?: number;
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;

/**
 * Throttles guessing: sign-in (and anything else that checks a secret a person typed) counts
 * failures per account+address, per account and per address. Past a key's free failures each
 * further failure blocks it for twice as long as the last (5 s, 10 s, 20 s … up to
 * `maxBlockSeconds`); while blocked, attempts are refused with TOO_MANY_REQUESTS and
 * `retryAfterMs` before any password is checked, so the right password does not get through
 * either. A success clears the account's counters. Unknown and known emails are counted alike.
 */
export function createSignInThrottle({
  redis,
  keyPrefix = 'pb:signin:',
  perAccountAndAddress = { free: 5 },
  perAccount = { free: 20 },
  perAddress = { free: 50 },
  windowSeconds = 3_600,
  firstBlockSeconds = 5,
  maxBlockSeconds = 900,
}: CreateSignInThrottleOptions = {}) {
  const limiter = (name: string, points: number, duration: number): RateLimiterAbstract | RateLimiterStoreAbstract => {
    const options = { keyPrefix: `${keyPrefix}${name}`, points, duration };
    // if Redis is unreachable, this instance's memory keeps throttling rather than failing sign-in
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) }) : new RateLimiterMemory(options);
  };
  const failures = limiter('failures', Number.MAX_SAFE_INTEGER, windowSeconds);
  // a key is blocked while it has consumed more than this limiter's one point
  const blocks = limiter('blocks', 1, 1);
  // `account` null: an attempt that names no account (a sign-up), counted by address only
  const keysOf = (account: string | null, address: string) => [
    ...(account === null
      ? []
      : [
          { key: `pair:${account}|${address}`, rule: perAccountAndAddress },
          { key: `account:${account}`, rule: perAccount },
        ]),
    { key: `address:${address}`, rule: perAddress },
  ];

  return {
    /** Throws TOO_MANY_REQUESTS while `account` or `address` is blocked. */
    async check(account: string | null, address: string): Promise<void> {
      const states = await Promise.all(keysOf(account, address).map(({ key }) => blocks.get(key)));
      const waitMs = Math.max(0, ...states.map((s) => (s && s.consumedPoints > 1 ? s.msBeforeNext : 0)));
      if (waitMs > 0) {
        const retryAfterMs = Math.max(1_000, waitMs);
        throw new DomainError('TOO_MANY_REQUESTS', `Too many failed attempts: try again in ${Math.ceil(retryAfterMs / 1000)} s`, {
          retryAfterMs,
          http: { status: 429, headers: { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) } },
        });
      }
    },
    /** Counts a failure; a key past its free failures is blocked, each time twice as long. */
    async failed(account: string | null, address: string): Promise<void> {
      await Promise.all(
        keysOf(account, address).map(async ({ key, rule }) => {
          const { consumedPoints } = await failures.consume(key);
          const over = consumedPoints - rule.free;
          if (over > 0) await blocks.block(key, Math.min(maxBlockSeconds, firstBlockSeconds * 2 ** Math.min(over - 1, 30)));
        }),
      );
    },
    /** The account's counters start over (the address keeps its own). */
    async succeeded(account: string, address: string): Promise<void> {
      await Promise.all(keysOf(account, address).filter(({ key }) => !key.startsWith('address:')).map(({ key }) => failures.delete(key)));
    },
  };
}
