/**
 * Seeds one tenant's year of data by bulk SQL (generate_series), not the API: at 10x the API
 * would take hours. Every row is what the app itself writes (same tables, same invariants: cursor
 * heads, channel heads, hourly rollups), so the screens read it as they would read live data.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client.js';

/**
 * Rows at scale 1. A year's growth is depth, not breadth: the screens that list everything
 * (services grid, monitor list) keep their 200 services and 20 monitors, whose history grows
 * (service history to its bound of 100 per service, samples, checks at a 10x shorter interval);
 * the lists that page (logs, incidents, tickets) grow 10x. Log channels stay 500, so each
 * channel is 10x deeper.
 */
export const BASE = {
  services: 200,
  historyPerService: 10,
  samplesPerService: 60,
  monitors: 20,
  checkIntervalSeconds: 600,
  checkDays: 30,
  logEntries: 100_000,
  logChannels: 500,
  logDays: 7,
  tickets: 1_000,
  messagesPerTicket: 10,
  incidents: 200,
  agents: 10,
  // fixed at every scale: what one retention pass finds expired (a minute's worth, not a year's)
  expiredLogEntries: 2_000,
  expiredChecks: 2_000,
} as const;

export type Sizes = { -readonly [K in keyof typeof BASE]: number };

const SCALED = ['historyPerService', 'samplesPerService', 'logEntries', 'tickets', 'incidents'] as const;

export function sizesAt(scale: number): Sizes {
  const sizes: Sizes = { ...BASE };
  for (const key of SCALED) sizes[key] = BASE[key] * scale;
  sizes.checkIntervalSeconds = BASE.checkIntervalSeconds / scale;
  return sizes;
}

const rows = async <T>(db: Database, q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: T[] }).rows;

/** Channel i: even ones `svc-…` (what `svc*` merges), odd ones `job-…`. */
export const channelName = (i: number) => `${i % 2 === 0 ? 'svc' : 'job'}-${String(i).padStart(4, '0')}`;

export interface Seeded {
  monitorIds: string[];
  ticketIds: string[];
  incidentIds: string[];
}

