/**
 * The store's concurrency points, on real PostgreSQL with two instances (two pools on one
 * database): retention run by one instance at a time and safe when forced on both, STALE marked
 * once per silence, rule evaluation racing acknowledgement without deadlock. Retention's rules
 * themselves on PGlite and PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus } from '../server/bus/index.js';
import { topics } from '../server/bus/topics.js';
import { createDb, type Database, type Store } from '../server/db/client.js';
import { createIncidents } from '../server/domain/incidents/incidents.js';
import { createLogs } from '../server/domain/logs/logs.js';
import { createMonitors } from '../server/domain/monitors/monitors.js';
import { createRetention } from '../server/domain/retention/retention.js';
import { createServices } from '../server/domain/services/services.js';
import { createPostgresDatabase, createTestStore, postgresUrl, storeKinds } from './support/services.js';

type Rows<T> = { rows: T[] };
const query = async <T = Record<string, any>>(db: Database, q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as Rows<T>).rows;

async function newTenant(db: Database): Promise<string> {
  const [row] = await query<{ id: string }>(db, sql`insert into tenants (name) values ('store') returning id`);
  return row!.id;
}

/**
 * A tenant's log: `expired` entries received 9 days ago (past the default 7), then `fresh` ones
 * now, over `channels` channels; heads and per-channel counts as publishing leaves them.
 */
async function seedLogs(db: Database, tenantId: string, { expired, fresh, channels }: { expired: number; fresh: number; channels: number }) {
  await db.execute(sql`
    insert into log_entries (tenant_id, seq, channel, level, message, timestamp, received_at)
    select ${tenantId}::uuid, i, 'ch-' || (i % ${channels}::int), 2, 'entry ' || i,
      case when i <= ${expired}::int then now() - interval '9 days' else now() end,
      case when i <= ${expired}::int then now() - interval '9 days' else now() end
    from generate_series(1, ${expired + fresh}::int) i`);
  await db.execute(sql`
    insert into log_channels (tenant_id, channel, last_seq, last_entry_at, entry_count)
    select tenant_id, channel, max(seq), max(received_at), count(*) from log_entries where tenant_id = ${tenantId} group by 1, 2`);
  await db.execute(sql`insert into log_heads (tenant_id, last_seq) values (${tenantId}, ${expired + fresh})`);
}

async function channelCounts(db: Database, tenantId: string) {
  return query<{ channel: string; entry_count: number; actual: number; pruned_through: number }>(
    db,
    sql`select c.channel, c.entry_count::int, c.pruned_through::int,
          (select count(*) from log_entries e where e.tenant_id = c.tenant_id and e.channel = c.channel)::int as actual
        from log_channels c where c.tenant_id = ${tenantId} order by c.channel`,
  );
}

