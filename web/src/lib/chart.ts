/**
 * Helpers for response-time charts and uptime numbers: axis ticks on round values and round
 * times, labels for a bucket, durations and uptime percentages as operators read them, and
 * the server's buckets as the column arrays chart libraries take (gaps stay gaps).
 */

export interface SeriesBucket {
  start: string;
  count: number;
  failures: number;
  avgResponseTimeMs: number | null;
  p95ResponseTimeMs: number | null;
  minResponseTimeMs?: number | null;
  maxResponseTimeMs?: number | null;
}

/** Ticks on 1, 2 or 5 × 10^k covering [min, max], about `target` of them. */
export function niceTicks(min: number, max: number, target = 5): { ticks: number[]; step: number; min: number; max: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [0], step: 1, min: 0, max: 0 };
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    // one value: a range around it (or 0..1 for zero) so the axis is not degenerate
    const pad = min === 0 ? 1 : Math.abs(min) * 0.5;
    [min, max] = [min - pad < 0 && min >= 0 ? 0 : min - pad, max + pad];
  }
  const raw = (max - min) / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // rounding: 0.1 + 0.2 must print as 0.3
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let v = low; v <= high + step / 2; v += step) ticks.push(Number(v.toFixed(decimals)));
  return { ticks, step, min: low, max: high };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];

export interface TimeTickOptions {
  /** An IANA zone for alignment and labels. @default the browser's */
  timeZone?: string;
  locale?: string;
}

/**
 * Time-axis ticks between two instants: the smallest round step giving at most `target` ticks,
 * aligned to whole steps in the display time zone (midnight, whole hours), each with a label:
 * times of day for steps under a day ("14:30"), dates for longer ones ("12 Nov").
 */
export function timeTicks(from: number, to: number, target = 6, { timeZone, locale }: TimeTickOptions = {}): { at: number; label: string }[] {
  if (!(to > from)) return [];
  const step = TIME_STEPS.find((s) => (to - from) / s <= target) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const offset = (at: number) => zoneOffsetMs(at, timeZone);
  // weeks start on Monday (the epoch was a Thursday: Mondays are 4 days later)
  const phase = step === 7 * DAY ? 4 * DAY : 0;
  const align = (local: number, round: (x: number) => number) => round((local - phase) / step) * step + phase;
  // first whole step at or after `from`, in local time
  let at = align(from + offset(from), Math.ceil) - offset(from);
  const ticks: { at: number; label: string }[] = [];
  const format = new Intl.DateTimeFormat(locale ?? 'en-GB', step >= DAY ? { day: 'numeric', month: 'short', timeZone } : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  for (; at <= to && ticks.length <= target + 1; at += step) {
    // a daylight-saving change moves local midnight: realign each tick on its own offset
    const aligned = step >= HOUR ? align(at + offset(at), Math.round) - offset(at) : at;
    ticks.push({ at: aligned, label: format.format(aligned) });
  }
  return ticks;
}

/** How far `timeZone` is ahead of UTC at an instant, in ms. */
function zoneOffsetMs(at: number, timeZone?: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(at / 1000) * 1000;
}

/** A bucket's span for a tooltip: "14:05–14:06", "Tue 12 Nov, 06:00–12:00", "12 Nov". */
export function formatBucketLabel(start: string | number, bucketSeconds: number, { timeZone, locale }: TimeTickOptions = {}): string {
  const from = typeof start === 'number' ? start : Date.parse(start);
  const to = from + bucketSeconds * 1000;
  if (bucketSeconds >= 86_400) return new Intl.DateTimeFormat(locale ?? 'en-GB', { day: 'numeric', month: 'short', timeZone }).format(from);
  const time = new Intl.DateTimeFormat(locale ?? 'en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  const span = `${time.format(from)}–${time.format(to)}`;
  if (bucketSeconds < 3_600) return span;
  const day = new Intl.DateTimeFormat(locale ?? 'en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(from);
  return `${day}, ${span}`;
}

/** "—" for none, "13 ms", "1.25 s", "2 min 5 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toPrecision(3))} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/**
 * An uptime ratio (0–1) as a percentage with two decimals, rounded down, so 99.996 % reads
 * "99.99 %" and only a perfect record reads "100 %"; "—" without checks.
 */
export function formatUptime(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  if (ratio >= 1) return '100 %';
  return `${(Math.floor(ratio * 10_000) / 100).toFixed(2)} %`;
}

/**
 * Buckets as columns (x in seconds since the epoch, as uPlot and most libraries take them):
 * a bucket without checks is null in every series, so a line breaks there instead of diving to 0.
 */
export function seriesColumns(buckets: SeriesBucket[]) {
  const nullIfEmpty = (b: SeriesBucket, v: number | null | undefined) => (b.count === 0 ? null : v ?? null);
  return {
    x: buckets.map((b) => Math.floor(Date.parse(b.start) / 1000)),
    avg: buckets.map((b) => nullIfEmpty(b, b.avgResponseTimeMs)),
    p95: buckets.map((b) => nullIfEmpty(b, b.p95ResponseTimeMs)),
    min: buckets.map((b) => nullIfEmpty(b, b.minResponseTimeMs)),
    max: buckets.map((b) => nullIfEmpty(b, b.maxResponseTimeMs)),
    /** Failed checks per bucket (0 for empty buckets): bars or markers on the chart. */
    failures: buckets.map((b) => b.failures),
    /** Share of failed checks per bucket, null without checks. */
    failureRatio: buckets.map((b) => (b.count ? b.failures / b.count : null)),
  };
}
