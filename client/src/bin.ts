import { main } from './cli.js';

// Ctrl-C or SIGTERM: `tail` stops and prints where to resume; a second one ends at once
const stop = new AbortController();
const onSignal = () => (stop.signal.aborted ? process.exit(130) : stop.abort());
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// the kit's timers never hold a process; the CLI holds it until its command is done
const hold = setInterval(() => {}, 1 << 30);

main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }, stop.signal).then(
  (code) => {
    clearInterval(hold);
    process.exitCode = code;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // stdin may still be open (tail, status): nothing else is left to wait for
    process.stdin.destroy();
  },
  (error) => {
    process.stderr.write(`pulseboard: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
