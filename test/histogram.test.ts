import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HISTOGRAM_LENGTH, RESPONSE_TIME_BINS, binOf, histogramOf, mergeHistogram, quantileOf } from '../server/domain/monitors/histogram.js';

describe('response-time histograms', () => {
  it('bins like SQL width_bucket: edges belong to the bin above, under 1 ms is bin 0, 54 s and over the last', () => {
    expect(binOf(0)).toBe(0);
    expect(binOf(1)).toBe(1);
    expect(binOf(10)).toBe(binOf(9));
    expect(binOf(11)).toBe(binOf(10) + 1);
    expect(binOf(53_999)).toBe(HISTOGRAM_LENGTH - 2);
    expect(binOf(54_000)).toBe(HISTOGRAM_LENGTH - 1);
    expect(binOf(10_000_000)).toBe(HISTOGRAM_LENGTH - 1);
    // neighbouring edges above 10 ms are at most 20 % apart: the estimate's bound
    for (let i = 1; i < RESPONSE_TIME_BINS.length; i++) if (RESPONSE_TIME_BINS[i - 1]! >= 10) expect(RESPONSE_TIME_BINS[i]! / RESPONSE_TIME_BINS[i - 1]!).toBeLessThanOrEqual(1.2);
  });

  it('estimates a quantile inside the right bin, within the observed min and max, over merged hours', () => {
    const times = Array.from({ length: 1000 }, (_, i) => 50 + (i % 200));
    const sorted = [...times].sort((a, b) => a - b);
    const exact = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
    const merged = histogramOf();
    for (let hour = 0; hour < 10; hour++) {
      const h = histogramOf();
      for (const ms of times.slice(hour * 100, hour * 100 + 100)) h[binOf(ms)]! += 1;
      mergeHistogram(merged, h);
    }
    const estimate = quantileOf(merged, 0.95, 50, 249)!;
    expect(binOf(estimate)).toBe(binOf(exact));
    expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.2);
    expect(quantileOf(histogramOf(), 0.95, null, null)).toBeNull();
    expect(quantileOf(histogramOf(7), 0.95, 7, 7)).toBe(7);
  });

  it('the migration back-fills with the same bins the server writes', () => {
    const migration = readFileSync(new URL('../server/db/migrations/0005_screens.sql', import.meta.url), 'utf8');
    expect(migration).toContain(`width_bucket("response_time_ms", '{${RESPONSE_TIME_BINS.join(',')}}'::int[])`);
    expect(migration).toContain(`array_fill(0, ARRAY[${HISTOGRAM_LENGTH}])`);
    expect(migration).toContain(`generate_series(1, ${HISTOGRAM_LENGTH})`);
  });
});
