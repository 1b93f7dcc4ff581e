import {afterEach, describe, expect, it, vi} from 'vitest';
import {parse} from 'yaml';
import {toYamlDocument} from '../../../src/export/yaml-output.js';
import {nastyValues} from '../../fixtures/export/stacks.js';
import {parseYamlBothWays} from '../../fixtures/export/schemas.js';
import {asYaml11Lines, rawForbidden} from './yaml-checks.js';

const specials = {
  LS: 'x\u2028services:\u2028  evil:\u2028    privileged: true',
  PS: 'a\u2029b: c',
  NEL: 'a\x85- b',
  DEL: 'a\x7fb',
  C1: 'a\x9b31mb',
  BOM: '\ufeffa',
  NONCHARACTERS: 'a\ufffeb\uffff',
  TSV: '\tcol2\nrow2',
  TAB: 'a\tb',
  UNIT_SEPARATOR: 'x\x1f;y',
  ESCAPE: '\x1b[31mred',
  CR: 'a\rb',
  MULTI: 'line one\n  line two\n',
  LEADING_NEWLINE: '\nx',
  PRIVATE_USE: '\ue000',
  NBSP: 'a\xa0',
  ZERO_WIDTH: 'a\u200bb',
  ASTRAL: '😀 \u{10ffff}',
};

describe('toYamlDocument', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // Regression: the yaml package wrote U+2028, U+2029 and U+0085 raw (even inside double quotes), which
  // YAML 1.1 readers take for line breaks, so a value could add a service; DEL, C1 controls and U+FFFE made
  // the file unreadable to Go, and `\tcol2\nrow2` became a block scalar starting with a tab.
  it.each(Object.entries({...specials, ...nastyValues}))('writes %s so that every reader gets it back exactly', (name, value) => {
    const data = {services: {web: {environment: {[name]: value}, command: ['/bin/sh', '-c', value]}}};
    const text = toYamlDocument(data, {comment: ` from ${value}`});
    expect(text).not.toMatch(rawForbidden);
    expect(parseYamlBothWays(text)).toEqual([data]);
    expect(parse(asYaml11Lines(text), {version: '1.1'})).toEqual(data);
  });

  it('never writes a block scalar, whose indentation Go readers get wrong', () => {
    const text = toYamlDocument({a: 'one\ntwo', b: '\tcol2\nrow2', c: ' lead\ntrail \n\n'});
    expect(text).not.toMatch(/[|>][-+0-9]*$/m);
    expect(text.trim().split('\n')).toHaveLength(3);
  });

  it('escapes every character off the allow-list, plain ones stay plain', () => {
    expect(toYamlDocument({a: 'a\u2028b', b: 'a\x85b', c: 'a\ufffeb', d: 'héllo ✓', e: 'plain'})).toBe('a: "a\\u2028b"\nb: "a\\x85b"\nc: "a\\ufffeb"\nd: héllo ✓\ne: plain\n');
  });

  it('keeps a comment to comment lines, whatever it holds', () => {
    const text = toYamlDocument({a: 1}, {comment: ' path /srv/x\u2028b: 2\r\nc: 3\x85d: 4'});
    expect(text).not.toMatch(rawForbidden);
    expect(parse(asYaml11Lines(text), {version: '1.1'})).toEqual({a: 1});
  });

  it('refuses what no file can hold: NUL and lone surrogates', () => {
    expect(() => toYamlDocument({a: 'x\0y'})).toThrow(/NUL/);
    expect(() => toYamlDocument({a: 'x\ud800y'})).toThrow(/surrogate/);
    expect(() => toYamlDocument({a: ['x\udfffy']})).toThrow(/surrogate/);
  });

  // Regression: the check for values a YAML reader could take for something else parsed them with
  // yaml's parse(), which printed `[TAG_RESOLVE_FAILED] YAMLWarning` and `[BAD_DIRECTIVE]` to stderr.
  it.each(['!bang', '%(here)s', '%YAML 1.2', '!!binary x', '*alias', '&anchor x', '@x', '? x', '- x', 'a: b', '#x'])('quotes %j without printing a warning', (value) => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const text = toYamlDocument({a: value});
    expect(parseYamlBothWays(text)).toEqual([{a: value}]);
    expect(emitWarning).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
