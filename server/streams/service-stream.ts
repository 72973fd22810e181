import type { Bus, Unsubscribe } from '../bus/index.js';
import { topics, type ServiceChanged, type ServiceSnapshot } from '../bus/topics.js';
import type { Services } from '../domain/services/services.js';
import { childController, onAbort } from './lifecycle.js';
import { SharedFeeds, type SharedFeed } from './shared-feeds.js';

export interface ServiceStatusEvent {
  kind: 'SNAPSHOT' | 'UPDATED' | 'REMOVED';
  /** SNAPSHOT: every service; UPDATED: the one that changed; REMOVED: none */
  services: ServiceSnapshot[];
  key: string | null;
}

type ChangeListener = (change: ServiceChanged) => void;

/**
 * One tenant's status changes on this instance: the bus, plus what the store says when the
 * bus may have lost something (it reconnected, or the periodic summary disagrees with what
 * this feed has seen) — then it resends every change by its version, and removals.
 */
class StatusFeed implements SharedFeed {
  readonly listeners = new Set<ChangeListener>();
  /** the version of each service as this feed last heard it */
  readonly versions = new Map<string, number>();
  readonly ready: Promise<void>;
  private unsubscribe: Unsubscribe | undefined;
  private closed = false;

  constructor(
    private readonly tenantId: string,
    bus: Bus,
    private readonly services: Services,
  ) {
    this.ready = this.start(bus);
  }

  private async start(bus: Bus) {
    const off = await bus.subscribe(this.tenantId, topics.serviceChanged(), (change) => this.receive(change));
    if (this.closed) return off();
    this.unsubscribe = off;
    for (const service of await this.services.list(this.tenantId)) this.note(service.key, service.version);
  }

  private note(key: string, version: number) {
    if (version > (this.versions.get(key) ?? 0)) this.versions.set(key, version);
  }

  receive(change: ServiceChanged) {
    if (change.service) this.note(change.key, change.version);
    else this.versions.delete(change.key);
    for (const listener of this.listeners) listener(change);
  }

  /** Compares with the store; on any difference, resends what changed. */
  async resync(force: boolean) {
    if (this.closed) return;
    if (!force) {
      const summary = await this.services.versionSummary(this.tenantId);
      const seenMax = Math.max(0, ...this.versions.values());
      if (summary.maxVersion <= seenMax && summary.count === this.versions.size) return;
    }
    const current = await this.services.list(this.tenantId);
    const present = new Set(current.map((s) => s.key));
    const removed = [...this.versions.keys()].filter((key) => !present.has(key));
    if (removed.length) {
      const version = await this.services.takeVersion();
      for (const key of removed) this.receive({ key, version, service: null });
    }
    for (const service of current) {
      if (service.version > (this.versions.get(service.key) ?? 0)) this.receive({ key: service.key, version: service.version, service });
    }
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
  }
}

export interface CreateServiceStatusFeedsOptions {
  bus: Bus;
  services: Services;
  /** How often each feed's view is compared with the store's. @default 5000 */
  syncIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/** `serviceStatus` feeds, one per tenant on this instance, shared by its subscribers. */
export function createServiceStatusFeeds({ bus, services, syncIntervalMs = 5_000, onError = () => {} }: CreateServiceStatusFeedsOptions) {
  const feeds = new SharedFeeds((tenantId) => new StatusFeed(tenantId, bus, services));
  const resyncAll = async (force: boolean) => {
    for (const [, feed] of [...feeds.entries()]) await feed.resync(force).catch(onError);
  };
  let syncing = false;
  const timer = setInterval(() => {
    if (syncing) return;
    syncing = true;
    void resyncAll(false).finally(() => (syncing = false));
  }, syncIntervalMs);
  timer.unref();

  return {
    /**
     * The `serviceStatus` subscription: a SNAPSHOT, then one event per change. Latest-wins:
     * changes waiting for a slow consumer are coalesced per service (memory is bounded by the
     * number of services), and a change older than what the consumer already has — by the
     * service's version — is dropped, so the picture never goes back in time.
     */
    async open(tenantId: string, signal: AbortSignal): Promise<AsyncIterableIterator<ServiceStatusEvent>> {
      const stream = new StatusStream(signal);
      // listen before reading the snapshot: changes racing it are caught and ordered by version
      const feed = await feeds.join(tenantId, stream.signal);
      if (feed) {
        feed.listeners.add(stream.receive);
        onAbort(stream.signal, () => feed.listeners.delete(stream.receive));
      }
      if (!stream.ended) {
        try {
          stream.start(await services.list(tenantId));
        } catch (error) {
          stream.end();
          throw error;
        }
      }
      return stream;
    },
    /** After the bus reconnects: what it carried meanwhile is lost, so every feed rereads the store. */
    resync: () => resyncAll(true),
    get size() {
      return feeds.size;
    },
    close() {
      clearInterval(timer);
      feeds.close();
    },
  };
}

export type ServiceStatusFeeds = ReturnType<typeof createServiceStatusFeeds>;

class StatusStream implements AsyncIterableIterator<ServiceStatusEvent> {
  readonly signal: AbortSignal;
  private readonly controller: AbortController;
  private readonly pending = new Map<string, ServiceChanged>();
  private readonly known = new Map<string, number>();
  private snapshot: ServiceSnapshot[] | undefined;
  private wake: (() => void) | undefined;

  constructor(signal: AbortSignal) {
    this.controller = childController(signal);
    this.signal = this.controller.signal;
    onAbort(this.signal, () => {
      this.pending.clear();
      this.wakeUp();
    });
  }

  get ended() {
    return this.signal.aborted;
  }

  readonly receive = (change: ServiceChanged) => {
    const queued = this.pending.get(change.key);
    if (!queued || queued.version < change.version) this.pending.set(change.key, change);
    this.wakeUp();
  };

  start(snapshot: ServiceSnapshot[]) {
    this.snapshot = snapshot;
    for (const service of snapshot) this.known.set(service.key, service.version);
  }

  end() {
    this.controller.abort('finished');
  }

  async next(): Promise<IteratorResult<ServiceStatusEvent>> {
    for (;;) {
      if (this.ended) return { done: true, value: undefined };
      if (this.snapshot) {
        const services = this.snapshot;
        this.snapshot = undefined;
        return { done: false, value: { kind: 'SNAPSHOT', services, key: null } };
      }
      const next = this.pending.entries().next();
      if (next.done) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const [key, change] = next.value;
      this.pending.delete(key);
      if (change.version <= (this.known.get(key) ?? 0)) continue;
      this.known.set(key, change.version);
      return {
        done: false,
        value: change.service ? { kind: 'UPDATED', services: [change.service], key } : { kind: 'REMOVED', services: [], key },
      };
    }
  }

  async return(): Promise<IteratorResult<ServiceStatusEvent>> {
    this.end();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ServiceStatusEvent>> {
    this.end();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private wakeUp() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
