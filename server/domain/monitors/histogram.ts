/**
 * Response-time histograms: how hourly rollups keep enough of each hour's response times to
 * estimate a p95 over any number of hours, which an average or an hourly p95 cannot give.
 *
 * Bin i (0-based) holds times in [RESPONSE_TIME_BINS[i-1], RESPONSE_TIME_BINS[i]) ms — bin 0
 * is under 1 ms, the last bin is 54 s and over. Neighbouring edges are at most 20 % apart
 * above 10 ms, so an estimate interpolated inside a bin is within a few percent of the truth.
 * Stored histograms index into this list: never change it, only append a new list under a
 * new column. SQL computes the same bin with `width_bucket(ms, <this list>)`.
 */
export const RESPONSE_TIME_BINS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 16, 19, 22, 25, 29, 33, 38, 44, 50, 58, 66, 76, 88, 100, 120, 130, 150, 180, 200, 230, 270, 310,
  350, 410, 470, 540, 620, 710, 820, 940, 1100, 1200, 1400, 1600, 1900, 2200, 2500, 2900, 3300, 3800, 4400, 5000, 5800, 6700, 7700, 8800,
  10000, 12000, 13000, 15000, 18000, 20000, 23000, 27000, 31000, 36000, 41000, 47000, 54000,
];

/** Bins per histogram: one more than edges. */
export const HISTOGRAM_LENGTH = RESPONSE_TIME_BINS.length + 1;

/** The 0-based bin of a response time; the same as SQL `width_bucket(ms, bins)`. */
export function binOf(ms: number): number {
  let low = 0;
  let high = RESPONSE_TIME_BINS.length;
  // the number of edges <= ms
  while (low < high) {
    const mid = (low + high) >> 1;
    if (RESPONSE_TIME_BINS[mid]! <= ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** An empty histogram, or one holding a single time. */
export function histogramOf(ms?: number): number[] {
  const histogram = new Array<number>(HISTOGRAM_LENGTH).fill(0);
  if (ms !== undefined) histogram[binOf(ms)] = 1;
  return histogram;
}

/** Adds `from` into `into` bin by bin (histograms of any stored length). */
export function mergeHistogram(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/**
 * The q-quantile (0..1) of the times a histogram counts, interpolated linearly inside its bin
 * and kept within the observed [min, max]; null for an empty histogram.
 */
export function quantileOf(histogram: readonly number[], q: number, min: number | null, max: number | null): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  let below = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    const count = histogram[bin]!;
    if (count > 0 && below + count >= q * total) return quantileInBin(bin, count, below, total, q, min, max);
    below += count;
  }
  return max;
}

/**
 * The q-quantile once its bin is known: `count` times in `bin`, `below` in the bins under it,
 * `total` in all — what SQL hands over after merging histograms itself.
 */
export function quantileInBin(bin: number, count: number, below: number, total: number, q: number, min: number | null, max: number | null): number {
  const low = bin === 0 ? 0 : RESPONSE_TIME_BINS[bin - 1]!;
  const high = RESPONSE_TIME_BINS[bin] ?? max ?? low;
  let value = low + ((q * total - below) / count) * (high - low);
  if (min !== null) value = Math.max(value, min);
  if (max !== null) value = Math.min(value, max);
  return Math.round(value);
}
