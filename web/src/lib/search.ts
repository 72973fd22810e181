/**
 * Log search as the viewer runs it: plain text or a regular expression, case-insensitive unless
 * asked, compiled safely (a bad pattern is a message to show, never an exception), with the
 * ranges to highlight in a line.
 */

export interface SearchOptions {
  /** Treat the query as a regular expression. @default false */
  regex?: boolean;
  /** @default false */
  caseSensitive?: boolean;
}

export type Range = [start: number, end: number];

export type CompiledSearch =
  | {
      ok: true;
      /** True when there is nothing to search for: every line matches, nothing is highlighted. */
      empty: boolean;
      /** The pattern as compiled (plain text escaped), for a server-side search. */
      source: string;
      flags: string;
      test(text: string): boolean;
      /** Where the query matches in `text`, in order, never overlapping, empty matches left out. */
      ranges(text: string): Range[];
    }
  | { ok: false; error: string };

/** Longer patterns are refused: a search box is not a place for a program. */
export const MAX_PATTERN_LENGTH = 500;
/** Highlights per line at most (a one-letter query on a 16 KB line stays cheap). */
export const MAX_RANGES = 1_000;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileSearch(query: string, { regex = false, caseSensitive = false }: SearchOptions = {}): CompiledSearch {
  if (query.length > MAX_PATTERN_LENGTH) return { ok: false, error: `The search is longer than ${MAX_PATTERN_LENGTH} characters` };
  const flags = caseSensitive ? 'g' : 'gi';
  if (query === '') return { ok: true, empty: true, source: '', flags, test: () => true, ranges: () => [] };
  const source = regex ? query : escapeRegex(query);
  let pattern: RegExp;
  try {
    // no 'u': patterns people type from habit (`[\w-]`, `\:`) stay valid, as in most log tools
    pattern = new RegExp(source, flags);
  } catch (error) {
    return { ok: false, error: describeRegexError(error) };
  }
  const test = (text: string) => {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      if (m[0] !== '') return true;
      pattern.lastIndex++;
    }
    return false;
  };
  const ranges = (text: string): Range[] => {
    const out: Range[] = [];
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m && out.length < MAX_RANGES; m = pattern.exec(text)) {
      if (m[0] === '') {
        // an empty match (`a*`, `^`) would never advance
        pattern.lastIndex++;
        continue;
      }
      out.push([m.index, m.index + m[0].length]);
    }
    return out;
  };
  return { ok: true, empty: false, source, flags, test, ranges };
}

/** "Invalid regular expression: /(/gi: Unterminated group" → "… Unterminated group". */
function describeRegexError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  return `Not a valid regular expression: ${reason}`;
}

/** `text` cut into plain and matched parts by `ranges` (as `ranges()` returns them). */
export function splitByRanges(text: string, ranges: Range[]): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end <= start) continue;
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: false });
  return parts;
}
