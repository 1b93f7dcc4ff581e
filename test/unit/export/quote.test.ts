import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {
  escapeComposeInterpolation, escapeKubernetesExpansion, escapeSupervisorPlain, escapeSystemdPlain, quoteShellWord,
  quoteSupervisorArg, quoteSystemdExecArg, quoteSystemdWord, toComposeProjectName, toDnsLabel, toUnitNamePart,
} from '../../../src/export/quote.js';
import {readExecStart, splitWords, expandSpecifiers} from '../../fixtures/export/read-systemd.js';
import {nastyValues} from '../../fixtures/export/stacks.js';

const samples = [...Object.values(nastyValues), '', 'a\n;b\n#c\t;d', '\n\n', 'tab\there', 'bell\x07 and \x1b[31m escape', "'", '"', '\\', '%', '$'];

describe('systemd quoting', () => {
  it.each(samples)('reads %j back exactly from a quoted word', (value) => {
    expect(splitWords(expandSpecifiers(quoteSystemdWord(value)))).toEqual([value]);
  });

  it.each(samples)('reads %j back exactly from an ExecStart argument', (value) => {
    expect(readExecStart(`/bin/sh -c ${quoteSystemdExecArg(value)}`)).toEqual(['/bin/sh', '-c', value]);
  });

  it('never writes a line break, so a value cannot start a new setting', () => {
    expect(quoteSystemdWord('a\nExecStartPre=/bin/rm -rf /')).not.toContain('\n');
  });

  it('refuses a path with a line break and doubles % in plain values', () => {
    expect(() => escapeSystemdPlain('/srv/a\nb', 'working directory')).toThrow(/line break/);
    expect(escapeSystemdPlain('/srv/100%', 'working directory')).toBe('/srv/100%%');
  });
});

describe('supervisord command quoting', () => {
  // Python's shlex is the reader supervisord uses; when python3 is here, ask it directly.
  const hasPython = spawnSync('python3', ['-c', 'import shlex'], {encoding: 'utf8'}).status === 0;

  // supervisord's own reading: its INI parser (inline ; and # comments), then %-expansion, then shlex.split.
  const readBack = [
    'import json, shlex, sys, configparser',
    'parser = configparser.RawConfigParser(inline_comment_prefixes=(";", "#"), strict=False)',
    'parser.read_string("[program:x]\\ncommand=" + sys.stdin.read() + "\\n")',
    'print(json.dumps(shlex.split(parser.get("program:x", "command") % {})))',
  ].join('\n');

  it.skipIf(!hasPython).each(samples)('supervisord\'s config reader gets %j back exactly', (value) => {
    const run = spawnSync('python3', ['-c', readBack], {input: quoteSupervisorArg(value), encoding: 'utf8'});
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([value]);
  });

  it('never leaves whitespace before ; or #, which supervisord would take for a comment', () => {
    for (const value of samples) expect(quoteSupervisorArg(value)).not.toMatch(/\s[;#]/);
  });

  it('refuses carriage returns and values a plain setting cannot hold', () => {
    expect(() => quoteSupervisorArg('a\rb')).toThrow(/carriage return/);
    expect(() => escapeSupervisorPlain('/srv/a ;b', 'working directory')).toThrow(/cannot be written/);
  });
});

describe('engine escapes and names', () => {
  it('doubles every $ for Compose and Kubernetes', () => {
    expect(escapeComposeInterpolation('$A ${B} $$ $(c)')).toBe('$$A $${B} $$$$ $$(c)');
    expect(escapeKubernetesExpansion('$(VAR) $$')).toBe('$$(VAR) $$$$');
  });

  it('quotes a shell word that sh reads back exactly', () => {
    for (const value of samples) {
      const run = spawnSync('/bin/sh', ['-c', `printf '%s' ${quoteShellWord(value)}`], {encoding: 'utf8'});
      expect(run.stdout).toBe(value);
    }
  });

  it.each([
    ['My Shop!', 'My-Shop', 'my-shop', 'my-shop'],
    ['shop_v2', 'shop_v2', 'shop_v2', 'shop-v2'],
    ['---', 'app', 'app', 'app'],
  ])('sanitises %j per format', (input, unit, compose, dns) => {
    expect([toUnitNamePart(input), toComposeProjectName(input), toDnsLabel(input)]).toEqual([unit, compose, dns]);
  });

  it('keeps DNS labels within their length limit', () => {
    expect(toDnsLabel('x'.repeat(100))).toHaveLength(63);
  });
});
