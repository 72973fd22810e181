import { describe, expect, it } from 'vitest';
import { minuteSeries, sparkPath } from './sparkline';

const now = Date.parse('2026-12-01T10:30:20Z');
const at = (minute: string) => `2026-12-01T10:${minute}:00.000Z`;

describe('minuteSeries', () => {
  it('puts each sample in its minute slot, oldest first, gaps as null', () => {
    const series = minuteSeries(
      [
        { at: at('27'), value: 5 },
        { at: at('30'), value: 7 },
        { at: at('29'), value: null },
      ],
      { minutes: 5, now },
    );
    expect(series).toEqual([null, 5, null, null, 7]);
  });

  it('drops samples outside the window', () => {
    expect(minuteSeries([{ at: at('10'), value: 1 }, { at: at('31'), value: 2 }], { minutes: 3, now })).toEqual([null, null, null]);
  });
});

describe('sparkPath', () => {
  it('draws nothing for a silent service', () => {
    expect(sparkPath([null, null], 100, 20)).toEqual({ path: '', min: null, max: null, last: null, points: 0 });
  });

  it('scales from zero for positive values and splits at gaps', () => {
    const { path, min, max, last, points } = sparkPath([0, 10, null, 5, 10], 40, 24, 2);
    expect({ min, max, last, points }).toEqual({ min: 0, max: 10, last: 10, points: 4 });
    expect(path).toBe('M0 22 L10 2 M30 12 L40 2');
  });

  it('a flat series at its level, zeros on the baseline, a lone point as a dash', () => {
    expect(sparkPath([3, 3, 3], 20, 10).path).toBe('M0 2 L10 2 L20 2');
    expect(sparkPath([0, 0], 20, 10).path).toBe('M0 8 L20 8');
    expect(sparkPath([null, 4, null], 20, 10).path).toBe('M10 2 L15 2');
    // the newest minute alone (a service that just started) stays inside the box
    expect(sparkPath([null, null, 4], 20, 10).path).toBe('M15 2 L20 2');
  });

  it('the last value is the newest reported, not the last slot', () => {
    expect(sparkPath([1, 2, null], 10, 10).last).toBe(2);
  });
});
