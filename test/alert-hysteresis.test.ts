import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';

// checks are fed by the test: the scheduler's tick never comes during a test
const config = { monitorAllowPrivate: true, monitorMinIntervalSeconds: 1, monitorTickMs: 3_600_000 };
let t: TestApp;
beforeAll(async () => {
  t = await startApp({ config });
});
afterAll(() => t.close());

/** A monitor with one SLOW rule, fed response times through the real check recorder and rule evaluation. */
async function slowMonitor(rule: Record<string, unknown>) {
  const { token, tenantId } = await t.signUp('hysteresis');
  const created = await t.gql('mutation { createMonitor(input: {name: "api", url: "http://127.0.0.1:9/", intervalSeconds: 3600}) { id } }', {}, token);
  const id = created.data.createMonitor.id as string;
  await t.store.db.execute(sql`update monitors set next_check_at = now() + interval '1 hour' where id = ${id}`);
  const made = await t.gql(
    'mutation ($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }',
    { input: { name: 'slow', kind: 'SLOW', monitorId: id, thresholdMs: 100, consecutiveChecks: 2, ...rule } },
    token,
  );
  if (!made.data) throw new Error(JSON.stringify(made.errors));
  return {
    id,
    async feed(times: number[]) {
      for (const ms of times) {
        const monitor = await t.app.monitors.getOwned(tenantId, id);
        await t.app.monitors.recordCheck(
          monitor,
          { ok: true, httpStatus: 200, responseTimeMs: ms, durationMs: ms, error: null, certExpiresAt: null, certValid: null },
          { reschedule: false },
        );
      }
    },
    async incidents(): Promise<{ status: string }[]> {
      const list = await t.gql(`{ incidents(monitorId: "${id}") { edges { node { status } } } }`, {}, token);
      return list.data.incidents.edges.map((e: any) => e.node);
    },
  };
}

// a target whose latency hovers around the 100 ms threshold
const hovering = [150, 150, 90, 150, 150, 90, 150, 150, 90];

describe('SLOW rules near the threshold', () => {
  it('without hysteresis (recoveryChecks 1) every fast check resolves and the next slow pair reopens: three incidents', async () => {
    const m = await slowMonitor({ recoveryChecks: 1 });
    await m.feed(hovering);
    expect((await m.incidents()).map((i) => i.status)).toEqual(['RESOLVED', 'RESOLVED', 'RESOLVED']);
  });

  it('by default an incident resolves only after as many good checks in a row as opened it: one incident', async () => {
    const m = await slowMonitor({});
    await m.feed(hovering);
    expect((await m.incidents()).map((i) => i.status)).toEqual(['OPEN']);
    await m.feed([50, 50]);
    expect((await m.incidents()).map((i) => i.status)).toEqual(['RESOLVED']);
  });

  it('recoveryThresholdMs: checks just under the threshold are not yet good, so they neither resolve nor reopen', async () => {
    const plain = await slowMonitor({});
    const banded = await slowMonitor({ recoveryThresholdMs: 80 });
    const wobbling = [150, 150, 95, 95, 95, 150, 150, 70, 70];
    await plain.feed(wobbling);
    await banded.feed(wobbling);
    expect((await plain.incidents()).map((i) => i.status)).toEqual(['RESOLVED', 'RESOLVED']);
    expect((await banded.incidents()).map((i) => i.status)).toEqual(['RESOLVED']);
  });

  it('the hold-down clock runs only while recovered, and starts over on a check that is not good', async () => {
    const m = await slowMonitor({ holdDownSeconds: 60 });
    const clearingSince = async () =>
      ((await t.store.db.execute(sql`select clearing_since from incidents where monitor_id = ${m.id}`)) as any).rows[0].clearing_since;
    await m.feed([150, 150, 50, 50]);
    expect(await clearingSince()).not.toBeNull();
    await m.feed([150]);
    expect(await clearingSince()).toBeNull();
    await m.feed([50, 50]);
    expect((await m.incidents()).map((i) => i.status)).toEqual(['OPEN']);
    // the hold-down has passed (moved back rather than waited for)
    await t.store.db.execute(sql`update incidents set clearing_since = now() - interval '61 seconds' where monitor_id = ${m.id}`);
    await m.feed([50]);
    expect((await m.incidents()).map((i) => i.status)).toEqual(['RESOLVED']);
  });
});
