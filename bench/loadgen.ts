// The load generator, in a process of its own (pinned to its own core by bench/run.ts).
// Raw sockets for subscribers, a cheap frame counter on every one, latency parsed on a
// sample; an open-loop publisher that measures from each event's intended send time.
import http from 'node:http';
import net from 'node:net';

export interface Target {
  port: number;
  /** the raw HTTP request that opens one subscription; `__CHANNEL__` stands for its channel */
  subscribeRequest: string;
  publishPath: string;
  publishHeaders: Record<string, string>;
  /** JSON body of one publish; `__MESSAGE__` and `__CHANNEL__` stand for the message and channel */
  publishBody: string;
}

/** Ingest: publish calls and nothing else (no subscribers). */
export interface IngestTarget {
  port: number;
  path: string;
  headers: Record<string, string>;
  /** JSON body of one call; `__N__` stands for the call's number (its idempotency key stays unique) */
  body: string;
  /** entries per call */
  entries: number;
}

type Command =
  | { cmd: 'ingest'; target: IngestTarget; concurrency: number; seconds: number; warmupSeconds: number }
  | { cmd: 'open'; target: Target; count: number; slowFraction?: number; sampleEvery?: number; channels?: number }
  | { cmd: 'burst'; events: number; timeoutMs: number; channels?: number }
  | { cmd: 'churn'; target: Target; rate: number; seconds: number }
  | { cmd: 'steady'; rate: number; seconds: number }
  | { cmd: 'close' };

const NEXT = Buffer.from('event: next');
let target: Target;
let sockets: net.Socket[] = [];
let received = 0;
let expectedPerEvent = 0;
let latencies: number[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * Source addresses the subscribers take turns on. One (source, destination) address pair has
 * about 28,000 ephemeral ports (net.ipv4.ip_local_port_range), fewer once churn leaves sockets in
 * TIME_WAIT; all of 127.0.0.0/8 is loopback on Linux, so eight sources give eight times that.
 */
const SOURCES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
let nextSource = 0;

/** The channel of subscriber or event `i` when `channels` > 1 (unicast), else the one broadcast channel. */
const channelOf = (i: number, channels = 1) => (channels > 1 ? `bench-${i % channels}` : 'bench');

function openOne(t: Target, sampled: boolean, slow: boolean, channel = 'bench'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: t.port, host: '127.0.0.1', localAddress: SOURCES[nextSource++ % SOURCES.length] });
    let carry = '';
    // the last bytes of the previous chunk: a frame's "event: next" may straddle two chunks
    let tail: Buffer = Buffer.alloc(0);
    let headerSeen = false;
    socket.once('connect', () => socket.write(requestFor(t, channel)));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      if (!headerSeen) {
        headerSeen = true;
        if (!chunk.toString('latin1', 0, 12).includes(' 200')) reject(new Error(`subscribe refused: ${chunk.toString().slice(0, 200)}`));
        else resolve(socket);
        if (slow) socket.pause();
      }
      // count frames without parsing them
      const scan = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      let from = 0;
      for (;;) {
        const at = scan.indexOf(NEXT, from);
        if (at < 0) break;
        received++;
        from = at + NEXT.length;
      }
      // keep what could be the start of a split marker, never a part already counted
      tail = scan.subarray(Math.max(from, scan.length - (NEXT.length - 1)));
      if (sampled) {
        const text = carry + chunk.toString('latin1');
        const now = Date.now();
        for (const m of text.matchAll(/t=(\d{13})/g)) latencies.push(now - Number(m[1]));
        carry = text.slice(-20);
      }
    });
  });
}

/** The subscribe request for `channel`, with Content-Length recomputed when there is a body. */
function requestFor(t: Target, channel: string): string {
  const raw = t.subscribeRequest.replaceAll('__CHANNEL__', channel);
  const split = raw.indexOf('\r\n\r\n');
  const body = raw.slice(split + 4);
  return body ? raw.slice(0, split).replace(/Content-Length: \d+/, `Content-Length: ${Buffer.byteLength(body)}`) + '\r\n\r\n' + body : raw;
}

let publishFailures = 0;

/**
 * One publish. A keep-alive socket the server closed as idle (its keepAliveTimeout) while we
 * reused it fails before the server saw the request, so that case is retried, as Node's docs
 * advise; any other failure is counted and reported, never silently lost.
 */
function publish(message: string, channel = 'bench', retried = false): Promise<void> {
  return new Promise((resolve) => {
    const body = target.publishBody.replace('__MESSAGE__', message).replaceAll('__CHANNEL__', channel);
    const req = http.request(
      { host: '127.0.0.1', port: target.port, path: target.publishPath, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...target.publishHeaders } },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) resolve(publish(message, channel, true));
      else {
        publishFailures++;
        resolve();
      }
    });
    req.end(body);
  });
}

