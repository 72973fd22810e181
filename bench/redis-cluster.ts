// The Redis Cluster the pulseboard-redis-cluster row runs on: one given in
// BENCH_REDIS_CLUSTER_NODES is used as is; otherwise the bench starts a private 3-master cluster
// (scripts/redis-cluster.sh) on free loopback ports and stops it afterwards, so the run never
// shares (or shuts down) the cluster CI keeps on 7101-7103.
import { execFileSync } from 'node:child_process';
import net from 'node:net';

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/** A first port p with p..p+2 and their cluster-bus ports (p+10000..) all free. */
async function freeBase(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    // below the ephemeral range (32768+), so a client socket does not take it meanwhile
    const base = 20_000 + Math.floor(Math.random() * 2_000) * 5;
    const ports = [0, 1, 2].flatMap((i) => [base + i, base + i + 10_000]);
    if ((await Promise.all(ports.map(canListen))).every(Boolean)) return base;
  }
  throw new Error('no free ports for a Redis Cluster');
}

/** Starts (or takes) a cluster; `stop` shuts down only one this call started. */
export async function createBenchCluster({ given = process.env.BENCH_REDIS_CLUSTER_NODES }: { given?: string } = {}) {
  if (given) return { nodes: given, stop: () => undefined };
  const base = await freeBase();
  const nodes = execFileSync('bash', ['scripts/redis-cluster.sh', String(base)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return { nodes, stop: () => void execFileSync('bash', ['scripts/redis-cluster.sh', 'stop', String(base)], { stdio: 'ignore' }) };
}
