/**
 * What the log viewer does over history the server cannot filter for it: a time range and a
 * regular expression are applied here, in the browser, over the newest lines of the channel
 * (at most `limit`, fetched page by page, newest first) — and the downloads of a view.
 */
import type { LogLine } from './log-buffer';

/** How many of the newest lines a client-side scan reads at most. */
export const SCAN_LIMIT = 10_000;
/** The server's largest history page. */
export const SCAN_PAGE = 1_000;

export interface ScanOptions {
  /** Fetches the `last` lines before `before` (null: the newest), oldest first, and whether older ones exist. */
  fetchPage: (before: string | null, last: number) => Promise<{ lines: LogLine[]; hasOlder: boolean }>;
  /** Keep lines at or after this instant (ms). */
  from?: number | null;
  /** Keep lines at or before this instant (ms). */
  to?: number | null;
  /** Keep lines this says yes to. */
  test?: (line: LogLine) => boolean;
  /** Stop once this many lines are kept. @default Infinity */
  maxKept?: number;
  /** @default SCAN_LIMIT */
  limit?: number;
}

export interface ScanResult {
  /** The kept lines, oldest first. */
  lines: LogLine[];
  /** How many lines were read. */
  scanned: number;
  /** True when older lines exist that were not read (the limit, or maxKept, was reached). */
  truncated: boolean;
}

/** Reads back from the newest line until the range's start, the limit or `maxKept`; keeps what matches. */
export async function scanHistory({ fetchPage, from = null, to = null, test, maxKept = Infinity, limit = SCAN_LIMIT }: ScanOptions): Promise<ScanResult> {
  const kept: LogLine[][] = [];
  let keptCount = 0;
  let scanned = 0;
  let before: string | null = null;
  for (;;) {
    const { lines, hasOlder } = await fetchPage(before, Math.min(SCAN_PAGE, limit - scanned));
    scanned += lines.length;
    const page: LogLine[] = [];
    let reachedStart = false;
    // newest first, so maxKept keeps the newest matches
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!;
      const at = Date.parse(line.timestamp);
      if (from !== null && at < from) {
        reachedStart = true;
        break;
      }
      if (to !== null && at > to) continue;
      if (test && !test(line)) continue;
      page.push(line);
      if (++keptCount >= maxKept) break;
    }
    kept.push(page.reverse());
    if (reachedStart || !hasOlder || !lines.length) return { lines: kept.reverse().flat(), scanned, truncated: false };
    if (keptCount >= maxKept || scanned >= limit) return { lines: kept.reverse().flat(), scanned, truncated: true };
    before = lines[0]!.cursor;
  }
}

/** One line of text per entry: time, level, channel, message (later lines of a message indented), fields as JSON. */
export function linesAsText(lines: readonly LogLine[]): string {
  return lines
    .map((l) => {
      const fields = l.fields != null && !(typeof l.fields === 'object' && Object.keys(l.fields).length === 0) ? ` ${JSON.stringify(l.fields)}` : '';
      return `${l.timestamp} ${l.level.padEnd(5)} ${l.channel} ${l.message.replace(/\r?\n/g, '\n    ')}${fields}`;
    })
    .join('\n')
    .concat(lines.length ? '\n' : '');
}

/** JSON Lines: one object per entry, as the API returns it. */
export function linesAsJsonLines(lines: readonly LogLine[]): string {
  return lines.map((l) => JSON.stringify({ cursor: l.cursor, timestamp: l.timestamp, channel: l.channel, level: l.level, message: l.message, fields: l.fields ?? null })).join('\n').concat(lines.length ? '\n' : '');
}
