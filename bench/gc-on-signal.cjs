// Preloaded into every benchmarked server (never into Pulseboard's own code): SIGUSR2 runs a
// full collection, so the runner reads RSS without the garbage of whatever ran before.
process.on('SIGUSR2', () => globalThis.gc?.());

// Event-loop delay, watched from outside the server's own code so all five servers are measured
// the same way. bench/run.ts spawns servers with an IPC channel and asks over it; nothing here
// runs without one (heap-per-stream.ts, a server started by hand).
if (process.send) {
  const { monitorEventLoopDelay } = require('node:perf_hooks');
  // 10 ms: each sample is the time between two 10 ms timer ticks, so the delay is that minus 10 ms
  const RESOLUTION_MS = 10;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const delayMs = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  process.on('message', (message) => {
    if (!message || message.probe !== 'eventLoop') return;
    if (message.reset) histogram.reset();
    process.send({
      probe: 'eventLoop',
      samples: histogram.count,
      p50Ms: delayMs(histogram.percentile(50)),
      p99Ms: delayMs(histogram.percentile(99)),
      maxMs: delayMs(histogram.max),
    });
  });
  // the channel must not keep a server alive that would otherwise exit
  process.channel?.unref();
}
