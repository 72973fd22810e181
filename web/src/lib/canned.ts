/**
 * Canned replies in the composer: typing `/ref` at the start of a word offers the workspace's
 * replies whose shortcut starts with `ref`; choosing one replaces `/ref` with its text.
 */

export interface Canned {
  shortcut: string;
  title: string;
  body: string;
}

export interface SlashQuery {
  /** Where the `/` is. */
  start: number;
  /** What follows it, up to the caret. */
  query: string;
}

/** The `/word` the caret is at the end of, or null (a `/` inside a word, e.g. a URL, is not one). */
export function slashQuery(text: string, caret: number): SlashQuery | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([a-z0-9_-]{0,32})$/i.exec(before);
  if (!match) return null;
  return { start: before.length - match[2]!.length - 1, query: match[2]!.toLowerCase() };
}

/** Replies for a query: shortcuts starting with it first, then those whose title contains it. */
export function matchCanned<T extends Canned>(replies: readonly T[], query: string, max = 8): T[] {
  const q = query.toLowerCase();
  const starts = replies.filter((r) => r.shortcut.startsWith(q));
  const titled = q ? replies.filter((r) => !r.shortcut.startsWith(q) && r.title.toLowerCase().includes(q)) : [];
  return [...starts.sort((a, b) => a.shortcut.localeCompare(b.shortcut)), ...titled].slice(0, max);
}

/** The text with `/query` replaced by the reply's body, and where the caret goes (after it). */
export function insertCanned(text: string, at: SlashQuery, body: string): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const next = text.slice(0, at.start) + body + text.slice(end);
  return { text: next, caret: at.start + body.length };
}

/** What a key press in the composer means: Enter sends, Shift+Enter (or Alt/IME composition) breaks the line. */
export function composerKey(event: { key: string; shiftKey: boolean; altKey?: boolean; isComposing?: boolean }): 'send' | 'newline' | null {
  if (event.key !== 'Enter' || event.isComposing) return null;
  return event.shiftKey || event.altKey ? 'newline' : 'send';
}
