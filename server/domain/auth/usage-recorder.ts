import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

export interface CreateUsageRecorderOptions {
  db: Database;
  /** How long an unused session lasts: each recorded use moves its end to use + this. */
  sessionIdleSeconds: number;
  /** How often uses are written, as one statement per table. @default 30000 */
  flushIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export type UsageRecorder = ReturnType<typeof createUsageRecorder>;

/**
 * "Last used" of service tokens and sign-in sessions, written in batches: a call only notes
 * the time in memory, and every `flushIntervalMs` one statement per table writes them all (a
 * busy publisher costs no write per call). Writing a session's use also slides its expiry.
 */
export function createUsageRecorder({ db, sessionIdleSeconds, flushIntervalMs = 30_000, onError = () => {} }: CreateUsageRecorderOptions) {
  let tokens = new Map<string, number>();
  let sessions = new Map<string, number>();
  let flushing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush().catch(onError), flushIntervalMs);
  timer.unref();

  const rows = (uses: Map<string, number>) => JSON.stringify([...uses].map(([id, at]) => ({ id, at: new Date(at).toISOString() })));

  async function write(tokenUses: Map<string, number>, sessionUses: Map<string, number>) {
    if (tokenUses.size) {
      await db.execute(sql`
        update service_tokens t set last_used_at = v.at
        from jsonb_to_recordset(${rows(tokenUses)}::jsonb) as v(id uuid, at timestamptz)
        where t.id = v.id and (t.last_used_at is null or t.last_used_at < v.at)`);
    }
    if (sessionUses.size) {
      await db.execute(sql`
        update sessions s
        set last_used_at = greatest(s.last_used_at, v.at),
            expires_at = greatest(s.expires_at, v.at + make_interval(secs => ${sessionIdleSeconds}))
        from jsonb_to_recordset(${rows(sessionUses)}::jsonb) as v(id uuid, at timestamptz)
        where s.id = v.id and s.revoked_at is null`);
    }
  }

  function flush(): Promise<void> {
    const [tokenUses, sessionUses] = [tokens, sessions];
    tokens = new Map();
    sessions = new Map();
    // eslint-disable-next-line no-restricted-syntax -- the previous flush's failure went to its own caller (and onError); this one must still run
    flushing = flushing.catch(() => {}).then(() => write(tokenUses, sessionUses));
    return flushing;
  }

  return {
    useToken(tokenId: string) {
      tokens.set(tokenId, Date.now());
    },
    useSession(sessionId: string) {
      sessions.set(sessionId, Date.now());
    },
    /** A use noted here and not yet written (epoch ms). */
    pendingTokenUse: (tokenId: string): number | undefined => tokens.get(tokenId),
    flush,
    /** Writes what is pending and stops the timer. */
    async stop() {
      clearInterval(timer);
      await flush().catch(onError);
    },
  };
}
