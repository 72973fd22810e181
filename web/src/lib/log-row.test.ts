import { describe, expect, it } from 'vitest';
import { expandLogRow, flattenFields } from './log-row';

describe('expandLogRow', () => {
  it('a JSON message: compact on its row, pretty-printed when expanded', () => {
    const row = expandLogRow({ message: ' {"event":"sync","accounts":[1,2],"ok":true} ' });
    expect(row.kind).toBe('json');
    expect(row.summary).toBe('{"event":"sync","accounts":[1,2],"ok":true}');
    expect(row.body).toBe('{\n  "event": "sync",\n  "accounts": [\n    1,\n    2\n  ],\n  "ok": true\n}');
    expect(row.json).toEqual({ event: 'sync', accounts: [1, 2], ok: true });
    expect(row.hiddenLines).toBe(0);
  });

  it('a stack trace keeps its first line on the row and every frame when expanded', () => {
    const trace = 'TypeError: cannot read "id"\r\n    at load (etl.js:10:5)\r\n    at main (etl.js:40:1)\n';
    const row = expandLogRow({ message: trace });
    expect(row).toMatchObject({ kind: 'multiline', summary: 'TypeError: cannot read "id"', hiddenLines: 2 });
    expect(row.body.split('\n')).toEqual(['TypeError: cannot read "id"', '    at load (etl.js:10:5)', '    at main (etl.js:40:1)']);
  });

  it('plain text, text that only looks like JSON, and JSON too large to parse stay text', () => {
    expect(expandLogRow({ message: 'loaded 42 rows' })).toMatchObject({ kind: 'text', summary: 'loaded 42 rows', body: 'loaded 42 rows' });
    expect(expandLogRow({ message: '{not json}' }).kind).toBe('text');
    expect(expandLogRow({ message: '[INFO] started' }).kind).toBe('text');
    expect(expandLogRow({ message: `[${'1,'.repeat(200_000)}1]` }).kind).toBe('text');
    expect(expandLogRow({ message: '' })).toMatchObject({ kind: 'text', summary: '' });
  });

  it('fields become rows: nested objects as dotted keys, arrays and scalars shown as JSON, strings as they are', () => {
    const row = expandLogRow({ message: 'request done', fields: { http: { status: 502, path: '/pay' }, retry: true, tags: ['a', 'b'], note: null, empty: {} } });
    expect(row.fields).toEqual([
      { key: 'http.status', value: '502', type: 'number' },
      { key: 'http.path', value: '/pay', type: 'string' },
      { key: 'retry', value: 'true', type: 'boolean' },
      { key: 'tags', value: '["a","b"]', type: 'array' },
      { key: 'note', value: 'null', type: 'null' },
      { key: 'empty', value: '{}', type: 'object' },
    ]);
    expect(flattenFields(null)).toEqual([]);
    expect(flattenFields('odd')).toEqual([{ key: 'fields', value: 'odd', type: 'string' }]);
    // nesting stops at four levels; deeper values stay JSON
    expect(flattenFields({ a: { b: { c: { d: { e: 1 } } } } })).toEqual([{ key: 'a.b.c.d', value: '{"e":1}', type: 'object' }]);
  });
});
