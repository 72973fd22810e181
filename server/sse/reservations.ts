import { randomBytes } from 'node:crypto';
import type { SseStream } from './sse-stream.js';

/** A single-connection-mode stream: reserved by PUT, opened by GET, fed by POSTed operations. */
export interface Reservation {
  token: string;
  principal: string;
  createdAt: number;
  stream?: SseStream;
  /** frames produced before the stream connected, flushed on connect (bounded by the transport) */
  backlog: (Buffer | string)[];
  backlogBytes: number;
  /** running operations by id: aborting one ends it and releases what it holds */
  ops: Map<string, AbortController>;
}

export class TooManyReservations extends Error {
  constructor(
    message: string,
    /** When one of the caller's unopened reservations expires; undefined when all are open streams (close one). */
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

export interface CreateReservationsOptions {
  /** An unopened reservation expires after this. @default 30000 */
  ttlMs?: number;
  /** Open reservations per principal. @default 10 */
  perPrincipal?: number;
}

/**
 * Reservations of this instance. Tokens are chosen here (256 random bits) and bound to the
 * principal that reserved them: another caller presenting the token is refused.
 */
export function createReservations({ ttlMs = 30_000, perPrincipal = 10 }: CreateReservationsOptions = {}) {
  const byToken = new Map<string, Reservation>();
  const countByPrincipal = new Map<string, number>();

  function release(reservation: Reservation) {
    if (byToken.get(reservation.token) !== reservation) return;
    byToken.delete(reservation.token);
    const n = (countByPrincipal.get(reservation.principal) ?? 1) - 1;
    if (n > 0) countByPrincipal.set(reservation.principal, n);
    else countByPrincipal.delete(reservation.principal);
    const ops = [...reservation.ops.values()];
    reservation.ops.clear();
    for (const op of ops) op.abort('client-gone');
    reservation.stream?.close();
  }

  const sweeper = setInterval(() => {
    const cutoff = Date.now() - ttlMs;
    for (const reservation of byToken.values()) {
      if (!reservation.stream && reservation.createdAt < cutoff) release(reservation);
    }
  }, Math.max(100, Math.min(ttlMs, 5_000)));
  sweeper.unref();

  return {
    reserve(principal: string): Reservation {
      const count = countByPrincipal.get(principal) ?? 0;
      if (count >= perPrincipal) {
        let oldestUnopened = Infinity;
        for (const r of byToken.values()) if (r.principal === principal && !r.stream) oldestUnopened = Math.min(oldestUnopened, r.createdAt);
        const retryAfterMs = Number.isFinite(oldestUnopened) ? Math.max(1_000, oldestUnopened + ttlMs - Date.now()) : undefined;
        throw new TooManyReservations(`At most ${perPrincipal} open event streams per caller: close one${retryAfterMs ? ', or retry when an unopened one expires' : ''}`, retryAfterMs);
      }
      const reservation: Reservation = {
        token: randomBytes(32).toString('base64url'),
        principal,
        createdAt: Date.now(),
        backlog: [],
        backlogBytes: 0,
        ops: new Map(),
      };
      byToken.set(reservation.token, reservation);
      countByPrincipal.set(principal, count + 1);
      return reservation;
    },
    get: (token: string) => byToken.get(token),
    release,
    get size() {
      return byToken.size;
    },
    stop() {
      clearInterval(sweeper);
      for (const reservation of [...byToken.values()]) release(reservation);
    },
  };
}

export type Reservations = ReturnType<typeof createReservations>;
