import type { Logger } from '../logger.js';

export interface Worker {
  stop(): void;
}

/**
 * Runs `task` every `intervalMs`, never two at once; a failure is logged and the next
 * tick tries again. Safe on many instances when `task` claims its work in the store.
 */
export function startWorker(name: string, intervalMs: number, task: () => Promise<unknown>, logger: Logger): Worker {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } catch (error) {
      logger.warn(`${name} failed`, error as Error);
    } finally {
      running = false;
    }
  };
  // tick never rejects: its failure is logged above
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
