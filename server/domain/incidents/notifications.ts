import http from 'node:http';
import https from 'node:https';
import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { notificationAttempts, notificationDeliveries, type NotificationAttemptRow, type NotificationDeliveryRow } from '../../db/schema.js';
import { isUuid } from '../auth/auth.js';
import { badInput } from '../shared/errors.js';
import { checkAddress, checkHostname, guardedLookup, type AddressPolicy } from '../shared/address-policy.js';

export interface CreateNotifierOptions {
  db: Database;
  policy: AddressPolicy;
  /** First retry after this; each next one waits twice as long. @default 5000 */
  retryBaseMs?: number;
  /** @default 6 */
  maxAttempts?: number;
  /** @default 5000 */
  timeoutMs?: number;
}

/**
 * Delivers incident webhooks: claims due deliveries (SKIP LOCKED, safe on many instances),
 * POSTs the JSON body under the same address rules as monitors, records every attempt, and
 * retries with exponential backoff until it succeeds or runs out of attempts.
 */
export function createNotifier({ db, policy, retryBaseMs = 5_000, maxAttempts = 6, timeoutMs = 5_000 }: CreateNotifierOptions) {
  return {
    async deliverDue(limit = 20): Promise<number> {
      const claimed = (await db.execute(sql`
        update notification_deliveries d set next_attempt_at = now() + interval '60 seconds', attempts = d.attempts + 1
        from (
          select id from notification_deliveries where status = 'PENDING' and next_attempt_at <= now()
          order by next_attempt_at limit ${limit} for update skip locked
        ) due
        where d.id = due.id
        returning d.id, d.url, d.payload, d.attempts
      `)) as unknown as { rows: { id: string; url: string; payload: unknown; attempts: number }[] };
      await Promise.all(
        claimed.rows.map(async (delivery) => {
          const result = await post(delivery.url, delivery.payload, policy, timeoutMs);
          const delivered = isDelivered(result);
          await db.insert(notificationAttempts).values({ deliveryId: delivery.id, attempt: delivery.attempts, ...result });
          const exhausted = !delivered && delivery.attempts >= maxAttempts;
          await db
            .update(notificationDeliveries)
            .set({
              status: delivered ? 'DELIVERED' : exhausted ? 'FAILED' : 'PENDING',
              // the database's clock, as the claim above compares with
              nextAttemptAt: sql`now() + make_interval(secs => ${(retryBaseMs * 2 ** (delivery.attempts - 1)) / 1000})`,
            })
            .where(eq(notificationDeliveries.id, delivery.id));
        }),
      );
      return claimed.rows.length;
    },

    /**
     * POSTs a test event to `url` once, now, and records it in the delivery log (no incident,
     * no retries): what the receiver answered is the point.
     */
    async sendTest(tenantId: string, url: string, rule: { id: string; name: string } | null): Promise<WebhookDeliveryView> {
      const payload = {
        event: 'test',
        message: 'A test from Pulseboard: this URL receives incident.opened, incident.acknowledged and incident.resolved events.',
        rule,
        sentAt: new Date().toISOString(),
      };
      const result = await post(url, payload, policy, timeoutMs);
      const delivered = isDelivered(result);
      const [delivery] = await db
        .insert(notificationDeliveries)
        .values({ tenantId, ruleId: rule?.id ?? null, test: true, url, payload, status: delivered ? 'DELIVERED' : 'FAILED', attempts: 1 })
        .returning();
      const [attempt] = await db.insert(notificationAttempts).values({ deliveryId: delivery!.id, attempt: 1, ...result }).returning();
      return { ...delivery!, attemptLog: [attempt!] };
    },
  };
}

export type WebhookDeliveryView = NotificationDeliveryRow & { attemptLog: NotificationAttemptRow[] };

const isDelivered = (result: PostResult) => result.httpStatus !== null && result.httpStatus >= 200 && result.httpStatus < 300;

