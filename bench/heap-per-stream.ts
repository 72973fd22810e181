// Where an idle open stream's memory goes: starts the server with --heapsnapshot-signal, takes
// a heap snapshot before and after opening N idle `logs` streams, and prints the retained
// growth per stream by constructor. Usage: node --import tsx bench/heap-per-stream.ts [N]
// (HEAP_SERVER=ceiling: the same for the bare node:http ceiling, to compare with)
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'heap-'));
// a port the kernel just handed out (and took back), not a guess that may be in use
const port = await new Promise<number>((resolve) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address() as net.AddressInfo;
    probe.close(() => resolve(free));
  });
});
const CEILING = process.env.HEAP_SERVER === 'ceiling';
const child = spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`, '--import', 'tsx', CEILING ? 'bench/servers/ceiling.ts' : 'server/index.ts'], {
  cwd: process.cwd(),
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: ':memory:', LOG_LEVEL: 'error', REDIS_URL: '', MAX_STREAMS_PER_CALLER: '1000000', MAX_STREAMS_PER_TENANT: '1000000' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
process.chdir(dir);
const url = `http://127.0.0.1:${port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (let i = 0; ; i++) {
  if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
  if (i > 300) throw new Error('server did not start');
  await sleep(200);
}
const gql = async (query: string) => (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as any;
const jwt = CEILING ? '' : (await gql(`mutation { register(input: {email: "heap@example.com", password: "heap-password", name: "H", tenantName: "H"}) { token } }`)).data.register.token;
const body = JSON.stringify({ query: 'subscription { logs(channel: "bench") { cursor message } }' });
const request = CEILING
  ? `GET /stream?channel=bench HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`
  : `POST /graphql/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\nAuthorization: Bearer ${jwt}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

async function snapshot(): Promise<string> {
  const count = readdirSync('.').length;
  child.kill('SIGUSR2');
  for (;;) {
    await sleep(500);
    const files = readdirSync('.').filter((f) => f.endsWith('.heapsnapshot'));
    if (files.length > count) {
      const file = files.sort().at(-1)!;
      // wait for the write to finish
      let size = -1;
      for (;;) {
        const now = readFileSync(file).length;
        if (now > 0 && now === size) return file;
        size = now;
        await sleep(500);
      }
    }
  }
}

function tally(file: string): Map<string, { count: number; size: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const fields: string[] = snap.snapshot.meta.node_fields;
  const types: string[] = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [t, n, s] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + t!]]!;
    const name = `${type}:${String(snap.strings[snap.nodes[i + n!]]).slice(0, 60)}`;
    const e = out.get(name) ?? { count: 0, size: 0 };
    e.count++;
    e.size += snap.nodes[i + s!];
    out.set(name, e);
  }
  return out;
}

await sleep(1000);
const base = tally(await snapshot());
const sockets: net.Socket[] = [];
for (let i = 0; i < N; i++) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(request);
  sockets.push(socket);
  if (i % 200 === 199) await sleep(50);
}
await sleep(3000);
const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]);
const held = tally(await snapshot());
const rows = [...held].map(([k, v]) => ({ k, count: v.count - (base.get(k)?.count ?? 0), size: v.size - (base.get(k)?.size ?? 0) })).sort((a, b) => b.size - a.size);
const total = rows.reduce((a, r) => a + r.size, 0);
console.log(`${N} streams: heap growth ${(total / N).toFixed(0)} B/stream (RSS now ${Math.round(rss / 1024)} MB)`);
for (const r of rows.slice(0, 40)) console.log(`${(r.size / N).toFixed(0).padStart(6)} B  ${(r.count / N).toFixed(2).padStart(6)} /stream  ${r.k}`);
for (const s of sockets) s.destroy();
child.kill('SIGKILL');
process.exit(0);
