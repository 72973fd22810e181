/**
 * The log viewer's state as a URL query string and back, so a link reproduces a view: the
 * channel (or pattern, or several merged), the minimum level, the search, where the view is
 * paused, and the time range. Defaults are left out of the URL; values that do not parse
 * fall back to the default rather than break the page.
 */

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Relative ranges a picker offers, as they appear in the URL. */
export const RELATIVE_RANGES = ['5m', '15m', '1h', '6h', '24h', '7d'] as const;
export type RelativeRange = (typeof RELATIVE_RANGES)[number];

export interface LogViewState {
  /** Channels or patterns shown together (one: a plain view; several: a merged view). */
  channels: string[];
  /** The least severe level shown; null shows every level. */
  level: LogLevel | null;
  search: string;
  regex: boolean;
  caseSensitive: boolean;
  /** Paused at this cursor (the view shows history up to it and does not follow live). */
  pausedAt: string | null;
  /** A time range: relative to now, or absolute ISO times; all null: live, no range. */
  last: RelativeRange | null;
  from: string | null;
  to: string | null;
  wrap: boolean;
  /** Show only the lines the search matches (with a search). */
  only: boolean;
}

export const DEFAULT_LOG_VIEW: LogViewState = {
  channels: ['*'],
  level: null,
  search: '',
  regex: false,
  caseSensitive: false,
  pausedAt: null,
  last: null,
  from: null,
  to: null,
  wrap: false,
  only: false,
};

const CHANNEL = /^[\w.:*-]{1,200}$/;
const CURSOR = /^\d{1,15}$/;

/** The state as a query string (no leading `?`), defaults omitted, in a stable order. */
export function logViewToQuery(state: LogViewState): string {
  const q = new URLSearchParams();
  const channels = state.channels.filter((c) => CHANNEL.test(c));
  if (channels.length && !(channels.length === 1 && channels[0] === '*')) for (const c of channels) q.append('channel', c);
  if (state.level) q.set('level', state.level);
  if (state.search) q.set('q', state.search);
  if (state.search && state.regex) q.set('re', '1');
  if (state.search && state.caseSensitive) q.set('case', '1');
  if (state.search && state.only) q.set('only', '1');
  if (state.pausedAt && CURSOR.test(state.pausedAt)) q.set('at', state.pausedAt);
  if (state.last) q.set('last', state.last);
  else {
    if (state.from) q.set('from', state.from);
    if (state.to) q.set('to', state.to);
  }
  if (state.wrap) q.set('wrap', '1');
  return q.toString();
}

/** A query string (with or without `?`, or parsed params) as a state; bad values become defaults. */
export function logViewFromQuery(query: string | URLSearchParams): LogViewState {
  const q = typeof query === 'string' ? new URLSearchParams(query.replace(/^\?/, '')) : query;
  const channels = q.getAll('channel').flatMap((c) => c.split(',')).map((c) => c.trim()).filter((c) => CHANNEL.test(c));
  const level = q.get('level')?.toUpperCase();
  const last = q.get('last');
  const time = (name: string) => {
    const value = q.get(name);
    return value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;
  };
  const at = q.get('at');
  const search = q.get('q') ?? '';
  const isLast = (RELATIVE_RANGES as readonly string[]).includes(last ?? '');
  let from = isLast ? null : time('from');
  let to = isLast ? null : time('to');
  if (from && to && from > to) [from, to] = [to, from];
  return {
    channels: channels.length ? [...new Set(channels)] : [...DEFAULT_LOG_VIEW.channels],
    level: (LOG_LEVELS as readonly string[]).includes(level ?? '') ? (level as LogLevel) : null,
    search,
    regex: search !== '' && q.get('re') === '1',
    caseSensitive: search !== '' && q.get('case') === '1',
    only: search !== '' && q.get('only') === '1',
    pausedAt: at && CURSOR.test(at) ? at : null,
    last: isLast ? (last as RelativeRange) : null,
    from,
    to,
    wrap: q.get('wrap') === '1',
  };
}

const RANGE_MS: Record<RelativeRange, number> = { '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000, '7d': 604_800_000 };

/** The time range the state asks for, as instants (null: unbounded on that side). */
export function resolveTimeRange(state: Pick<LogViewState, 'last' | 'from' | 'to'>, now = Date.now()): { from: Date | null; to: Date | null } {
  if (state.last) return { from: new Date(now - RANGE_MS[state.last]), to: null };
  return { from: state.from ? new Date(state.from) : null, to: state.to ? new Date(state.to) : null };
}