/** Reads the delivery log: per incident, per rule or the whole tenant's, newest first. */
export function createWebhookLog({ db }: { db: Database }) {
  async function withAttempts(rows: NotificationDeliveryRow[]): Promise<WebhookDeliveryView[]> {
    const attempts = rows.length
      ? await db.select().from(notificationAttempts).where(inArray(notificationAttempts.deliveryId, rows.map((r) => r.id))).orderBy(asc(notificationAttempts.id))
      : [];
    return rows.map((r) => ({ ...r, attemptLog: attempts.filter((a) => a.deliveryId === r.id) }));
  }

  return {
    withAttempts,

    async list(tenantId: string, { ruleId, incidentId, first, after }: { ruleId?: string; incidentId?: string; first: number; after?: string }) {
      if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first must be between 1 and 200', 'first');
      const conditions: SQL[] = [eq(notificationDeliveries.tenantId, tenantId)];
      for (const [column, id] of [[notificationDeliveries.ruleId, ruleId], [notificationDeliveries.incidentId, incidentId]] as const) {
        if (id === undefined) continue;
        if (!isUuid(id)) return { deliveries: [], hasNextPage: false, hasPreviousPage: after !== undefined };
        conditions.push(eq(column, id));
      }
      if (after !== undefined) {
        const cursor = parseDeliveryCursor(after);
        conditions.push(
          or(
            lt(notificationDeliveries.createdAt, cursor.createdAt),
            and(eq(notificationDeliveries.createdAt, cursor.createdAt), lt(notificationDeliveries.id, cursor.id)),
          )!,
        );
      }
      const rows = await db
        .select()
        .from(notificationDeliveries)
        .where(and(...conditions))
        .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
        .limit(first + 1);
      return { deliveries: await withAttempts(rows.slice(0, first)), hasNextPage: rows.length > first, hasPreviousPage: after !== undefined };
    },
  };
}

export type WebhookLog = ReturnType<typeof createWebhookLog>;

/** A delivery's place in the newest-first log: its creation time and id. */
export const deliveryCursor = (d: NotificationDeliveryRow) => `${d.createdAt.toISOString()}_${d.id}`;

function parseDeliveryCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = cursor.split('_');
  const createdAt = new Date(at ?? '');
  if (Number.isNaN(createdAt.getTime()) || !id || !isUuid(id)) throw badInput('Invalid cursor: use an edge cursor from webhookDeliveries', 'after');
  return { createdAt, id };
}

export type Notifier = ReturnType<typeof createNotifier>;

/** What one POST got: the receiver's status and the start of its body, or why there was none. */
interface PostResult {
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  responseBody: string | null;
}

/** Bytes of a receiver's answer kept per attempt: enough to read why it refused. */
const RESPONSE_BODY_LIMIT = 1_000;

function post(target: string, payload: unknown, policy: AddressPolicy, timeoutMs: number): Promise<PostResult> {
  const started = performance.now();
  return new Promise((done) => {
    const resolve = ({ status, error, body = null }: { status: number | null; error: string | null; body?: string | null }) =>
      done({ httpStatus: status, error, durationMs: Math.round(performance.now() - started), responseBody: body });
    let url: URL;
    try {
      url = new URL(target);
      checkHostname(url.hostname, policy);
    } catch (error) {
      return resolve({ status: null, error: (error as Error).message });
    }
    const body = JSON.stringify(payload);
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        lookup: guardedLookup(policy) as never,
        timeout: timeoutMs,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Pulseboard-Webhook/1.0' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size >= RESPONSE_BODY_LIMIT) return;
          chunks.push(chunk);
          size += chunk.length;
        });
        const body = () => (size ? Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT) : null);
        response.on('end', () => resolve({ status: response.statusCode ?? null, error: null, body: body() }));
        response.on('error', (error) => resolve({ status: response.statusCode ?? null, error: error.message, body: body() }));
      },
    );
    request.once('socket', (socket) =>
      socket.once('connect', () => {
        try {
          if (socket.remoteAddress) checkAddress(socket.remoteAddress, policy);
        } catch (error) {
          request.destroy(error as Error);
        }
      }),
    );
    request.once('timeout', () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    request.once('error', (error) => resolve({ status: null, error: error.message }));
    request.end(body);
  });
}
