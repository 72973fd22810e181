/**
 * Sparkline data shaping for the services grid: per-minute samples (minutes without a report
 * are absent) become one slot per minute over a window, with gaps kept as gaps (a silent
 * service draws no line rather than a fake slope), then an SVG path in a fixed viewBox.
 */

export interface Sample {
  /** The minute (ISO) the sample covers. */
  at: string;
  value: number | null | undefined;
}

const MINUTE = 60_000;

/** One value per minute, oldest first, for the `minutes` ending at `now`'s minute; null where nothing was reported. */
export function minuteSeries(samples: readonly Sample[], { minutes, now }: { minutes: number; now: number }): (number | null)[] {
  const end = Math.floor(now / MINUTE);
  const start = end - minutes + 1;
  const out: (number | null)[] = Array.from({ length: minutes }, () => null);
  for (const sample of samples) {
    const slot = Math.floor(Date.parse(sample.at) / MINUTE) - start;
    if (slot < 0 || slot >= minutes || sample.value == null || !Number.isFinite(sample.value)) continue;
    out[slot] = sample.value;
  }
  return out;
}

export interface SparkSummary {
  /** "M x y L x y …" segments, one per run of reported minutes; "" when nothing was reported. */
  path: string;
  min: number | null;
  max: number | null;
  /** The newest reported value. */
  last: number | null;
  /** How many minutes have a value. */
  points: number;
}

/**
 * The series as a path in a `width` x `height` box (y grows downwards). The scale starts at 0
 * when every value is positive (a queue of 40 vs 42 does not look like a cliff); all zeros lie
 * on the baseline. A lone point becomes a short dash so it is visible.
 */
export function sparkPath(values: readonly (number | null)[], width: number, height: number, pad = 2): SparkSummary {
  const present = values.filter((v): v is number => v !== null);
  if (!present.length) return { path: '', min: null, max: null, last: null, points: 0 };
  const min = Math.min(...present);
  const max = Math.max(...present);
  const low = min >= 0 ? 0 : min;
  const span = max - low;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const x = (i: number) => round(values.length > 1 ? i * step : width / 2);
  const y = (v: number) => round(span === 0 ? height - pad : pad + (height - 2 * pad) * (1 - (v - low) / span));
  const parts: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length === 1) {
      // a lone minute: a short dash, pointing inwards so the newest minute stays inside the box
      const [px, py] = run[0]!.slice(1).split(' ').map(Number) as [number, number];
      const dash = Math.max(4, step / 2);
      const from = px + dash > width ? px - dash : px;
      run = [`M${round(from)} ${py}`, `L${round(from + dash)} ${py}`];
    }
    if (run.length) parts.push(run.join(' '));
    run = [];
  };
  values.forEach((v, i) => {
    if (v === null) return flush();
    run.push(`${run.length ? 'L' : 'M'}${x(i)} ${y(v)}`);
  });
  flush();
  let last: number | null = null;
  for (let i = values.length - 1; i >= 0 && last === null; i--) last = values[i] ?? null;
  return { path: parts.join(' '), min, max, last, points: present.length };
}

const round = (n: number) => Math.round(n * 10) / 10;
