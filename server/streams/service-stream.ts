import type { Bus } from '../bus/index.js';
import { topics, type ServiceChanged, type ServiceSnapshot } from '../bus/topics.js';
import type { Services } from '../domain/services/services.js';
import { closable } from './closable.js';

export interface ServiceStatusEvent {
  kind: 'SNAPSHOT' | 'UPDATED' | 'REMOVED';
  /** SNAPSHOT: every service; UPDATED: the one that changed; REMOVED: none */
  services: ServiceSnapshot[];
  key: string | null;
}

/**
 * The `serviceStatus` subscription: a SNAPSHOT, then one event per change. Latest-wins:
 * changes waiting for a slow consumer are coalesced per service (memory is bounded by the
 * number of services), and a change older than what the consumer already has — by the
 * service's version — is dropped, so the picture never goes back in time.
 */
export async function openServiceStatusStream({ bus, services, tenantId }: { bus: Bus; services: Services; tenantId: string }): Promise<AsyncGenerator<ServiceStatusEvent>> {
  const pending = new Map<string, ServiceChanged>();
  let wake: (() => void) | undefined;
  let closed = false;
  // subscribe before reading the snapshot: changes racing it are caught and ordered by version
  const unsubscribe = await bus.subscribe(tenantId, topics.serviceChanged(), (change) => {
    const queued = pending.get(change.key);
    if (!queued || queued.version < change.version) pending.set(change.key, change);
    wake?.();
  });
  let snapshot: ServiceSnapshot[];
  try {
    snapshot = await services.list(tenantId);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  const known = new Map(snapshot.map((s) => [s.key, s.version]));

  async function* events(): AsyncGenerator<ServiceStatusEvent> {
    try {
      yield { kind: 'SNAPSHOT', services: snapshot, key: null };
      for (;;) {
        if (closed) return;
        const next = pending.entries().next();
        if (next.done) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        const [key, change] = next.value;
        pending.delete(key);
        if (change.version <= (known.get(key) ?? 0)) continue;
        known.set(key, change.version);
        yield change.service
          ? { kind: 'UPDATED', services: [change.service], key }
          : { kind: 'REMOVED', services: [], key };
      }
    } finally {
      unsubscribe();
    }
  }
  return closable(events(), () => {
    closed = true;
    wake?.();
  });
}
