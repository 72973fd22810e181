import type { MonitorRow } from '../db/schema.js';
import type { Monitors } from '../domain/monitors/monitors.js';
import type { Logger } from '../logger.js';
import type { AddressPolicy } from '../domain/shared/address-policy.js';
import { runCheck } from '../domain/monitors/checker.js';

export interface CreateSchedulerOptions {
  monitors: Monitors;
  policy: AddressPolicy;
  logger: Logger;
  /** Checks running at once on this instance. @default 10 */
  concurrency?: number;
  /** How often due monitors are claimed. @default 1000 */
  tickMs?: number;
}

/**
 * The worker inside each server: claims due monitors in the store (so each check runs
 * once across instances), runs at most `concurrency` checks at a time, records outcomes.
 */
export function createScheduler({ monitors, policy, logger, concurrency = 10, tickMs = 1_000 }: CreateSchedulerOptions) {
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let claiming = false;

  async function check(monitor: MonitorRow, reschedule: boolean) {
    const outcome = await runCheck(monitor, policy);
    return monitors.recordCheck(monitor, outcome, { reschedule });
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    // eslint-disable-next-line no-restricted-syntax -- the caller awaits `promise` and handles its failure; this copy only tracks it
    void promise.finally(() => inFlight.delete(promise)).catch(() => {});
    return promise;
  }

  async function tick() {
    if (claiming) return;
    claiming = true;
    try {
      for (const monitor of await monitors.claimDue(concurrency - inFlight.size)) {
        track(check(monitor, true)).catch((error: Error) => logger.warn('monitor check failed to record', { monitorId: monitor.id }, error));
      }
    } catch (error) {
      logger.warn('claiming due monitors failed', error as Error);
    } finally {
      claiming = false;
    }
  }

  return {
    start() {
      timer ??= setInterval(() => void tick(), tickMs);
      timer.unref();
    },
    /** A check now, outside the schedule (runMonitorCheck). */
    runNow: (monitor: MonitorRow) => track(check(monitor, false)),
    tick,
    /** Stops claiming and waits for running checks to be recorded. */
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
