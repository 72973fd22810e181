import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatEntry, lineToEntry } from '../client/src/cli.js';
import { durableStore, registerOver } from './support/client-kit.js';
import { startInstance } from './support/processes.js';

const BIN = new URL('../client/bin/pulseboard.js', import.meta.url).pathname;

/** `npx pulseboard …` from the repository: the workspace's bin, run by node. */
function cli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => out.push(d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => err.push(d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => out.join(''), stderr: () => err.join('') };
}

async function pipeLines(child: ChildProcess, lines: string[]) {
  for (let i = 0; i < lines.length; i += 1_000) {
    if (!child.stdin!.write(`${lines.slice(i, i + 1_000).join('\n')}\n`)) await new Promise((r) => child.stdin!.once('drain', r));
  }
  child.stdin!.end();
}

describe('the pulseboard CLI against a real server', () => {
  it('publish pipes 10,000 lines; tail shows every line once and in order across a server restart', async () => {
    const store = await durableStore();
    let instance = await startInstance(store.env);
    let tail: ReturnType<typeof cli> | undefined;
    try {
      const token = await registerOver(instance.url);
      const env = { PULSEBOARD_URL: instance.url, PULSEBOARD_TOKEN: token };
      tail = cli(['tail', 'cli:*', '--json', '--after', '0'], env);
      const tailed = () => tail!.stdout().split('\n').filter(Boolean).map((line) => JSON.parse(line));

      const first = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? `plain line ${i}` : JSON.stringify({ level: i % 10 === 0 ? 50 : 30, msg: `json line ${i}`, i })));
      const publish = cli(['publish', 'cli:job'], env);
      await pipeLines(publish.child, first);
      expect(await publish.exited).toBe(0);
      expect(publish.stderr()).toContain('published 10000 of 10000 lines to cli:job');
      await expect.poll(() => tailed().length, { timeout: 60_000 }).toBe(10_000);

      // a graceful restart: the stream ends with SHUTTING_DOWN, tail reconnects and resumes
      instance.child.kill('SIGTERM');
      expect(await instance.exited).toBe(0);
      instance = await startInstance(store.env, instance.port);
      const second = Array.from({ length: 1_000 }, (_, i) => `after restart ${i}`);
      const again = cli(['publish', 'cli:job', '--level', 'warn'], env);
      await pipeLines(again.child, second);
      expect(await again.exited).toBe(0);
      await expect.poll(() => tailed().length, { timeout: 60_000 }).toBe(11_000);

      const entries = tailed();
      expect(entries.map((e) => e.message)).toEqual([...first.map((line, i) => (i % 2 ? line : `json line ${i}`)), ...second]);
      expect(new Set(entries.map((e) => e.cursor)).size).toBe(11_000);
      expect(entries[0]).toMatchObject({ level: 'ERROR', fields: { i: 0 } });
      expect(entries[2]).toMatchObject({ level: 'INFO', fields: { i: 2 } });
      expect(entries[10_000]).toMatchObject({ level: 'WARN', message: 'after restart 0' });
      expect(tail.stderr()).toMatch(/reconnecting/);

      tail.child.kill('SIGINT');
      expect(await tail.exited).toBe(0);
      expect(tail.stderr()).toContain(`--after ${entries.at(-1).cursor} resumes here`);

      const status = cli(['status', 'nightly-backup', 'running', 'copying', '--interval', '86400', '--processed', '12'], env);
      expect(await status.exited).toBe(0);
      const services = await fetch(`${instance.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ services { key state message processedCount } }' }),
      }).then((r) => r.json() as Promise<any>);
      expect(services.data.services).toContainEqual({ key: 'nightly-backup', state: 'RUNNING', message: 'copying', processedCount: 12 });
    } finally {
      tail?.child.kill('SIGKILL');
      instance.child.kill('SIGKILL');
      await instance.exited;
      await store.drop();
    }
  }, 240_000);

  it('without a token, or with a bad one, says so and exits non-zero', async () => {
    const missing = cli(['tail', 'x'], { PULSEBOARD_TOKEN: '' });
    expect(await missing.exited).toBe(2);
    expect(missing.stderr()).toContain('PULSEBOARD_TOKEN is not set');
    const unknown = cli(['frobnicate'], { PULSEBOARD_TOKEN: 'x' });
    expect(await unknown.exited).toBe(2);
  });
});

describe('CLI formatting', () => {
  it('JSON lines become entries with fields; plain lines are messages', () => {
    expect(lineToEntry('{"level":40,"time":1700000000000,"msg":"disk low","free":3}', 'INFO')).toEqual({ level: 'WARN', message: 'disk low', fields: { free: 3 }, at: 1700000000000 });
    expect(lineToEntry('{"level":"error","message":"boom"}', 'INFO')).toEqual({ level: 'ERROR', message: 'boom' });
    expect(lineToEntry('{not json', 'DEBUG')).toEqual({ level: 'DEBUG', message: '{not json' });
    expect(lineToEntry('{"level":"loud","msg":"x"}', 'INFO')).toEqual({ level: 'INFO', message: 'x', fields: { level: 'loud' } });
  });

  it('colours the level when asked', () => {
    const entry = { cursor: '1', channel: 'etl:a', level: 'ERROR' as const, message: 'failed', fields: { table: 'x' }, timestamp: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:00.000Z' };
    expect(formatEntry(entry, true)).toBe('2026-01-01T00:00:00.000Z \x1b[31mERROR\x1b[0m etl:a failed\x1b[2m {"table":"x"}\x1b[0m');
    expect(formatEntry(entry, false)).toBe('2026-01-01T00:00:00.000Z ERROR etl:a failed {"table":"x"}');
  });
});
