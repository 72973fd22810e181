import { describe, expect, it } from 'vitest';
import { formatBucketLabel, formatMs, formatUptime, niceTicks, seriesColumns, timeTicks } from './chart';

describe('axis ticks', () => {
  it('values: round steps of 1, 2 or 5 × 10^k covering the data', () => {
    expect(niceTicks(0, 237)).toEqual({ ticks: [0, 50, 100, 150, 200, 250], step: 50, min: 0, max: 250 });
    expect(niceTicks(13, 87, 4).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0.1, 0.7, 3).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    // one value, or none: still an axis
    expect(niceTicks(0, 0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(120, 120).min).toBeLessThanOrEqual(60);
    expect(niceTicks(Number.NaN, 5).ticks).toEqual([0]);
  });

  it('time: whole minutes, hours or days in the display zone, labelled as operators read them', () => {
    const from = Date.parse('2026-11-30T10:07:30Z');
    const hour = timeTicks(from, from + 3_600_000, 6, { timeZone: 'UTC' });
    expect(hour.map((t) => t.label)).toEqual(['10:10', '10:20', '10:30', '10:40', '10:50', '11:00']);
    expect(hour.every((t) => t.at % 600_000 === 0)).toBe(true);
    const day = timeTicks(from, from + 86_400_000, 6, { timeZone: 'UTC' });
    expect(day.map((t) => t.label)).toEqual(['12:00', '18:00', '00:00', '06:00']);
    const month = timeTicks(from - 30 * 86_400_000, from, 6, { timeZone: 'UTC' });
    // weeks on Mondays
    expect(month.map((t) => t.label)).toEqual(['2 Nov', '9 Nov', '16 Nov', '23 Nov', '30 Nov']);
    // aligned to the viewer's midnight, not UTC's
    const tokyo = timeTicks(from - 3 * 86_400_000, from, 4, { timeZone: 'Asia/Tokyo' });
    expect(tokyo.map((t) => new Date(t.at).toISOString().slice(11, 16))).toEqual(['15:00', '15:00', '15:00']);
    expect(timeTicks(from, from)).toEqual([]);
  });
});

describe('labels', () => {
  it('a bucket’s span, shorter for short buckets', () => {
    const start = '2026-11-30T14:05:00Z';
    expect(formatBucketLabel(start, 60, { timeZone: 'UTC' })).toBe('14:05–14:06');
    expect(formatBucketLabel('2026-11-24T06:00:00Z', 21_600, { timeZone: 'UTC' })).toBe('Tue 24 Nov, 06:00–12:00');
    expect(formatBucketLabel('2026-11-24T00:00:00Z', 86_400, { timeZone: 'UTC' })).toBe('24 Nov');
  });

  it('durations and uptime', () => {
    expect([formatMs(null), formatMs(13), formatMs(999.6), formatMs(1_250), formatMs(59_999), formatMs(125_000), formatMs(120_000)]).toEqual([
      '—',
      '13 ms',
      '1000 ms',
      '1.25 s',
      '60 s',
      '2 min 5 s',
      '2 min',
    ]);
    expect([formatUptime(null), formatUptime(1), formatUptime(0.99996), formatUptime(0.98), formatUptime(0)]).toEqual(['—', '100 %', '99.99 %', '98.00 %', '0.00 %']);
  });
});

describe('seriesColumns', () => {
  it('turns buckets into columns, with gaps (no checks) as nulls and failures kept', () => {
    const columns = seriesColumns([
      { start: '2026-11-30T10:00:00Z', count: 4, failures: 1, avgResponseTimeMs: 40, p95ResponseTimeMs: 90, minResponseTimeMs: 10, maxResponseTimeMs: 95 },
      { start: '2026-11-30T10:01:00Z', count: 0, failures: 0, avgResponseTimeMs: null, p95ResponseTimeMs: null },
      { start: '2026-11-30T10:02:00Z', count: 2, failures: 2, avgResponseTimeMs: null, p95ResponseTimeMs: null },
    ]);
    expect(columns).toEqual({
      x: [1796032800, 1796032860, 1796032920],
      avg: [40, null, null],
      p95: [90, null, null],
      min: [10, null, null],
      max: [95, null, null],
      failures: [1, 0, 2],
      failureRatio: [0.25, null, 1],
    });
  });
});
