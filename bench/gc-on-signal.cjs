// Preloaded into every benchmarked server (never into Pulseboard's own code): SIGUSR2 runs a
// full collection, so the runner reads RSS without the garbage of whatever ran before.
process.on('SIGUSR2', () => globalThis.gc?.());
