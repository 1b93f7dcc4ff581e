import stripAnsi from 'strip-ansi';
import {describe, expect, it} from 'vitest';
import {formatLogLine, highlightMatches, sanitizeText} from '../../../src/ui/log-view.js';
import {compileMatcher} from '../../../src/ui/search.js';

describe('sanitizeText', () => {
  it.each([
    ['plain', false, 'plain'],
    ['\u001B[31mred\u001B[39m', false, '\u001B[31mred\u001B[39m'],
    ['\u001B[31mred\u001B[39m', true, 'red'],
    ['a\tb', false, 'a    b'],
    ['move\u001B[2Aup', false, 'moveup'],
    ['bell\u0007 and \u0008back', false, 'bell and back'],
    ['link \u001B]8;;http://x\u0007text\u001B]8;;\u0007', false, 'link text'],
  ])('%j (NO_COLOR %s) becomes %j', (input, noColor, expected) => {
    expect(sanitizeText(input, noColor)).toBe(expected);
  });
});

describe('highlightMatches', () => {
  it('wraps each match and keeps the colors around it', () => {
    const out = highlightMatches('\u001B[32mgreen error here\u001B[39m and error', compileMatcher('error'), false, false);
    expect(stripAnsi(out)).toBe('green error here and error');
    expect(out.split('\u001B[7merror').length - 1).toBe(2);
    expect(out.startsWith('\u001B[32mgreen ')).toBe(true);
  });

  it('leaves a line without matches untouched', () => {
    expect(highlightMatches('nothing', compileMatcher('zzz'), false, false)).toBe('nothing');
  });
});

describe('formatLogLine', () => {
  const options = {noColor: true, nameWidth: 8, colorOfId: () => 'cyan' as const, search: null, currentMatchSeq: null};

  it('prefixes the instance name in the merged view and marks stderr', () => {
    const line = formatLogLine({seq: 1, id: 'web.1', stream: 'stderr', text: 'boom', time: 0}, true, options);
    expect(stripAnsi(line)).toBe('web.1    !boom');
  });

  it('marks a line cut to the scrollback limit', () => {
    const line = formatLogLine({seq: 1, id: 'web.1', stream: 'stdout', text: 'long', time: 0, cut: true}, false, options);
    expect(stripAnsi(line)).toBe(' long …[cut]');
  });
});