export async function seed(db: Database, tenantId: string, adminId: string, s: Sizes, step: (what: string) => void): Promise<Seeded> {
  const t = sql`${tenantId}::uuid`;

  step('agents');
  await db.execute(sql`
    insert into users (tenant_id, email, name, password_hash, role)
    select ${t}, 'agent' || i || '-' || ${tenantId} || '@bench.invalid', 'Agent ' || i, 'x', 'MEMBER' from generate_series(1, ${s.agents}::int) i`);

  step('services');
  await db.execute(sql`
    insert into services (tenant_id, key, name, state, stale, queue_size, processed_count, failed_count, interval_seconds, message, version, last_report_at, stale_at)
    select ${t}, 'svc-' || lpad(i::text, 5, '0'), 'Service ' || i, (array['RUNNING','RUNNING','IDLE','DEGRADED','FAILED'])[1 + i % 5], i % 17 = 0,
      i % 100, i * 1000, i, 30, 'steady', nextval('service_version_seq'), now() - interval '10 seconds', now() + interval '80 seconds'
    from generate_series(1, ${s.services}::int) i`);
  await db.execute(sql`
    insert into service_history (tenant_id, key, state, previous_state, message, at)
    select ${t}, 'svc-' || lpad(i::text, 5, '0'), (array['RUNNING','DEGRADED','FAILED'])[1 + (i + j) % 3], (array['RUNNING','DEGRADED','FAILED'])[1 + (i + j + 1) % 3], 'changed',
      now() - make_interval(hours => ${s.historyPerService} - j)
    from generate_series(1, ${s.services}::int) i, generate_series(1, ${s.historyPerService}::int) j`);
  await db.execute(sql`
    insert into service_samples (tenant_id, key, minute, queue_size, max_queue_size, processed_count, failed_count)
    select ${t}, 'svc-' || lpad(i::text, 5, '0'), date_bin(interval '1 minute', now(), timestamptz '1970-01-01 00:00:00+00') - make_interval(mins => j),
      (i + j) % 50, (i + j) % 60, (${s.samplesPerService} - j) * 100, (${s.samplesPerService} - j)
    from generate_series(1, ${s.services}::int) i, generate_series(0, ${s.samplesPerService - 1}::int) j`);

  step('monitors + checks');
  const monitorIds = (
    await rows<{ id: string }>(db, sql`
      insert into monitors (tenant_id, name, kind, target, interval_seconds, timeout_ms, expected_status, next_check_at, paused, status, last_checked_at)
      select ${t}, 'Monitor ' || lpad(i::text, 4, '0'), 'HTTP', 'https://m' || i || '.bench.invalid/', ${s.checkIntervalSeconds}, 5000, '200-399',
        now() + interval '1 day', true, 'UP', now()
      from generate_series(1, ${s.monitors}::int) i returning id`)
  ).map((r) => r.id);
  const perMonitor = Math.floor((s.checkDays * 86_400) / s.checkIntervalSeconds);
  // what retention finds expired at every scale: old checks of the first monitor
  await db.execute(sql`
    insert into monitor_checks (tenant_id, monitor_id, ok, http_status, response_time_ms, duration_ms, checked_at)
    select ${t}, ${monitorIds[0]}::uuid, true, 200, 50, 50, now() - interval '400 days' - make_interval(secs => i)
    from generate_series(1, ${s.expiredChecks}::int) i`);
  await db.execute(sql`
    insert into monitor_checks (tenant_id, monitor_id, ok, http_status, response_time_ms, duration_ms, error, checked_at)
    select ${t}, m.id, i % 50 <> 0, case when i % 50 <> 0 then 200 end, case when i % 50 <> 0 then 20 + (i * 7919) % 300 end,
      20 + (i * 7919) % 300, case when i % 50 = 0 then 'connection refused' end, now() - make_interval(secs => i * ${s.checkIntervalSeconds} + 1)
    -- in time order, as checks are recorded: ids follow time, monitors interleave
    from monitors m, generate_series(0, ${perMonitor - 1}::int) i where m.tenant_id = ${t} order by i desc, m.id`);
  // the hourly rollup as recording writes it (histogram: every answer in one bin; timing reads, not estimates, matter here)
  await db.execute(sql`
    insert into monitor_check_hours (monitor_id, hour, tenant_id, checks, ok_checks, timed_checks, response_ms_sum, min_ms, max_ms, histogram)
    select monitor_id, date_bin(interval '1 hour', checked_at, timestamptz '1970-01-01 00:00:00+00'), ${t}, count(*)::int, (count(*) filter (where ok))::int,
      count(response_time_ms)::int, coalesce(sum(response_time_ms), 0), min(response_time_ms), max(response_time_ms),
      array_fill(0, array[33]) || array[count(response_time_ms)::int] || array_fill(0, array[38])
    from monitor_checks where tenant_id = ${t} group by 1, 2`);

  step('log entries');
  const n = s.logEntries;
  const span = s.logDays * 86_400;
  await db.execute(sql`
    insert into log_entries (tenant_id, seq, channel, level, message, fields, timestamp, received_at)
    select ${t}, i, ${sql.raw(channelSql('i'))},
      -- spread over every channel (not by parity, which would put them all on job-…): 1 % ERROR,
      -- 0.2 % FATAL, 5 % WARN, a third DEBUG, the rest INFO; 1 % of messages mention a timeout
      case when (i::bigint * 7919) % 1000 < 10 then 4 when (i::bigint * 7919) % 1000 < 12 then 5 when (i::bigint * 7919) % 1000 < 62 then 3 when i % 3 = 0 then 1 else 2 end,
      case when (i::bigint * 104729) % 97 = 5 then 'request timeout after 30000 ms on upstream ' || (i % 13) else 'processed batch ' || i || ' in ' || (i % 250) || ' ms' end,
      case when i % 10 = 0 then jsonb_build_object('batch', i) end,
      now() - make_interval(secs => (${n} - i)::float8 * ${span}::float8 / ${n}::float8),
      now() - make_interval(secs => (${n} - i)::float8 * ${span}::float8 / ${n}::float8)
    from generate_series(${s.expiredLogEntries + 1}::int, ${s.expiredLogEntries + n}::int) i`);
  // expired: older than the tenant's 7 days, numbered before everything else
  await db.execute(sql`
    insert into log_entries (tenant_id, seq, channel, level, message, timestamp, received_at)
    select ${t}, i, ${sql.raw(channelSql('i'))}, 2, 'old ' || i, now() - interval '9 days', now() - interval '9 days'
    from generate_series(1, ${s.expiredLogEntries}::int) i`);
  await db.execute(sql`
    insert into log_channels (tenant_id, channel, last_seq, last_entry_at, entry_count)
    select tenant_id, channel, max(seq), max(received_at), count(*) from log_entries where tenant_id = ${t} group by 1, 2`);
  await db.execute(sql`insert into log_heads (tenant_id, last_seq) values (${t}, ${s.expiredLogEntries + n}) on conflict (tenant_id) do update set last_seq = excluded.last_seq`);

  step('incidents');
  await db.execute(sql`
    insert into incidents (tenant_id, number, monitor_id, kind, title, status, opened_at, resolved_at)
    select ${t}, i, (select id from monitors where tenant_id = ${t} order by id offset (i % ${s.monitors}) limit 1), 'DOWN', 'Monitor down #' || i,
      case when i > ${s.incidents} - 5 then 'OPEN' else 'RESOLVED' end, now() - make_interval(hours => ${s.incidents} - i + 1),
      case when i > ${s.incidents} - 5 then null else now() - make_interval(hours => ${s.incidents} - i) end
    from generate_series(1, ${s.incidents}::int) i`);
  await db.execute(sql`
    insert into incident_events (tenant_id, seq, incident_id, kind, at)
    select ${t}, row_number() over (order by i.number, k.kind), i.id, k.kind, i.opened_at
    from incidents i cross join (values ('OPENED'), ('RESOLVED')) k(kind)
    where i.tenant_id = ${t} and (k.kind = 'OPENED' or i.resolved_at is not null)`);
  await db.execute(sql`
    insert into stream_heads (tenant_id, stream, last_seq)
    values (${t}, 'incident-numbers', ${s.incidents}), (${t}, 'incidents', (select count(*) from incident_events where tenant_id = ${t}))
    on conflict (tenant_id, stream) do update set last_seq = excluded.last_seq`);

  step('tickets');
  await db.execute(sql`
    insert into tickets (tenant_id, number, subject, status, priority, customer_name, customer_email, assignee_id, created_at, updated_at)
    select ${t}, i, case when i % 50 = 0 then 'Refund for invoice ' || i else 'Question about order ' || i end,
      -- a year piles up closed tickets; the open work (the newest 250) stays about the same
      case when i > ${s.tickets}::int - 250 then (array['OPEN','PENDING'])[1 + i % 2] else (array['RESOLVED','CLOSED'])[1 + i % 2] end,
      (array['LOW','NORMAL','HIGH','URGENT'])[1 + i % 4],
      'Customer ' || i, 'customer' || i || '@example.com',
      case when i % 3 = 0 then null else (select id from users where tenant_id = ${t} order by email offset (i % ${s.agents + 1}) limit 1) end,
      now() - make_interval(mins => ${s.tickets} - i), now() - make_interval(mins => ${s.tickets} - i)
    from generate_series(1, ${s.tickets}::int) i`);
  await db.execute(sql`
    insert into ticket_events (tenant_id, seq, ticket_id, kind, author_kind, author_id, author_name, body, internal, at)
    select ${t}, (tk.number - 1) * ${s.messagesPerTicket} + j, tk.id, case when j = 1 then 'CREATED' else 'MESSAGE_POSTED' end,
      case when j % 2 = 0 then 'AGENT' else 'CUSTOMER' end, case when j % 2 = 0 then ${adminId}::uuid end,
      case when j % 2 = 0 then 'Admin' else tk.customer_name end, 'Message ' || j || ' on ticket ' || tk.number, j = 4,
      tk.created_at + make_interval(secs => j)
    from tickets tk, generate_series(1, ${s.messagesPerTicket}::int) j where tk.tenant_id = ${t}`);
  await db.execute(sql`
    insert into ticket_reads (ticket_id, user_id, tenant_id, last_read_seq)
    select id, ${adminId}::uuid, ${t}, (number - 1) * ${s.messagesPerTicket} + 5 from tickets where tenant_id = ${t} and number % 2 = 0`);
  await db.execute(sql`
    insert into stream_heads (tenant_id, stream, last_seq)
    values (${t}, 'ticket-numbers', ${s.tickets}), (${t}, 'tickets', ${s.tickets * s.messagesPerTicket})
    on conflict (tenant_id, stream) do update set last_seq = excluded.last_seq`);

  step('analyze');
  await db.execute(sql`analyze`);
  const ticketIds = (await rows<{ id: string }>(db, sql`select id from tickets where tenant_id = ${t} order by number desc limit 50`)).map((r) => r.id);
  const incidentIds = (await rows<{ id: string }>(db, sql`select id from incidents where tenant_id = ${t} order by number desc limit 20`)).map((r) => r.id);
  return { monitorIds, ticketIds, incidentIds };
}

function channelSql(i: string) {
  return `(case when ${i} % 2 = 0 then 'svc-' else 'job-' end) || lpad((${i} % ${BASE.logChannels})::text, 4, '0')`;
}
