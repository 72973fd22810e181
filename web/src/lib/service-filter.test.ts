import { describe, expect, it } from 'vitest';
import { matchesService, serviceFilterFromQuery, serviceFilterToQuery } from './service-filter';

describe('service filter', () => {
  it('round-trips through the URL, dropping defaults and bad values', () => {
    const filter = { state: 'STALE' as const, q: 'sync' };
    expect(serviceFilterToQuery(filter)).toBe('state=STALE&q=sync');
    expect(serviceFilterFromQuery(new URLSearchParams(serviceFilterToQuery(filter)))).toEqual(filter);
    expect(serviceFilterToQuery({ state: null, q: '  ' })).toBe('');
    expect(serviceFilterFromQuery(new URLSearchParams('state=bogus&q=a'))).toEqual({ state: null, q: 'a' });
    expect(serviceFilterFromQuery(new URLSearchParams('state=degraded'))).toEqual({ state: 'DEGRADED', q: '' });
  });

  it('matches state and text in key, name or message', () => {
    const s = { key: 'balance-sync', name: 'Balance sync', state: 'RUNNING', message: 'retrying batch 12' };
    expect(matchesService(s, { state: null, q: '' })).toBe(true);
    expect(matchesService(s, { state: 'RUNNING', q: 'BATCH' })).toBe(true);
    expect(matchesService(s, { state: 'STALE', q: '' })).toBe(false);
    expect(matchesService(s, { state: null, q: 'etl' })).toBe(false);
  });
});
