import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {displayKeyName, toKeyPress, toKeyPresses} from '../../../src/ui/key-names.js';

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

describe('toKeyPress', () => {
  it.each<[string, Partial<Key>, string, string]>([
    ['j', {}, 'j', 'j'],
    ['Q', {shift: true}, 'Q', 'Q'],
    ['', {downArrow: true}, 'down', ''],
    ['', {pageUp: true}, 'pageup', ''],
    ['u', {ctrl: true}, 'ctrl-u', ''],
    ['', {delete: true}, 'backspace', ''],
    ['', {escape: true, meta: true}, 'escape', ''],
    ['\r', {return: true}, 'enter', ''],
    ['paste me', {}, 'paste me', 'paste me'],
  ])('%j with %j is %j (text %j)', (input, flags, name, text) => {
    expect(toKeyPress(input, {...none, ...flags})).toEqual({name, text});
  });
});

describe('toKeyPresses', () => {
  it.each<[string, string[]]>([
    ['jjr', ['jjr']],
    ['/word\r', ['/word', 'enter']],
    ['jj\t', ['jj', 'tab']],
    ['ab\u007Fc', ['ab', 'backspace', 'c']],
    ['x\u0003', ['x', 'ctrl-c']],
  ])('%j is %j', (input, names) => {
    expect(toKeyPresses(input, none).map((press) => press.name)).toEqual(names);
  });
});

describe('displayKeyName', () => {
  it.each([['down', '↓'], ['ctrl-u', 'Ctrl-u'], ['pageup', 'PgUp'], ['j', 'j'], ['escape', 'Esc']])('%s reads %s', (name, shown) => {
    expect(displayKeyName(name)).toBe(shown);
  });
});
