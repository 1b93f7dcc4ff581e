import {describe, expect, it} from 'vitest';
import {copyableText, displayText, searchableText} from '../../../../src/ui/view/safe-text.js';

const ESC = '\u001B';

describe('displayText', () => {
  it.each([
    ['plain', false, 'plain'],
    [`${ESC}[31mred${ESC}[39m`, false, `${ESC}[31mred${ESC}[39m`],
    [`${ESC}[38;5;196mx${ESC}[38:2::1:2:3my${ESC}[0m`, false, `${ESC}[38;5;196mx${ESC}[38:2::1:2:3my${ESC}[0m`],
    [`${ESC}[31mred${ESC}[39m`, true, 'red'],
    [`move${ESC}[2Aup`, false, 'moveup'],
    ['bell\u0007 and \u0008back', false, 'bell and back'],
    [`link ${ESC}]8;;http://x\u0007text${ESC}]8;;${ESC}\\`, false, 'link text'],
  ])('%j (NO_COLOR %s) becomes %j', (input, noColor, expected) => {
    expect(displayText(input, noColor)).toBe(expected);
  });

  // Each would act on the terminal: a query makes it type its answer into procdeck's input
  // (read as keys), a mode outlives procdeck, a move draws over the screen.
  it.each([
    ['device attributes query', `a${ESC}[>cb`],
    ['primary DA query', `a${ESC}[cb`],
    ['terminal version query', `a${ESC}[>0qb`],
    ['kitty keyboard mode', `a${ESC}[>1u${ESC}[=5ub`],
    ['modifyOtherKeys (looks like SGR)', `a${ESC}[>4;2mb`],
    ['private mode: mouse reporting', `a${ESC}[?1000hb`],
    ['leave the alternate screen', `a${ESC}[?1049lb`],
    ['scroll region', `a${ESC}[1;5rb`],
    ['full reset', `a${ESC}cb`],
    ['charset', `a${ESC}(0b`],
    ['DCS', `a${ESC}Pq#0;2;0;0;0${ESC}\\b`],
    ['APC', `a${ESC}_Gsomething${ESC}\\b`],
    ['OSC 52 clipboard write', `a${ESC}]52;c;SE9TVElMRQ==\u0007b`],
    ['NUL inside a CSI: dropping it later would join ESC[2J', `a${ESC}[\u00002Jb`],
    ['BEL inside a CSI', `a${ESC}[\u0007Hb`],
    ['a control between ESC and [', `a${ESC}\u0000[2Jb`],
    ['8-bit CSI', 'a\u009B2Jb'],
  ])('drops %s whole, leaving no ESC', (_name, input) => {
    const out = displayText(input, false);
    expect(out).not.toContain(ESC);
    expect(out).not.toMatch(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/);
    expect(out.startsWith('a')).toBe(true);
    expect(out.endsWith('b')).toBe(true);
  });

  it('drops an unterminated string to the end of the line, as the terminal would swallow it', () => {
    expect(displayText(`title ${ESC}]0;no terminator`, false)).toBe('title ');
    expect(displayText(`cut ${ESC}[38;5`, false)).toBe('cut 38;5');
  });

  it('expands tabs to the next 8-column stop, counting wide characters and not counting colors', () => {
    expect(displayText('a\tX', false)).toBe('a       X');
    expect(displayText('abc\tX', false)).toBe('abc     X');
    expect(displayText('12345678\tX', false)).toBe('12345678        X');
    expect(displayText(`${ESC}[31mab${ESC}[0m\tX`, false)).toBe(`${ESC}[31mab${ESC}[0m      X`);
    expect(displayText('漢\tX', false)).toBe('漢      X');
  });
});

describe('searchableText', () => {
  it('is the text as shown, without colors', () => {
    expect(searchableText(`nul:A\u0000B${ESC}[31mC${ESC}[0m`)).toBe('nul:ABC');
    expect(searchableText('bs:abc\u0008XYZ')).toBe('bs:abcXYZ');
    expect(searchableText('tab:a\tb')).toBe('tab:a   b');
  });
});

describe('copyableText', () => {
  it('keeps tabs, drops escapes and other controls', () => {
    expect(copyableText(`a\tb${ESC}[31mc${ESC}[0m\u0007${ESC}]0;t`)).toBe('a\tbc');
  });
});
