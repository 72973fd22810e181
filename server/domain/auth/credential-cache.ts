import type { Bus, Unsubscribe } from '../../bus/index.js';
import { topics } from '../../bus/topics.js';

/** What a cached credential belongs to, so an invalidation can find it. */
export interface CredentialOwner {
  tenantId: string;
  userId?: string;
  tokenId?: string;
}

export interface CreateCredentialCacheOptions {
  bus: Bus;
  /** Backstop: an entry is read again after this even if no invalidation reached us. @default 30000 */
  ttlMs?: number;
  /** @default 10000 */
  maxEntries?: number;
  /** Tenants whose invalidations this instance listens to; lookups in others are not cached. @default 10000 */
  maxTenants?: number;
}

export type CredentialCache = ReturnType<typeof createCredentialCache>;

/**
 * Per-instance cache of credential lookups (service tokens, sign-in sessions), so
 * authenticating a request costs no store round trip. Entries are dropped when a revocation or
 * access change for their token or person arrives on the bus from any instance, and re-read
 * after `ttlMs` in any case (a message Redis dropped). A lookup is cached only when this
 * instance was already listening to the tenant's changes before the read began and no change
 * arrived while it ran, so a revocation racing a read is never cached over. A tenant's
 * listeners are released once none of its entries is left (expired entries are swept every
 * half TTL), so an instance holds nothing for a tenant nobody has called lately.
 */
export function createCredentialCache({ bus, ttlMs = 30_000, maxEntries = 10_000, maxTenants = 10_000 }: CreateCredentialCacheOptions) {
  const entries = new Map<string, { value: CredentialOwner; expiresAt: number }>();
  const pending = new Map<string, Promise<CredentialOwner | null>>();
  const watched = new Map<string, Promise<Unsubscribe[]>>();
  // one clock orders reads, invalidations and subscriptions becoming active
  let tick = 0;
  let lastInvalidation = 0;
  const listeningSince = new Map<string, number>();
  let closed = false;

  function unwatch(tenantId: string) {
    const subscribed = watched.get(tenantId);
    if (!subscribed) return;
    watched.delete(tenantId);
    listeningSince.delete(tenantId);
    subscribed.then((offs) => offs.forEach((off) => off()), () => {});
  }

  const sweeper = setInterval(() => {
    const now = Date.now();
    const inUse = new Set<string>();
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(key);
      else inUse.add(entry.value.tenantId);
    }
    for (const tenantId of [...listeningSince.keys()]) if (!inUse.has(tenantId)) unwatch(tenantId);
  }, Math.max(250, ttlMs / 2));
  sweeper.unref();

  function invalidate(match: (owner: CredentialOwner) => boolean) {
    lastInvalidation = ++tick;
    for (const [key, entry] of entries) if (match(entry.value)) entries.delete(key);
  }

  function watch(tenantId: string) {
    if (closed || watched.has(tenantId) || watched.size >= maxTenants) return;
    const subscribed = Promise.all([
      bus.subscribe(tenantId, topics.tokenRevoked(), ({ tokenId }) => invalidate((o) => o.tokenId === tokenId)),
      bus.subscribe(tenantId, topics.accessChanged(), ({ userId }) => invalidate((o) => o.userId === userId)),
    ]);
    watched.set(tenantId, subscribed);
    subscribed.then(
      (offs) => {
        if (closed) offs.forEach((off) => off());
        else listeningSince.set(tenantId, ++tick);
      },
      // the bus is down: nothing from this tenant is cached until a later lookup subscribes again
      () => watched.delete(tenantId),
    );
  }

  async function load<V extends CredentialOwner>(key: string, read: () => Promise<V | null>): Promise<V | null> {
    const startedAt = ++tick;
    const value = await read();
    if (!value) return null;
    const since = listeningSince.get(value.tenantId);
    if (since !== undefined && since < startedAt && lastInvalidation < startedAt) {
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    } else {
      watch(value.tenantId);
    }
    return value;
  }

  return {
    /** The cached value for `key`, or `read()`'s (concurrent misses share one read). */
    lookup<V extends CredentialOwner>(key: string, read: () => Promise<V | null>): Promise<V | null> {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > Date.now()) return Promise.resolve(entry.value as V);
      let loading = pending.get(key);
      if (!loading) {
        loading = load(key, read).finally(() => pending.delete(key));
        pending.set(key, loading);
      }
      return loading as Promise<V | null>;
    },
    /** Drops `key` on this instance only (its own next read goes to the store). */
    forget(key: string) {
      lastInvalidation = ++tick;
      entries.delete(key);
    },
    size: () => entries.size,
    close() {
      closed = true;
      clearInterval(sweeper);
      entries.clear();
      for (const subscribed of watched.values()) subscribed.then((offs) => offs.forEach((off) => off()), () => {});
      watched.clear();
    },
  };
}
