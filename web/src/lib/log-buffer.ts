export interface LogLine {
  cursor: string;
  channel: string;
  level: string;
  message: string;
  timestamp: string;
  fields?: unknown;
}

/**
 * The lines a Logs page holds: newest last, at most `capacity` (the oldest fall off), each
 * cursor once — history pages and live lines can overlap after a reconnect or a jump.
 */
export class LogBuffer {
  private lines: LogLine[] = [];
  private seen = new Set<string>();

  constructor(readonly capacity = 100_000) {}

  get size() {
    return this.lines.length;
  }
  get all(): readonly LogLine[] {
    return this.lines;
  }
  get lastCursor(): string | null {
    return this.lines.at(-1)?.cursor ?? null;
  }
  get firstCursor(): string | null {
    return this.lines[0]?.cursor ?? null;
  }

  /** Adds live lines at the end; returns how many were new. */
  append(lines: LogLine[]): number {
    let added = 0;
    for (const line of lines) {
      if (this.seen.has(line.cursor)) continue;
      // out-of-order arrivals (a history page racing live) go where their cursor says
      const last = this.lines.at(-1);
      if (last && Number(line.cursor) < Number(last.cursor)) {
        const at = this.lines.findIndex((l) => Number(l.cursor) > Number(line.cursor));
        this.lines.splice(at, 0, line);
      } else {
        this.lines.push(line);
      }
      this.seen.add(line.cursor);
      added++;
    }
    this.trim();
    return added;
  }

  /** Adds an older page (oldest first) at the start. */
  prepend(lines: LogLine[]): number {
    const fresh = lines.filter((l) => !this.seen.has(l.cursor));
    for (const line of fresh) this.seen.add(line.cursor);
    this.lines = [...fresh, ...this.lines].sort((a, b) => Number(a.cursor) - Number(b.cursor));
    return fresh.length;
  }

  clear() {
    this.lines = [];
    this.seen.clear();
  }

  indexOf(cursor: string): number {
    return this.lines.findIndex((l) => l.cursor === cursor);
  }

  private trim() {
    const excess = this.lines.length - this.capacity;
    if (excess <= 0) return;
    for (const line of this.lines.slice(0, excess)) this.seen.delete(line.cursor);
    this.lines = this.lines.slice(excess);
  }
}

/** Splits `text` around case-insensitive matches of `needle`, for highlighting. */
export function highlightParts(text: string, needle: string): { text: string; match: boolean }[] {
  if (!needle) return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  const n = needle.toLowerCase();
  let from = 0;
  for (;;) {
    const at = lower.indexOf(n, from);
    if (at < 0) break;
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + n.length), match: true });
    from = at + n.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}
