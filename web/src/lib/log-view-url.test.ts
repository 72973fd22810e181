import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_VIEW, logViewFromQuery, logViewToQuery, resolveTimeRange, type LogViewState } from './log-view-url';

describe('log view state in the URL', () => {
  it('round-trips a full view: channels, level, regex search, paused cursor, range, wrap', () => {
    const view: LogViewState = {
      channels: ['etl:*', 'balance-sync'],
      level: 'WARN',
      search: 'load|extract',
      regex: true,
      caseSensitive: true,
      pausedAt: '1234',
      last: null,
      from: '2026-11-30T10:00:00.000Z',
      to: '2026-11-30T11:00:00.000Z',
      wrap: true,
      only: true,
    };
    const query = logViewToQuery(view);
    expect(query).toBe('channel=etl%3A*&channel=balance-sync&level=WARN&q=load%7Cextract&re=1&case=1&only=1&at=1234&from=2026-11-30T10%3A00%3A00.000Z&to=2026-11-30T11%3A00%3A00.000Z&wrap=1');
    expect(logViewFromQuery(query)).toEqual(view);
    expect(logViewFromQuery(`?${query}`)).toEqual(view);
    expect(logViewFromQuery(new URLSearchParams(query))).toEqual(view);
  });

  it('leaves defaults out, so the plain live view is a bare URL', () => {
    expect(logViewToQuery(DEFAULT_LOG_VIEW)).toBe('');
    expect(logViewFromQuery('')).toEqual(DEFAULT_LOG_VIEW);
    expect(logViewToQuery({ ...DEFAULT_LOG_VIEW, last: '15m', from: 'ignored' })).toBe('last=15m');
    // regex and case flags mean nothing without a search
    expect(logViewToQuery({ ...DEFAULT_LOG_VIEW, regex: true, caseSensitive: true })).toBe('');
  });

  it('values that do not parse fall back to the default instead of breaking the page', () => {
    const view = logViewFromQuery('channel=bad%20channel&channel=ok&level=LOUD&at=abc&from=yesterday&last=3w&wrap=yes');
    expect(view).toEqual({ ...DEFAULT_LOG_VIEW, channels: ['ok'] });
    expect(logViewFromQuery('level=error').level).toBe('ERROR');
    expect(logViewFromQuery('channel=a,b&channel=a').channels).toEqual(['a', 'b']);
    // a range typed backwards is put the right way round
    expect(logViewFromQuery('from=2026-11-30T11:00:00Z&to=2026-11-30T10:00:00Z')).toMatchObject({ from: '2026-11-30T10:00:00.000Z', to: '2026-11-30T11:00:00.000Z' });
  });

  it('resolves relative and absolute ranges to instants', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(resolveTimeRange({ last: '1h', from: null, to: null }, now)).toEqual({ from: new Date('2026-11-30T11:00:00Z'), to: null });
    expect(resolveTimeRange({ last: null, from: '2026-11-29T00:00:00.000Z', to: null }, now)).toEqual({ from: new Date('2026-11-29T00:00:00Z'), to: null });
    expect(resolveTimeRange({ last: null, from: null, to: null }, now)).toEqual({ from: null, to: null });
  });
});
