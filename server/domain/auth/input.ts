import { badInput } from '../shared/errors.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseEmail(raw: string, field = 'email'): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw badInput('Invalid email address', field);
  return email;
}

export function parseName(raw: string, field: string): string {
  const name = raw.trim();
  if (!name) throw badInput(`${field} must not be empty`, field);
  if (name.length > 100) throw badInput(`${field} must be at most 100 characters`, field);
  // control characters have no place in a name shown to others
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badInput(`${field} must not contain control characters`, field);
  return name;
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