const pad = 'x'.repeat(160);
const message = (intended: number) => `t=${intended} ${pad}`;
const percentile = (xs: number[], p: number) => {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function waitFor(total: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (received < total && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
}

/**
 * One ingest call, answered: 'ok', 'refused' (a 429 or TOO_MANY_REQUESTS) or 'failed' (any
 * other error, in the body or the transport). The body is read and parsed: an error in a 200
 * counts as a failure, not a call served.
 */
function ingestCall(t: IngestTarget, agentFor: http.Agent, n: number, retried = false): Promise<'ok' | 'refused' | 'failed'> {
  return new Promise((resolve) => {
    const body = t.body.replaceAll('__N__', String(n));
    const req = http.request(
      { host: '127.0.0.1', port: t.port, path: t.path, method: 'POST', agent: agentFor, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...t.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode === 429 || text.includes('TOO_MANY_REQUESTS')) return resolve('refused');
          resolve(res.statusCode === 200 && !text.includes('"errors"') ? 'ok' : 'failed');
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) resolve(ingestCall(t, agentFor, n, true));
      else resolve('failed');
    });
    req.end(body);
  });
}

let ingestCalls = 0;

async function handle(command: Command) {
  switch (command.cmd) {
    case 'ingest': {
      // closed loop: `concurrency` publishers, each sending its next call when the last is answered
      const ingestAgent = new http.Agent({ keepAlive: true, maxSockets: command.concurrency });
      const counts = { ok: 0, refused: 0, failed: 0 };
      let measuring = false;
      let stop = false;
      // every call served, warm-up included: what the server's CPU over the whole command paid for
      let served = 0;
      const workers = Array.from({ length: command.concurrency }, async () => {
        while (!stop) {
          const outcome = await ingestCall(command.target, ingestAgent, ++ingestCalls);
          if (measuring) counts[outcome]++;
          if (outcome === 'ok') served++;
        }
      });
      await new Promise((r) => setTimeout(r, command.warmupSeconds * 1000));
      measuring = true;
      const started = performance.now();
      await new Promise((r) => setTimeout(r, command.seconds * 1000));
      measuring = false;
      const seconds = (performance.now() - started) / 1000;
      stop = true;
      await Promise.all(workers);
      ingestAgent.destroy();
      return { ...counts, seconds, callsPerSecond: counts.ok / seconds, entriesPerSecond: (counts.ok * command.target.entries) / seconds, servedEntries: served * command.target.entries };
    }
    case 'open': {
      target = command.target;
      const slowEvery = command.slowFraction ? Math.round(1 / command.slowFraction) : 0;
      const started = Date.now();
      let next = 0;
      let slow = 0;
      const opened: net.Socket[] = [];
      await Promise.all(
        Array.from({ length: 200 }, async () => {
          for (;;) {
            const i = next++;
            if (i >= command.count) return;
            const isSlow = slowEvery > 0 && i % slowEvery === slowEvery - 1;
            if (isSlow) slow++;
            opened.push(await openOne(command.target, i % (command.sampleEvery ?? 10) === 0 && !isSlow, isSlow, channelOf(i, command.channels)));
          }
        }),
      );
      sockets.push(...opened);
      // unicast: each event reaches the one subscriber of its channel
      expectedPerEvent = command.channels && command.channels > 1 ? Math.round((sockets.length - slow) / command.channels) : sockets.length - slow;
      await new Promise((r) => setTimeout(r, 300));
      return { opened: opened.length, slow, ms: Date.now() - started };
    }
    case 'burst': {
      received = 0;
      publishFailures = 0;
      latencies = [];
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: Number(process.env.BENCH_BURST_PUBLISHERS ?? 8) }, async () => {
          for (;;) {
            const i = next++;
            if (i >= command.events) return;
            await publish(message(Date.now()), channelOf(i, command.channels));
          }
        }),
      );
      const expected = command.events * expectedPerEvent;
      await waitFor(expected, command.timeoutMs);
      const seconds = (performance.now() - started) / 1000;
      return { expected, received, seconds, deliveriesPerSecond: received / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), publishFailures };
    }
    case 'steady': {
      received = 0;
      publishFailures = 0;
      latencies = [];
      const total = Math.round(command.rate * command.seconds);
      const t0 = Date.now() + 50;
      const pending: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const intended = t0 + (i * 1000) / command.rate;
        const wait = intended - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        // open loop: the next event goes at its time whether or not this one was answered
        pending.push(publish(message(Math.round(intended))));
      }
      await Promise.all(pending);
      const expected = total * expectedPerEvent;
      await waitFor(expected, 15_000);
      return { expected, received, p50: percentile(latencies, 50), p99: percentile(latencies, 99), samples: latencies.length, publishFailures };
    }
    case 'churn': {
      // subscribe, wait for the stream to open, complete it — `rate` times a second
      const total = Math.round(command.rate * command.seconds);
      const t0 = Date.now();
      let failed = 0;
      const pending: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const wait = t0 + (i * 1000) / command.rate - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        pending.push(openOne(command.target, false, false).then((s) => void s.destroy(), () => void failed++));
      }
      await Promise.all(pending);
      const seconds = (Date.now() - t0) / 1000;
      return { attempted: total, failed, seconds, perSecond: (total - failed) / seconds };
    }
    case 'close': {
      for (const socket of sockets) socket.destroy();
      sockets = [];
      await new Promise((r) => setTimeout(r, 300));
      return { closed: true };
    }
  }
}

process.on('message', (command: Command & { id: number }) => {
  handle(command).then(
    (result) => process.send!({ id: command.id, result }),
    (error: Error) => process.send!({ id: command.id, error: error.message }),
  );
});
