import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/app.js';
import { storedEntries } from './support/client-kit.js';
import { addServiceToken } from './support/people.js';
import { createTestBus, createTestStore } from './support/services.js';

const python = spawnSync('python3', ['--version']).status === 0;
if (!python) console.log('[pulseboard] python3 not found: skipping the docs/python.md examples (test/client-python.test.ts)');

/** docs/python.md's code, as a reader copies it, and a driver that uses it. */
function programFromDocs(): string {
  const doc = readFileSync(new URL('../docs/python.md', import.meta.url), 'utf8');
  const code = [...doc.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n\n');
  return `${code}

import sys
if sys.argv[1] == "publish":
    start, count = int(sys.argv[2]), int(sys.argv[3])
    with Publisher(batch_size=100) as pb:
        for i in range(start, start + count):
            pb.log("py:job", "warn" if i % 10 == 0 else "info", f"line {i}", i=i)
    report_status("py-job", "RUNNING", 60, processedCount=start + count)
    print("published", flush=True)
elif sys.argv[1] == "tail":
    wanted, seen = int(sys.argv[2]), 0
    for kind, value in tail("py:*", after="0"):
        print(json.dumps([kind, value]), flush=True)
        seen += kind == "entry"
        if seen >= wanted:
            break
`;
}

describe.skipIf(!python)('docs/python.md against a real server', () => {
  it('the publisher stores every line once (429s waited out); the reader sees each once, in order, across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-python-'));
    const program = join(dir, 'pulseboard_example.py');
    writeFileSync(program, programFromDocs());
    const store = await createTestStore();
    const bus = createTestBus();
    // a tight budget: the publisher meets TOO_MANY_REQUESTS and has to wait
    const config = { publishTokenEntriesPerSecond: 300, publishBurstSeconds: 1, statusReportsPerSecond: 3 };
    let t = await startApp({ store, bus, config });
    const port = Number(new URL(t.url).port);
    try {
      const admin = await t.signUp('python');
      const service = await addServiceToken(t, admin.token, ['py:*', 'py-*']);
      const run = (args: string[], token: string) => {
        const child = spawn('python3', [program, ...args], { env: { ...process.env, PULSEBOARD_URL: t.url, PULSEBOARD_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
        const out: string[] = [];
        const err: string[] = [];
        child.stdout.setEncoding('utf8').on('data', (d: string) => out.push(d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => err.push(d));
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        return { child, exited, out: () => out.join(''), err: () => err.join('') };
      };
      const reader = run(['tail', '2500'], admin.token);
      const read = () => reader.out().split('\n').filter(Boolean).map((line) => JSON.parse(line));

      const first = run(['publish', '0', '2000'], service);
      expect(await first.exited, first.err()).toBe(0);
      await expect.poll(() => read().length, { timeout: 60_000 }).toBe(2000);

      // a restart (drain: SHUTTING_DOWN), then more lines: the reader resumes after its last cursor
      await t.close();
      t = await startApp({ store, bus, config, port, ownDeps: false });
      const second = run(['publish', '2000', '500'], service);
      expect(await second.exited, second.err()).toBe(0);
      expect(await reader.exited, reader.err()).toBe(0);

      const expected = Array.from({ length: 2500 }, (_, i) => `line ${i}`);
      expect(read().map(([kind, entry]) => `${kind} ${entry.message}`)).toEqual(expected.map((m) => `entry ${m}`));
      expect((await storedEntries(t, admin.tenantId, 'py:*')).map((e) => e.message)).toEqual(expected);
      const entry = read()[10][1];
      expect(entry).toMatchObject({ level: 'WARN', channel: 'py:job', fields: { i: 10 } });
      const services = await t.gql('{ services { key state processedCount } }', {}, admin.token);
      expect(services.data.services).toContainEqual({ key: 'py-job', state: 'RUNNING', processedCount: 2500 });
    } finally {
      await t.close();
      await bus.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
