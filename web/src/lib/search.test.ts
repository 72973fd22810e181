import { describe, expect, it } from 'vitest';
import { MAX_PATTERN_LENGTH, compileSearch, splitByRanges } from './search';

describe('compileSearch', () => {
  it('plain text: case-insensitive by default, special characters literal', () => {
    const search = compileSearch('disk (2)');
    if (!search.ok) throw new Error(search.error);
    expect(search.test('DISK (2) full')).toBe(true);
    expect(search.test('disk 2')).toBe(false);
    expect(search.ranges('Disk (2) and disk (2)')).toEqual([[0, 8], [13, 21]]);
    const exact = compileSearch('Disk', { caseSensitive: true });
    expect(exact.ok && exact.ranges('disk Disk')).toEqual([[5, 9]]);
  });

  it('regex: alternation finds either word ("load|extract")', () => {
    const search = compileSearch('load|extract', { regex: true });
    if (!search.ok) throw new Error(search.error);
    expect(search.test('Extract finished')).toBe(true);
    expect(search.ranges('extract then load')).toEqual([[0, 7], [13, 17]]);
    expect(search.source).toBe('load|extract');
    expect(search.flags).toBe('gi');
  });

  it('an invalid pattern is a message, not an exception; so is an overlong one', () => {
    const broken = compileSearch('(unclosed', { regex: true });
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.error).toMatch(/^Not a valid regular expression: .*(unterminated|missing \))/i);
    expect(compileSearch('[a-', { regex: true }).ok).toBe(false);
    // the same text is fine as plain text
    expect(compileSearch('(unclosed').ok).toBe(true);
    const long = compileSearch('x'.repeat(MAX_PATTERN_LENGTH + 1));
    expect(!long.ok && long.error).toContain(`${MAX_PATTERN_LENGTH}`);
    // patterns people type from other tools stay valid
    expect(compileSearch('[\\w-]+:\\d+', { regex: true }).ok).toBe(true);
  });

  it('empty matches neither hang nor highlight; an empty query matches every line', () => {
    const star = compileSearch('x*', { regex: true });
    if (!star.ok) throw new Error(star.error);
    expect(star.ranges('abxxc')).toEqual([[2, 4]]);
    expect(star.test('abc')).toBe(false);
    const anchor = compileSearch('^', { regex: true });
    expect(anchor.ok && anchor.ranges('abc')).toEqual([]);
    const empty = compileSearch('');
    expect(empty.ok && empty.empty && empty.test('anything')).toBe(true);
  });

  it('test() and ranges() can be called again and again (the g flag keeps no state between calls)', () => {
    const search = compileSearch('a');
    if (!search.ok) throw new Error(search.error);
    expect([search.test('a'), search.test('a'), search.test('b'), search.test('a')]).toEqual([true, true, false, true]);
    expect(search.ranges('aa')).toEqual(search.ranges('aa'));
  });
});

describe('splitByRanges', () => {
  it('cuts a line into plain and highlighted parts without losing text', () => {
    const text = 'extract then load';
    const parts = splitByRanges(text, [[0, 7], [13, 17]]);
    expect(parts).toEqual([
      { text: 'extract', match: true },
      { text: ' then ', match: false },
      { text: 'load', match: true },
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(splitByRanges('abc', [])).toEqual([{ text: 'abc', match: false }]);
    expect(splitByRanges('', [])).toEqual([{ text: '', match: false }]);
    // overlapping or empty ranges are skipped, never duplicated
    expect(splitByRanges('abcdef', [[0, 3], [2, 4], [5, 5]])).toEqual([
      { text: 'abc', match: true },
      { text: 'def', match: false },
    ]);
  });
});
