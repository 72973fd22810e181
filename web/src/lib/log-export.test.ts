import { describe, expect, it } from 'vitest';
import type { LogLine } from './log-buffer';
import { linesAsJsonLines, linesAsText, scanHistory } from './log-export';

const line = (n: number, message = `line ${n}`): LogLine => ({ cursor: String(n), channel: 'etl:a', level: 'INFO', message, timestamp: new Date(Date.UTC(2026, 11, 1, 0, n)).toISOString() });
const store = Array.from({ length: 50 }, (_, i) => line(i + 1, i % 7 === 0 ? `load failed ${i + 1}` : `extract ${i + 1}`));
const fetchPage = async (before: string | null, last: number) => {
  const end = before ? store.findIndex((l) => l.cursor === before) : store.length;
  const start = Math.max(0, end - last);
  return { lines: store.slice(start, end), hasOlder: start > 0 };
};

describe('scanHistory', () => {
  it('applies a regex over the newest lines, oldest first', async () => {
    const result = await scanHistory({ fetchPage, test: (l) => /load/.test(l.message) });
    expect(result.lines.map((l) => l.cursor)).toEqual(['1', '8', '15', '22', '29', '36', '43', '50']);
    expect(result).toMatchObject({ scanned: 50, truncated: false });
  });

  it('stops at the limit and says so', async () => {
    const result = await scanHistory({ fetchPage, limit: 20 });
    expect(result.lines.map((l) => l.cursor)).toEqual(store.slice(30).map((l) => l.cursor));
    expect(result.truncated).toBe(true);
  });

  it('keeps a time range and stops reading at its start', async () => {
    const from = Date.UTC(2026, 11, 1, 0, 40);
    const to = Date.UTC(2026, 11, 1, 0, 45);
    let pages = 0;
    const result = await scanHistory({ fetchPage: (b, n) => (pages++, fetchPage(b, Math.min(n, 4))), from, to });
    expect(result.lines.map((l) => l.cursor)).toEqual(['40', '41', '42', '43', '44', '45']);
    expect(pages).toBeLessThan(6);
  });

  it('keeps the newest matches when capped', async () => {
    const result = await scanHistory({ fetchPage, test: (l) => l.message.startsWith('load'), maxKept: 2 });
    expect(result.lines.map((l) => l.cursor)).toEqual(['43', '50']);
  });
});

describe('downloads', () => {
  it('text: one entry per line, later lines of a message indented, fields as JSON', () => {
    const text = linesAsText([{ ...line(1, 'boom\n  at f()'), level: 'ERROR', fields: { step: 'load' } }, line(2)]);
    expect(text).toBe('2026-12-01T00:01:00.000Z ERROR etl:a boom\n      at f() {"step":"load"}\n2026-12-01T00:02:00.000Z INFO  etl:a line 2\n');
  });

  it('JSON lines: each entry parses back', () => {
    const out = linesAsJsonLines([line(1), { ...line(2), fields: { a: 1 } }]);
    expect(out.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { cursor: '1', timestamp: '2026-12-01T00:01:00.000Z', channel: 'etl:a', level: 'INFO', message: 'line 1', fields: null },
      { cursor: '2', timestamp: '2026-12-01T00:02:00.000Z', channel: 'etl:a', level: 'INFO', message: 'line 2', fields: { a: 1 } },
    ]);
  });
});
