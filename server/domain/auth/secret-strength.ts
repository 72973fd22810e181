// No imports: the configuration reads this before anything else is loaded.

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