describe.each(storeKinds)('retention rules (%s)', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await createTestStore(kind);
  }, 60_000);
  afterAll(() => store.close());

  it('deletes by age and by count per channel, records how far, keeps what is young, and every growing table is covered', async () => {
    const db = store.db;
    const tenantId = await newTenant(db);
    await seedLogs(db, tenantId, { expired: 1_200, fresh: 300, channels: 3 });
    // a fourth channel over its count: 150 entries, the tenant keeps 120 per channel
    await db.execute(sql`update tenants set log_retention_count = 120 where id = ${tenantId}`);
    await db.execute(sql`
      insert into log_entries (tenant_id, seq, channel, level, message, timestamp, received_at)
      select ${tenantId}::uuid, 2000 + i, 'busy', 2, 'busy ' || i, now(), now() from generate_series(1, 150) i`);
    await db.execute(sql`insert into log_channels (tenant_id, channel, last_seq, last_entry_at, entry_count) values (${tenantId}, 'busy', 2150, now(), 150)`);
    await db.execute(sql`update log_heads set last_seq = 2150 where tenant_id = ${tenantId}`);

    const [monitor] = await query<{ id: string }>(db, sql`
      insert into monitors (tenant_id, name, kind, target, interval_seconds, timeout_ms, expected_status, next_check_at, paused)
      values (${tenantId}, 'm', 'HTTP', 'https://example.invalid/', 60, 1000, '200-399', now(), true) returning id`);
    await db.execute(sql`
      insert into monitor_checks (tenant_id, monitor_id, ok, checked_at)
      select ${tenantId}::uuid, ${monitor!.id}::uuid, true, now() - make_interval(hours => d * 24 - 12) from generate_series(1, 40) d`);
    await db.execute(sql`
      insert into monitor_check_hours (monitor_id, hour, tenant_id, checks, ok_checks, timed_checks, response_ms_sum, histogram)
      select ${monitor!.id}::uuid, date_bin(interval '1 hour', now() - make_interval(days => d), timestamptz '1970-01-01'), ${tenantId}::uuid, 1, 1, 0, 0, '{}'
      from unnest(array[1, 89, 95, 399, 401, 500]) d`);
    await db.execute(sql`
      insert into service_samples (tenant_id, key, minute) values (${tenantId}, 'gone', now() - interval '2 days'), (${tenantId}, 'live', now())`);
    await db.execute(sql`
      insert into notification_deliveries (tenant_id, url, payload, status, created_at) values
        (${tenantId}, 'https://a.invalid/', '{}', 'DELIVERED', now() - interval '40 days'),
        (${tenantId}, 'https://a.invalid/', '{}', 'PENDING', now() - interval '40 days'),
        (${tenantId}, 'https://a.invalid/', '{}', 'FAILED', now() - interval '1 day')`);
    await db.execute(sql`
      insert into publish_keys (tenant_id, caller, key, first_seq, count, created_at) values
        (${tenantId}, 'service:x', 'old', 1, 1, now() - interval '25 hours'), (${tenantId}, 'service:x', 'young', 2, 1, now() - interval '23 hours')`);

    const retention = createRetention({ db, policy: { batchSize: 250 } });
    const result = await retention.runPass({ force: true });
    expect(result).toEqual({
      ran: true,
      deleted: { logEntriesByAge: 1_200, logEntriesByCount: 30, monitorChecks: 10, monitorCheckHours: 2, serviceSamples: 1, webhookDeliveries: 1, publishKeys: 1 },
    });
    // per channel: the count matches the table, and pruned_through is the newest entry deleted
    const channels = await channelCounts(db, tenantId);
    for (const c of channels) expect(c.entry_count).toBe(c.actual);
    expect(channels.find((c) => c.channel === 'busy')).toMatchObject({ actual: 120, pruned_through: 2030 });
    expect(channels.find((c) => c.channel === 'ch-0')!.pruned_through).toBe(1200);
    // a cursor retention passed is refused with where to resume; one it did not pass is fine
    const logs = createLogs({ db, bus: createBus() });
    await expect(logs.checkResume(tenantId, 'ch-0', 5, 2150)).rejects.toMatchObject({ code: 'CURSOR_EXPIRED' });
    await expect(logs.checkResume(tenantId, 'ch-0', 1200, 2150)).resolves.toBeUndefined();
    // the 90-day status bars keep their hours
    const hours = await query<{ n: number }>(db, sql`select count(*)::int as n from monitor_check_hours where monitor_id = ${monitor!.id}`);
    expect(hours[0]!.n).toBe(4);

    // nothing left to do; a pass not forced takes the lease, and the next waits for it
    expect((await retention.runPass({ force: true })).deleted).toEqual({
      logEntriesByAge: 0, logEntriesByCount: 0, monitorChecks: 0, monitorCheckHours: 0, serviceSamples: 0, webhookDeliveries: 0, publishKeys: 0,
    });
    expect((await retention.runPass()).ran).toBe(true);
    expect((await retention.runPass()).ran).toBe(false);
  }, 60_000);

  it('publishing counts entries per channel, so the count rule never counts the table', async () => {
    const tenantId = await newTenant(store.db);
    const logs = createLogs({ db: store.db, bus: createBus() });
    await logs.publish(tenantId, 'a', [{ level: 'INFO', message: '1' }, { level: 'INFO', message: '2' }]);
    await logs.publish(tenantId, 'a', [{ level: 'INFO', message: '3' }]);
    await logs.publish(tenantId, 'b', [{ level: 'INFO', message: '4' }]);
    expect((await channelCounts(store.db, tenantId)).map((c) => [c.channel, c.entry_count, c.actual])).toEqual([['a', 3, 3], ['b', 1, 1]]);
  });
});

