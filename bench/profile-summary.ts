// Summarises a .cpuprofile (node --cpu-prof): self time by function and by package, so a
// benchmark run says where the server's time went.
// Usage: node --import tsx bench/profile-summary.ts FILE [top] [fromUs toUs]
// The window (monotonic µs, as bench/run.ts prints for each profiled scenario) keeps only the samples
// taken while the scenario ran, not start-up and subscribing.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, topArg, fromArg, toArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number };
const top = Number(topArg ?? 30);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
const from = fromArg ? Number(fromArg) : -Infinity;
const to = toArg ? Number(toArg) : Infinity;
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at >= from && at <= to) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  if (!url) return '(native/vm)';
  return url.replace(/^file:\/\/.*?\/(server|bench)\//, '$1/');
};
const tally = (key: (n: Node) => string) => {
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const k = key(byId.get(id)!);
    sums.set(k, (sums.get(k) ?? 0) + us);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, top);
};
const print = (title: string, rows: [string, number][]) => {
  console.log(`\n${title}`);
  for (const [k, us] of rows) console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('self time by package', tally((n) => where(n.callFrame.url)));
print('self time by function', tally((n) => `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`));

// Where the heaviest packages are called from: the nearest frame in our own code.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const ours = (n: Node) => /\/(server|bench)\//.test(n.callFrame.url) && !n.callFrame.url.includes('node_modules');
const callers = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  if (ours(node) || !node.callFrame.url) continue;
  let up = parent.get(id);
  while (up !== undefined && !ours(byId.get(up)!)) up = parent.get(up);
  const caller = up === undefined ? '(no frame of ours)' : `${byId.get(up)!.callFrame.functionName || '(anonymous)'}  ${where(byId.get(up)!.callFrame.url)}`;
  const key = `${where(node.callFrame.url)}  <-  ${caller}`;
  callers.set(key, (callers.get(key) ?? 0) + us);
}
print('library and runtime time by nearest caller of ours', [...callers].sort((a, b) => b[1] - a[1]).slice(0, top));
