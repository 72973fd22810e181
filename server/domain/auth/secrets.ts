import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { settings } from '../../db/schema.js';

export const MIN_SECRET_LENGTH = 32;

// Values that appear in this repository's history, its docs or common templates: anyone who
// has read them could sign tokens for any tenant.
const KNOWN_PLACEHOLDERS = new Set([
  'change-me-to-32-or-more-random-characters',
  'changeme',
  'change-me',
  'secret',
  'jwt-secret',
  'your-secret-key',
  'supersecret',
]);
const PLACEHOLDER_WORDS = /change[-_ ]?me|changeit|placeholder|example|your[-_ ]?(jwt[-_ ]?)?secret|replace[-_ ]?(me|this)|^x+$|^(secret|password|jwt)[-_0-9]*$/i;

/** Why `secret` must not sign tokens, or null when it is fit: long, not a known placeholder, not trivially repetitive. */
export function weakSecretReason(secret: string): string | null {
  if (secret.length < MIN_SECRET_LENGTH) return `it is shorter than ${MIN_SECRET_LENGTH} characters`;
  if (KNOWN_PLACEHOLDERS.has(secret.toLowerCase()) || PLACEHOLDER_WORDS.test(secret)) return 'it is a known placeholder';
  if (new Set(secret).size < 10) return 'it has fewer than 10 distinct characters';
  return null;
}

export const SECRET_HINT = 'generate one with `openssl rand -base64 48`';

/** The JWT secret: configured, or generated once and kept in the store (first writer wins). */
export async function resolveJwtSecret(db: Database, configured?: string): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  await db
    .insert(settings)
    .values({ key: 'jwt_secret', value: randomBytes(48).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, 'jwt_secret'));
  return new TextEncoder().encode(row!.value);
}
