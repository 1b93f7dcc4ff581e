import {describe, expect, it} from 'vitest';
import {LineSplitter, collapseCarriageReturns} from '../../../src/core/lines.js';

function split(chunks: (string | Buffer)[], max?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), max);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('joins lines split across chunks', () => {
    expect(split(['hel', 'lo\nwor', 'ld\n'])).toEqual(['hello', 'world']);
  });

  it('delivers a final line without a newline at end', () => {
    expect(split(['a\nno newline'])).toEqual(['a', 'no newline']);
  });

  it('collapses \\r progress updates to the last segment', () => {
    expect(split(['10%\r20%\r', '30%\ndone\n'])).toEqual(['30%', 'done']);
  });

  it('treats \\r\\n as a plain line ending', () => {
    expect(split(['one\r\ntwo\r\n'])).toEqual(['one', 'two']);
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const bytes = Buffer.from('héllo ✓\n');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)])).toEqual(['héllo ✓']);
  });

  it('cuts a line that never ends into pieces of the maximum size', () => {
    expect(split(['abcdefghij'], 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('keeps empty lines', () => {
    expect(split(['a\n\nb\n'])).toEqual(['a', '', 'b']);
  });
});

describe('collapseCarriageReturns', () => {
  it.each([
    ['plain', 'plain'],
    ['a\rb', 'b'],
    ['a\r', 'a'],
    ['\r', ''],
  ])('%j → %j', (input, output) => {
    expect(collapseCarriageReturns(input)).toBe(output);
  });
});
