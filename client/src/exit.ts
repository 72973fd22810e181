/**
 * Flush on exit, in Node. A process has one set of signals, so one listener per signal serves
 * every publisher of the process (this module's registry is the process's, not the app's state).
 */

export interface ExitHooks {
  /** The event loop emptied with work left: return a promise to keep the process until it ends. */
  beforeExit(): Promise<void> | void;
  /** SIGINT/SIGTERM arrived: flush (bounded), the process then ends as the signal says. */
  signal(): Promise<void>;
  /** The process is exiting now (synchronous: nothing can be sent any more). */
  exit(): void;
}

type NodeProcess = {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): unknown;
  pid: number;
};

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const hooks = new Set<ExitHooks>();
let installed: (() => void) | undefined;

function nodeProcess(): NodeProcess | undefined {
  const candidate = (globalThis as { process?: Partial<NodeProcess> & { versions?: { node?: string } } }).process;
  return candidate?.versions?.node && typeof candidate.on === 'function' ? (candidate as NodeProcess) : undefined;
}

function install(proc: NodeProcess): () => void {
  const beforeExit = () => void Promise.all([...hooks].map(async (h) => h.beforeExit()));
  const exit = () => hooks.forEach((h) => h.exit());
  const onSignal = (signal: string) => {
    // nobody else listens: once flushed, end the process as the signal would have without us
    const alone = proc.listenerCount(signal) === 1;
    void Promise.all([...hooks].map((h) => h.signal())).then(() => {
      if (!alone) return;
      uninstall();
      proc.kill(proc.pid, signal);
    });
  };
  const signalListeners = SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);
  const uninstall = () => {
    if (installed !== uninstall) return;
    proc.off('beforeExit', beforeExit);
    proc.off('exit', exit);
    for (const [signal, listener] of signalListeners) proc.off(signal, listener);
    installed = undefined;
  };
  installed = uninstall;
  proc.on('beforeExit', beforeExit);
  proc.on('exit', exit);
  for (const [signal, listener] of signalListeners) proc.on(signal, listener);
  return uninstall;
}

/** Registers a publisher's exit hooks (no-op outside Node); returns the function that removes them. */
export function onProcessExit(h: ExitHooks): (() => void) | undefined {
  const proc = nodeProcess();
  if (!proc) return undefined;
  hooks.add(h);
  if (!installed) install(proc);
  return () => {
    hooks.delete(h);
    if (!hooks.size) installed?.();
  };
}
