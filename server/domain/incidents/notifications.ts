import http from 'node:http';
import https from 'node:https';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { notificationAttempts, notificationDeliveries } from '../../db/schema.js';
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
          const delivered = result.status !== null && result.status >= 200 && result.status < 300;
          await db.insert(notificationAttempts).values({ deliveryId: delivery.id, attempt: delivery.attempts, httpStatus: result.status, error: result.error });
          const exhausted = !delivered && delivery.attempts >= maxAttempts;
          await db
            .update(notificationDeliveries)
            .set({
              status: delivered ? 'DELIVERED' : exhausted ? 'FAILED' : 'PENDING',
              nextAttemptAt: new Date(Date.now() + retryBaseMs * 2 ** (delivery.attempts - 1)),
            })
            .where(eq(notificationDeliveries.id, delivery.id));
        }),
      );
      return claimed.rows.length;
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;

function post(target: string, payload: unknown, policy: AddressPolicy, timeoutMs: number): Promise<{ status: number | null; error: string | null }> {
  return new Promise((resolve) => {
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
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? null, error: null }));
        response.on('error', (error) => resolve({ status: response.statusCode ?? null, error: error.message }));
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
