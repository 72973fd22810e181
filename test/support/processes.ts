import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A Redis of this test's own on a loopback port, so restarting it disturbs no other suite. */
export async function startPrivateRedis(port?: number) {
  const p = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor(
    () =>
      new Promise((resolve) => {
        const socket = net.connect(p, '127.0.0.1', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      }),
    10_000,
    `redis on ${p}`,
  );
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    kill: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL'))),
  };
}

/** `npm start`'s server as a real process (no web build), for signals and crashes; `port` to restart on a predecessor's. */
export async function startInstance(env: Record<string, string>, port?: number) {
  port ??= await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 30_000, `instance on ${port}: ${output.join('')}`);
  return { url: `http://127.0.0.1:${port}`, port, child, exited, output };
}

/**
 * A 3-master Redis Cluster of this test's own (no replicas), so killing a master disturbs no
 * other suite. Ports are picked with their cluster-bus port (+10000) free; each node keeps its
 * nodes.conf in a temp dir, so a restarted master rejoins as itself.
 */
export async function startPrivateRedisCluster() {
  const { mkdtempSync, mkdirSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), 'pb-cluster-'));
  const ports: number[] = [];
  while (ports.length < 3) {
    const port = 20_000 + Math.floor(Math.random() * 9_000);
    if (ports.includes(port)) continue;
    const free = async (p: number) => new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(p, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if ((await free(port)) && (await free(port + 10_000))) ports.push(port);
  }
  const children = new Map<number, ChildProcess>();
  const spawnNode = (port: number) => {
    mkdirSync(join(dir, String(port)), { recursive: true });
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', join(dir, String(port)), '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    children.set(port, child);
  };
  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-p', String(port), ...args])).stdout;
  const clusterOk = async (port: number) => /cluster_state:ok/.test(await cli(port, 'cluster', 'info'));
  for (const port of ports) spawnNode(port);
  for (const port of ports) await waitFor(async () => (await cli(port, 'ping')).trim() === 'PONG', 10_000, `cluster node ${port}`);
  await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
  const allOk = async () => (await Promise.all(ports.map(clusterOk))).every(Boolean);
  await waitFor(allOk, 20_000, 'cluster_state:ok');
  return {
    nodes: ports.map((p) => `127.0.0.1:${p}`),
    ports,
    /** The port of the master owning `key`'s slot. */
    async masterOf(key: string): Promise<number> {
      const slot = Number((await cli(ports[0]!, 'cluster', 'keyslot', key)).trim());
      for (const line of (await cli(ports[0]!, 'cluster', 'nodes')).split('\n')) {
        const [, address, flags, , , , , , ...ranges] = line.split(' ');
        if (!flags?.includes('master')) continue;
        for (const range of ranges) {
          const [from, to = from] = range.split('-').map(Number);
          if (slot >= from! && slot <= to!) return Number(address!.split(':')[1]!.split('@')[0]);
        }
      }
      throw new Error(`no master owns slot ${slot}`);
    },
    /** SIGKILL one master: its slots are down until it comes back. */
    kill: (port: number) => new Promise<void>((resolve) => {
      const child = children.get(port)!;
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
    /** Starts the killed master again with its nodes.conf; resolves once the cluster is ok everywhere. */
    async restart(port: number) {
      spawnNode(port);
      await waitFor(allOk, 30_000, 'cluster_state:ok after restart');
    },
    /** Whether any node still says the cluster is ok (false once the failure is agreed on). */
    anyOk: async () => (await Promise.all(ports.map((p) => clusterOk(p).catch(() => false)))).some(Boolean),
    async stop() {
      await Promise.all([...children.values()].map((child) => new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      })));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
