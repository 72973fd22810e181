import { execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pinoLineToEntry } from '../client/src/pino.js';
import { startApp } from './support/app.js';
import { storedEntries } from './support/client-kit.js';
import { addServiceToken } from './support/people.js';

const root = new URL('..', import.meta.url).pathname;

describe('the pino transport (pulseboard-client/pino)', () => {
  it('a child process logging through pino: every line stored with its level, message, time and fields, flushed at exit', async () => {
    // the package as users get it: compiled, resolved by name, loaded by plain node in pino's worker
    await promisify(execFile)(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}client`], { cwd: root });
    const dir = `${root}node_modules/.cache/pulseboard`;
    const script = `${dir}/pino-child-${process.pid}.mjs`;
    const t = await startApp();
    try {
      const admin = await t.signUp('pino');
      const token = await addServiceToken(t, admin.token, ['svc:*']);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        script,
        `import pino from 'pino';
        const logger = pino({ level: 'trace', transport: { target: 'pulseboard-client/pino', options: { url: process.env.URL, token: process.env.TOKEN, channel: 'svc:billing', flushIntervalMs: 50 } } });
        for (let i = 0; i < 1000; i++) logger.info({ invoice: i, customer: { id: 'c' + (i % 7) } }, 'invoice %d sent', i);
        logger.child({ job: 'nightly' }).warn('retrying');
        logger.error(new Error('card declined'));
        logger.trace('deep detail');
        logger.fatal('giving up');
        // no flush, no close: the process just ends`,
      );
      const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, URL: t.url, TOKEN: token }, stdio: ['ignore', 'inherit', 'inherit'] });
      expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);

      const stored = await storedEntries(t, admin.tenantId, 'svc:billing');
      expect(stored).toHaveLength(1004);
      expect(stored.slice(0, 1000).map((e) => e.message)).toEqual(Array.from({ length: 1000 }, (_, i) => `invoice ${i} sent`));
      expect(stored.slice(1000).map((e) => e.message)).toEqual(['retrying', 'card declined', 'deep detail', 'giving up']);
      const history = await t.gql('{ logHistory(channel: "svc:billing", last: 4) { edges { node { level message fields timestamp } } } }', {}, admin.token);
      const [warn, error, trace, fatal] = history.data.logHistory.edges.map((e: any) => e.node);
      expect(warn).toMatchObject({ level: 'WARN', fields: { job: 'nightly' } });
      expect(error).toMatchObject({ level: 'ERROR', fields: { err: { type: 'Error', message: 'card declined' } } });
      expect(error.fields.err.stack).toContain('card declined');
      expect([trace.level, fatal.level]).toEqual(['TRACE', 'FATAL']);
      expect(Date.now() - Date.parse(fatal.timestamp)).toBeLessThan(120_000);
      const first = await t.gql('{ logHistory(channel: "svc:billing", first: 1, after: "0") { edges { node { level fields } } } }', {}, admin.token);
      expect(first.data.logHistory.edges[0].node).toEqual({ level: 'INFO', fields: { invoice: 0, customer: { id: 'c0' } } });
    } finally {
      rmSync(script, { force: true });
      await t.close();
    }
  }, 120_000);

  it('maps pino lines: numeric and labelled levels, time, the message key, errors', () => {
    expect(pinoLineToEntry({ level: 30, time: 1700000000000, pid: 1, hostname: 'h', msg: 'hello', a: 1 })).toEqual({ level: 'INFO', message: 'hello', fields: { a: 1 }, at: 1700000000000 });
    expect(pinoLineToEntry({ level: 'warn', message: 'x' }, 'message')).toEqual({ level: 'WARN', message: 'x', fields: undefined, at: undefined });
    expect(pinoLineToEntry({ level: 50, err: { type: 'Error', message: 'boom' } })).toMatchObject({ level: 'ERROR', message: 'boom' });
    expect(pinoLineToEntry({ level: 35, msg: 'custom level between info and warn' }).level).toBe('INFO');
  });
});
