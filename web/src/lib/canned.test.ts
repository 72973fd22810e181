import { describe, expect, it } from 'vitest';
import { composerKey, insertCanned, matchCanned, slashQuery } from './canned';

const replies = [
  { shortcut: 'refund', title: 'Refund on its way', body: 'Your refund is on its way.' },
  { shortcut: 'ref-id', title: 'Ask for the reference', body: 'Could you send the payment reference?' },
  { shortcut: 'hello', title: 'Greeting', body: 'Hi there!' },
];

describe('canned replies in the composer', () => {
  it('finds the /word the caret ends, at the start or after a space only', () => {
    expect(slashQuery('/ref', 4)).toEqual({ start: 0, query: 'ref' });
    expect(slashQuery('Thanks! /Re', 11)).toEqual({ start: 8, query: 're' });
    expect(slashQuery('see https://x.io/ref', 20)).toBeNull();
    expect(slashQuery('/ref and more', 13)).toBeNull();
    expect(slashQuery('/', 1)).toEqual({ start: 0, query: '' });
  });

  it('offers shortcuts by prefix, then titles that contain the query', () => {
    expect(matchCanned(replies, 'ref').map((r) => r.shortcut)).toEqual(['ref-id', 'refund']);
    expect(matchCanned(replies, 'greet').map((r) => r.shortcut)).toEqual(['hello']);
    expect(matchCanned(replies, '').map((r) => r.shortcut)).toEqual(['hello', 'ref-id', 'refund']);
    expect(matchCanned(replies, 'zzz')).toEqual([]);
  });

  it('replaces /query with the body and puts the caret after it', () => {
    const text = 'Hello Carol, /refu — thanks';
    const at = slashQuery(text, 18)!;
    expect(insertCanned(text, at, 'Your refund is on its way.')).toEqual({ text: 'Hello Carol, Your refund is on its way. — thanks', caret: 39 });
  });

  it('Enter sends, Shift+Enter breaks the line, composing text is left alone', () => {
    expect(composerKey({ key: 'Enter', shiftKey: false })).toBe('send');
    expect(composerKey({ key: 'Enter', shiftKey: true })).toBe('newline');
    expect(composerKey({ key: 'Enter', shiftKey: false, isComposing: true })).toBeNull();
    expect(composerKey({ key: 'a', shiftKey: false })).toBeNull();
  });
});
