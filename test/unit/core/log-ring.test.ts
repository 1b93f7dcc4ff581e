import {describe, expect, it} from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import {LogRing, maxStoredLineChars, mergeWindows} from '../../../src/core/log-ring.js';
import type {LogLine} from '../../../src/core/api.js';

const line = (seq: number): LogLine => ({seq, id: 'web.1', stream: 'stdout', text: `line ${seq}`, time: 0});

function ringWith(capacity: number, seqs: number[]): LogRing {
  const ring = new LogRing(capacity);
  for (const seq of seqs) ring.push(line(seq));
  return ring;
}

describe('LogRing', () => {
  it('overwrites the oldest line when full, so memory stays bounded', () => {
    const ring = ringWith(3, [1, 2, 3, 4, 5]);
    expect(ring.size).toBe(3);
    expect(ring.read({limit: 10}).map((l) => l.seq)).toEqual([3, 4, 5]);
    expect(ring.lastSeq).toBe(5);
  });

  it('reads the newest `limit` lines before a seq, oldest first', () => {
    const ring = ringWith(10, [2, 4, 6, 8, 10]);
    expect(ring.read({limit: 2, beforeSeq: 8}).map((l) => l.seq)).toEqual([4, 6]);
    expect(ring.read({limit: 2}).map((l) => l.seq)).toEqual([8, 10]);
  });

  it('reads forward after a seq (for followers)', () => {
    const ring = ringWith(10, [2, 4, 6, 8, 10]);
    expect(ring.read({limit: 2, afterSeq: 4}).map((l) => l.seq)).toEqual([6, 8]);
    expect(ring.read({limit: 10, afterSeq: 10})).toEqual([]);
  });

  it('applies a filter without shrinking the window', () => {
    const ring = ringWith(10, [1, 2, 3, 4, 5, 6]);
    expect(ring.read({limit: 2}, (l) => l.seq % 2 === 1).map((l) => l.seq)).toEqual([3, 5]);
  });

  it('grows past its first storage and still wraps at capacity', () => {
    const seqs = Array.from({length: 1000}, (_, i) => i + 1);
    const ring = ringWith(300, seqs);
    expect(ring.size).toBe(300);
    expect(ring.read({limit: 1000}).map((l) => l.seq)).toEqual(seqs.slice(700));
    expect(ring.read({limit: 3, afterSeq: 850}).map((l) => l.seq)).toEqual([851, 852, 853]);
  });

  it('gives back every field as pushed, the cut mark and stream included', () => {
    const ring = new LogRing(5);
    const lines: LogLine[] = [
      {seq: 1, id: 'web.1', stream: 'stdout', text: 'a', time: 1000},
      {seq: 2, id: 'system', stream: 'system', text: 'b', time: 2000},
      {seq: 3, id: 'web.2', stream: 'stderr', text: 'c', time: 3000, cut: true},
    ];
    for (const l of lines) ring.push(l);
    expect(ring.read({limit: 5})).toStrictEqual(lines);
  });

  it('reads a text back from where it lies: a string or bytes (latin1), a cut line by its kept start', () => {
    const ring = new LogRing(5);
    const chunk = Buffer.from('first line\nsecond line\n');
    ring.push({seq: 1, id: 'web.1', stream: 'stdout', text: 'second line', time: 0}, chunk, 11);
    ring.push({seq: 2, id: 'web.1', stream: 'stdout', text: 'line', time: 0}, 'first line', 6);
    ring.push({seq: 3, id: 'web.1', stream: 'stdout', text: 'first', time: 0, cut: true}, chunk, 0);
    expect(ring.read({limit: 5}).map((l) => [l.text, l.cut ?? false])).toEqual([
      ['second line', false],
      ['line', false],
      ['first', true],
    ]);
  });

  it('keeps the first 64 KiB of a longer line, marked cut, and not the rest of it in memory', () => {
    // A gc to call: without it, whether the long lines were let go cannot be seen.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const ring = new LogRing(100);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let seq = 1; seq <= 100; seq++) {
      const text = `${seq} ${'L'.repeat(1_000_000)}`; // 1 MB each; 100 MB if kept whole
      ring.push({seq, id: 'web.1', stream: 'stdout', text, time: 0});
    }
    gc();
    const grownMb = (process.memoryUsage().heapUsed - before) / 1e6;
    expect(grownMb).toBeLessThan(20); // 100 x 64 KiB = 6.6 MB
    const [first] = ring.read({limit: 1, afterSeq: 0});
    expect(first?.cut).toBe(true);
    expect(first?.text).toBe(`1 ${'L'.repeat(maxStoredLineChars - 2)}`);
  });

});

describe('mergeWindows', () => {
  const seqs = (lines: LogLine[]) => lines.map((l) => l.seq);
  it('interleaves by seq and keeps the newest `limit`', () => {
    expect(seqs(mergeWindows([[line(1), line(4)], [line(2), line(3), line(5)]], {limit: 3}))).toEqual([3, 4, 5]);
  });
  it('keeps the oldest `limit` when reading forward', () => {
    expect(seqs(mergeWindows([[line(1), line(4)], [line(2), line(3)]], {limit: 2, afterSeq: 0}))).toEqual([1, 2]);
  });
});
