import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { LogBuffer, highlightParts, type LogLine } from './log-buffer';

const line = (cursor: number, message = `m${cursor}`): LogLine => ({ cursor: String(cursor), channel: 'c', level: 'INFO', message, timestamp: '' });

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and is jittered between half and all of the ceiling', () => {
    expect(backoffDelay(0, { random: () => 0 })).toBe(250);
    expect(backoffDelay(0, { random: () => 1 })).toBe(500);
    expect(backoffDelay(3, { random: () => 1 })).toBe(4_000);
    expect(backoffDelay(30, { random: () => 1 })).toBe(15_000);
    expect(backoffDelay(30, { random: () => 0 })).toBe(7_500);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(spread.size).toBeGreaterThan(10);
  });
});

describe('LogBuffer', () => {
  it('keeps each cursor once, in cursor order, when history and live overlap', () => {
    const buffer = new LogBuffer();
    expect(buffer.append([line(5), line(6), line(7)])).toBe(3);
    expect(buffer.append([line(7), line(8)])).toBe(1);
    expect(buffer.prepend([line(3), line(4), line(5)])).toBe(2);
    buffer.append([line(2)]);
    expect(buffer.all.map((l) => l.cursor)).toEqual(['2', '3', '4', '5', '6', '7', '8']);
    expect(buffer.lastCursor).toBe('8');
  });

  it('drops the oldest lines beyond its capacity and forgets their cursors', () => {
    const buffer = new LogBuffer(100_000);
    buffer.append(Array.from({ length: 100_005 }, (_, i) => line(i + 1)));
    expect(buffer.size).toBe(100_000);
    expect(buffer.firstCursor).toBe('6');
    expect(buffer.append([line(100_006)])).toBe(1);
  });

  it('highlights matches case-insensitively without dropping text', () => {
    expect(highlightParts('Disk FULL on disk 2', 'disk')).toEqual([
      { text: 'Disk', match: true },
      { text: ' FULL on ', match: false },
      { text: 'disk', match: true },
      { text: ' 2', match: false },
    ]);
    expect(highlightParts('nothing', '')).toEqual([{ text: 'nothing', match: false }]);
  });
});
