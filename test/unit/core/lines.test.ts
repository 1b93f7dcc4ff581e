import {StringDecoder} from 'node:string_decoder';
import {describe, expect, it} from 'vitest';
import {LineSplitter, collapseCarriageReturns, maxUnfinishedChars} from '../../../src/core/lines.js';

function split(chunks: (string | Buffer)[], max?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), max);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

/** Every line with the text its source gives back (bytes read as latin1), as the scrollback reads it. */
function located(chunks: (string | Buffer)[]): {text: string; fromSource: string; isBytes: boolean}[] {
  const lines: {text: string; fromSource: string; isBytes: boolean}[] = [];
  const splitter = new LineSplitter((text, source, start) => {
    const fromSource = typeof source === 'string' ? source.slice(start, start + text.length) : source.toString('latin1', start, start + text.length);
    lines.push({text, fromSource, isBytes: typeof source !== 'string'});
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('tells where each line lies: in the bytes of an ASCII chunk, else in a string', () => {
    const lines = located([Buffer.from('one\ntwo\nthr'), Buffer.from('ee\nfour\r\n5%\r9%\nfive\n'), Buffer.from('héllo\nsix\n'), 'seven\n', Buffer.from('tail')]);
    for (const line of lines) expect(line.fromSource).toBe(line.text);
    expect(lines.map((l) => [l.text, l.isBytes])).toEqual([
      ['one', true],
      ['two', true],
      ['three', false], // began in the chunk before
      ['four', false], // \r\n: the text is not the bytes
      ['9%', false],
      ['five', true],
      ['héllo', false], // not ASCII
      ['six', false],
      ['seven', false],
      ['tail', false],
    ]);
  });

  it('never hands out bytes when a character split across chunks shifts the offsets', () => {
    // A 4-byte emoji cut after 3 bytes: the next chunk decodes its 1 byte to 2 UTF-16 units,
    // and a 2-byte é to 1, so it has as many chars as bytes, at other offsets.
    const emoji = Buffer.from('😀');
    const second = Buffer.concat([emoji.subarray(3), Buffer.from('é\nb\n')]);
    const first = Buffer.concat([Buffer.from('a\n'), emoji.subarray(0, 3)]);
    const decoder = new StringDecoder('utf8');
    decoder.write(first);
    expect(decoder.write(second).length).toBe(second.length);
    const lines = located([first, second]);
    for (const line of lines) expect(line.fromSource).toBe(line.text);
    expect(lines.map((l) => l.text)).toEqual(['a', '😀é', 'b']);
    expect(lines[2]!.isBytes).toBe(false);
  });

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

  it('reports the unfinished line: a prompt, the last state of a progress bar, nothing once it ends', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((text) => lines.push(text));
    expect(splitter.unfinished()).toBe('');
    splitter.push('ready\nName? ');
    expect(splitter.unfinished()).toBe('Name? ');
    splitter.push('bob\n');
    expect(splitter.unfinished()).toBe('');
    splitter.push(Buffer.from('10%\r20%\r'));
    expect(splitter.unfinished()).toBe('20%');
    splitter.push('x'.repeat(maxUnfinishedChars));
    expect(splitter.unfinished()).toBe(''); // longer than a prompt: still streaming in
    splitter.end();
    expect(splitter.unfinished()).toBe('');
    expect(lines).toEqual(['ready', 'Name? bob', 'x'.repeat(maxUnfinishedChars)]);
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