describe.skipIf(!postgresUrl)('two instances on one PostgreSQL', () => {
  let database: { url: string; drop: () => Promise<void> };
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    a = await createDb({ databaseUrl: database.url });
    b = await createDb({ databaseUrl: database.url, migrate: false });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  it('retention: one instance takes each pass; forced on both at once while publishing, the counts stay exact', async () => {
    const tenantId = await newTenant(a.db);
    await seedLogs(a.db, tenantId, { expired: 3_000, fresh: 500, channels: 5 });
    const ra = createRetention({ db: a.db, policy: { batchSize: 200, leaseMs: 60_000 } });
    const rb = createRetention({ db: b.db, policy: { batchSize: 200, leaseMs: 60_000 } });
    const claimed = await Promise.all([ra.runPass(), rb.runPass(), ra.runPass(), rb.runPass()]);
    expect(claimed.filter((r) => r.ran)).toHaveLength(1);
    expect(claimed.find((r) => r.ran)!.deleted.logEntriesByAge).toBe(3_000);

    // forced passes on both instances at once, with both publishing: no deadlock, no lost count
    const busy = await newTenant(a.db);
    await seedLogs(a.db, busy, { expired: 2_000, fresh: 500, channels: 5 });
    const la = createLogs({ db: a.db, bus: createBus() });
    const lb = createLogs({ db: b.db, bus: createBus() });
    const publishing = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? la : lb).publish(busy, `ch-${i % 5}`, Array.from({ length: 10 }, (_, k) => ({ level: 'INFO' as const, message: `live ${i}.${k}` }))),
    );
    const passes = await Promise.all([ra.runPass({ force: true }), rb.runPass({ force: true }), ...publishing]);
    const deleted = passes.slice(0, 2).reduce((n, r: any) => n + r.deleted.logEntriesByAge, 0);
    expect(deleted).toBe(2_000);
    for (const c of await channelCounts(a.db, busy)) expect(c.entry_count).toBe(c.actual);
    const [left] = await query<{ n: number }>(a.db, sql`select count(*)::int as n from log_entries where tenant_id = ${busy}`);
    expect(left!.n).toBe(500 + 200);
  }, 60_000);

  it('STALE: two instances marking at once mark each silent service once, with one history row and one event', async () => {
    const tenantId = await newTenant(a.db);
    const keys = Array.from({ length: 40 }, (_, i) => `svc-${i}`);
    await a.db.execute(sql`
      insert into services (tenant_id, key, name, state, interval_seconds, version, last_report_at, stale_at)
      select ${tenantId}::uuid, k, k, 'RUNNING', 10, nextval('service_version_seq'), now() - interval '1 minute', now() - interval '1 second'
      from unnest(${`{${keys.join(',')}}`}::text[]) k`);
    const [busA, busB] = [createBus(), createBus()];
    const seen: string[] = [];
    await busA.subscribe(tenantId, topics.serviceChanged(), (e) => seen.push(e.key));
    await busB.subscribe(tenantId, topics.serviceChanged(), (e) => seen.push(e.key));
    const sa = createServices({ db: a.db, bus: busA });
    const sb = createServices({ db: b.db, bus: busB });
    const marked = await Promise.all([sa.markStale(), sb.markStale(), sa.markStale(), sb.markStale()]);
    expect(marked.reduce((x, y) => x + y, 0)).toBe(40);
    expect(seen.sort()).toEqual([...keys].sort());
    const history = await query<{ key: string; n: number }>(a.db, sql`
      select key, count(*)::int as n from service_history where tenant_id = ${tenantId} and state = 'STALE' group by key`);
    expect(history).toHaveLength(40);
    expect(history.every((h) => h.n === 1)).toBe(true);
    const stale = await query<{ n: number }>(a.db, sql`select count(*)::int as n from services where tenant_id = ${tenantId} and stale`);
    expect(stale[0]!.n).toBe(40);
    await Promise.all([busA.close(), busB.close()]);
  }, 60_000);

  it('rule evaluation and acknowledgement, run concurrently from two instances, never deadlock', async () => {
    const tenantId = await newTenant(a.db);
    const [user] = await query<{ id: string }>(a.db, sql`
      insert into users (tenant_id, email, name, password_hash, role) values (${tenantId}, ${`ack-${tenantId}@example.com`}, 'Ack', 'x', 'ADMIN') returning id`);
    const [busA, busB] = [createBus(), createBus()];
    const incidentsA = createIncidents({ db: a.db, bus: busA });
    const incidentsB = createIncidents({ db: b.db, bus: busB });
    const monitorsA = createMonitors({ db: a.db, bus: busA, incidents: incidentsA, policy: { allowPrivate: true } });
    const [monitor] = await query<{ id: string }>(a.db, sql`
      insert into monitors (tenant_id, name, kind, target, interval_seconds, timeout_ms, expected_status, next_check_at, paused)
      values (${tenantId}, 'm', 'HTTP', 'https://example.invalid/', 60, 1000, '200-399', now() + interval '1 day', true) returning id`);
    // evaluation reaches the rules in the order they were made: the first opens an incident
    // (taking the tenant's incident cursor) before the second's incident, which a person is
    // acknowledging at that moment, comes up
    const [opener] = await query<{ id: string }>(a.db, sql`
      insert into alert_rules (tenant_id, name, monitor_id, kind, webhook_urls) values (${tenantId}, 'opens', ${monitor!.id}, 'DOWN', '{}') returning id`);
    const [acked] = await query<{ id: string }>(a.db, sql`
      insert into alert_rules (tenant_id, name, monitor_id, kind, webhook_urls) values (${tenantId}, 'acked', ${monitor!.id}, 'DOWN', '{}') returning id`);
    const down = { ok: false, httpStatus: null, responseTimeMs: null, durationMs: 5, error: 'connection refused', certExpiresAt: null, certValid: null };
    const actor = { id: user!.id, name: 'Ack' };
    for (let round = 0; round < 25; round++) {
      // a clean slate: nothing active for the opener, one OPEN incident of the acknowledged rule
      await a.db.execute(sql`update incidents set status = 'RESOLVED', resolved_at = now() where monitor_id = ${monitor!.id} and status <> 'RESOLVED'`);
      const [incident] = await query<{ id: string }>(a.db, sql`
        insert into incidents (tenant_id, number, rule_id, monitor_id, kind, title, status)
        values (${tenantId}, ${1_000 + round}, ${acked!.id}, ${monitor!.id}, 'DOWN', 'down', 'OPEN') returning id`);
      const current = (await monitorsA.get(tenantId, monitor!.id))!;
      const [check, ack] = await Promise.allSettled([monitorsA.recordCheck(current, down, { reschedule: false }), incidentsB.acknowledge(tenantId, incident!.id, actor)]);
      expect(check.status === 'rejected' ? String(check.reason) : 'ok').toBe('ok');
      expect(ack.status === 'rejected' ? String(ack.reason) : 'ok').toBe('ok');
      const [opened] = await query<{ n: number }>(a.db, sql`
        select count(*)::int as n from incidents where rule_id = ${opener!.id} and status = 'OPEN'`);
      expect(opened!.n).toBe(1);
    }
    // every transition got its own cursor, in one unbroken run
    const cursors = await query<{ seq: number }>(a.db, sql`select seq::int from incident_events where tenant_id = ${tenantId} order by seq`);
    expect(cursors.map((c) => c.seq)).toEqual(cursors.map((_, i) => i + 1));
    await Promise.all([busA.close(), busB.close()]);
  }, 120_000);
});

