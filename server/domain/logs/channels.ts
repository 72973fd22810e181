import { badInput } from '../shared/errors.js';

const CHANNEL = /^[A-Za-z0-9_.:-]{1,200}$/;
const RULE = 'a channel is 1–200 characters of letters, digits and _ . : - (a subscription or token pattern may end with *)';

/** A concrete channel name, as a publisher uses it. */
export function parseChannel(channel: string, field = 'channel'): string {
  if (!CHANNEL.test(channel)) throw badInput(`Invalid channel "${clip(channel)}": ${RULE}`, field);
  return channel;
}

/** A channel or a prefix pattern (`etl:*`, or `*` for every channel). */
export function parseChannelPattern(pattern: string, field = 'channel'): string {
  const body = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
  if (!(body === '' && pattern === '*') && !CHANNEL.test(body)) {
    throw badInput(`Invalid channel pattern "${clip(pattern)}": ${RULE}`, field);
  }
  return pattern;
}

export function matchesPattern(channel: string, pattern: string): boolean {
  return pattern.endsWith('*') ? channel.startsWith(pattern.slice(0, -1)) : channel === pattern;
}

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** Whether token pattern `granted` allows everything `requested` (a channel or pattern) names. */
export function patternCovers(granted: string, requested: string): boolean {
  if (!granted.endsWith('*')) return granted === requested;
  const prefix = granted.slice(0, -1);
  return requested.startsWith(prefix);
}
