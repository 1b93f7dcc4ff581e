import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {
  escapeComposeInterpolation, escapeKubernetesExpansion, escapeSupervisorPlain, escapeSystemdPlain, quoteShellWord,
  quoteSupervisorArg, quoteSupervisorEnvPair, quoteSystemdExecArg, quoteSystemdWord, toComposeProjectName, toDnsLabel, toUnitNamePart,
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
  // Ask supervisord's own python (Debian's has its modules; a version manager's may not): its INI
  // parser (inline ; and # comments), then %-expansion, then shlex.split / dict_of_key_value_pairs.
  const python = ['/usr/bin/python3', 'python3'].find((candidate) => spawnSync(candidate, ['-c', 'import supervisor.datatypes'], {encoding: 'utf8'}).status === 0);
  if (python === undefined) console.warn('skipping supervisord read-back tests: no python3 with the supervisor package (apt-get install supervisor)');
  const readBack = [
    'import json, shlex, sys, configparser',
    'from supervisor.datatypes import dict_of_key_value_pairs',
    'def read(key, text):',
    '    parser = configparser.RawConfigParser(inline_comment_prefixes=(";", "#"), strict=False)',
    '    parser.read_string("[program:x]\\n" + key + "=" + text + "\\n")',
    '    return parser.get("program:x", key) % {}',
    'job = json.load(sys.stdin)',
    'print(json.dumps({"commands": [shlex.split(read("command", c)) for c in job["commands"]],',
    '                  "env": dict_of_key_value_pairs(read("environment", job["env"]))}))',
  ].join('\n');

  it.skipIf(python === undefined)('supervisord\'s config reader gets every command argument and environment= value back exactly', () => {
    const pairs = samples.map((value, i) => [`V${i}`, value, quoteSupervisorEnvPair(`V${i}`, value)] as const).filter(([, , pair]) => pair !== undefined);
    expect(pairs.length).toBeGreaterThan(8);
    const job = {commands: samples.map(quoteSupervisorArg), env: pairs.map(([, , pair]) => pair).join(',')};
    const run = spawnSync(python ?? 'python3', ['-c', readBack], {input: JSON.stringify(job), encoding: 'utf8'});
    expect(run.stderr).toBe('');
    const read = JSON.parse(run.stdout) as {commands: string[][]; env: Record<string, string>};
    expect(read.commands).toEqual(samples.map((value) => [value]));
    expect(read.env).toEqual(Object.fromEntries(pairs.map(([key, value]) => [key, value])));
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
