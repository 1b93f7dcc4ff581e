import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {
  escapeComposeInterpolation, escapeKubernetesExpansion, escapeNonPlainChars, escapeSupervisorPlain, escapeSystemdPlain, isPlainText, quoteShellWord,
  quoteSupervisorArg, quoteSupervisorEnvPair, quoteSystemdExecArg, quoteSystemdWord, toComposeProjectName, toDnsLabel, toUnitNamePart,
} from '../../../src/export/quote.js';
import {readExecStart, splitWords, expandSpecifiers} from '../../fixtures/export/read-systemd.js';
import {nastyValues} from '../../fixtures/export/stacks.js';

const samples = [...Object.values(nastyValues), '', 'a\n;b\n#c\t;d', '\n\n', 'tab\there', 'bell\x07 and \x1b[31m escape', "'", '"', '\\', '%', '$'];

/** Every character Python's str.isspace() accepts (printed by Python 3.11 over all of Unicode): INI comments start after any of them. */
const pythonSpaces = [
  '\t', '\n', '\v', '\f', '\r', '\x1c', '\x1d', '\x1e', '\x1f', ' ', '\x85', '\xa0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003',
  '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
];
// The reported injection: \x1f; cut the line for configparser, and the next line's quotes flipped.
const injection = "GREETING=hi\x1f;x\n /bin/sh -c touch\\ /tmp/pwned 'y";
const spaceSamples = [injection, ...pythonSpaces.filter((space) => space !== '\r').flatMap((space) => [`x${space};y`, `x${space}#y`, `${space};`])];

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

  // Regression: a trailing backslash continued WorkingDirectory= onto the next line, and blanks at the ends were stripped.
  it.each(['/srv/app\\', '/srv/app ', '/srv/app\t', ' /srv/app'])('refuses the plain value %j, which a unit file cannot hold as written', (value) => {
    expect(() => escapeSystemdPlain(value, 'working directory')).toThrow(/working directory .*(blank|backslash)/);
  });

  it('refuses what no file can hold: NUL and lone surrogates', () => {
    expect(() => quoteSystemdWord('a\0b')).toThrow(/NUL/);
    expect(() => quoteSystemdWord('a\ud800b')).toThrow(/surrogate/);
    expect(() => escapeSystemdPlain('/srv/\udc00', 'working directory')).toThrow(/surrogate/);
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
    const values = [...samples, ...spaceSamples, 'x\u001f;y', 'café;crème #1'];
    const pairs = values.map((value, i) => [`V${i}`, value, quoteSupervisorEnvPair(`V${i}`, value)] as const).filter(([, , pair]) => pair !== undefined);
    expect(pairs.length).toBeGreaterThan(8);
    const job = {commands: values.map(quoteSupervisorArg), env: pairs.map(([, , pair]) => pair).join(',')};
    const run = spawnSync(python ?? 'python3', ['-c', readBack], {input: JSON.stringify(job), encoding: 'utf8'});
    expect(run.stderr).toBe('');
    const read = JSON.parse(run.stdout) as {commands: string[][]; env: Record<string, string>};
    expect(read.commands).toEqual(values.map((value) => [value]));
    expect(read.env).toEqual(Object.fromEntries(pairs.map(([key, value]) => [key, value])));
  });

  // Regression: JS \s missed \x1c-\x1f, \x85 and others Python counts as whitespace, so `\x1f;` started a
  // comment, cut the line and flipped the shell quoting of the next one. Every ; and # now follows printable ASCII.
  it.each([...samples, ...spaceSamples])('leaves no Python whitespace right before a ; or # in the argument %j', (value) => {
    const quoted = quoteSupervisorArg(value);
    for (const [i, char] of [...quoted].entries()) {
      if (char === ';' || char === '#') expect({char, before: [...quoted][i - 1]}).toEqual({char, before: expect.stringMatching(/^[\x21-\x7e]$/)});
    }
    expect(pythonSpaces.some((space) => [';', '#'].some((mark) => quoted.includes(`${space}${mark}`)))).toBe(false);
  });

  it.each(['x\u001f;y', 'x\x85#y', 'x\u3000;y', 'x\ty', 'x\x7fy', 'x\u2028y', 'x\ud800y'])('sends %j through env(1) instead of environment=, whose INI layer could cut it', (value) => {
    expect(quoteSupervisorEnvPair('A', value)).toBeUndefined();
  });

  it('refuses carriage returns and values a plain setting cannot hold', () => {
    expect(() => quoteSupervisorArg('a\rb')).toThrow(/carriage return/);
    expect(() => quoteSupervisorArg('a\ud800b')).toThrow(/surrogate/);
    expect(() => escapeSupervisorPlain('/srv/a ;b', 'working directory')).toThrow(/cannot be written/);
  });

  it.each(['/srv/a\x1f;b', '/srv/a\x85#b', '/srv/a\tb', '/srv/\xa0', '/srv/a\u2028b', '/srv/a\x7f'])('refuses the plain value %j (only allow-listed characters are written raw)', (value) => {
    expect(() => escapeSupervisorPlain(value, 'working directory')).toThrow(/cannot be written/);
  });

  it('still writes ordinary paths, non-ASCII letters included', () => {
    expect(escapeSupervisorPlain('/srv/café/100%;x#y', 'working directory')).toBe('/srv/café/100%%;x#y');
  });
});

describe('the allow-list of plain characters', () => {
  const unsafe = ['\t', '\n', '\r', '\x00', '\x1f', '\x7f', '\x85', '\x9b', '\xa0', '\u2028', '\u2029', '\u200b', '\ufeff', '\ufffe', '\uffff', '\ue000', '\ud800', ...pythonSpaces.filter((space) => space !== ' ')];

  it.each(unsafe)('counts %j as not plain and escapes it', (char) => {
    expect(isPlainText(`a${char}b`)).toBe(false);
    expect(escapeNonPlainChars(`a${char}b`)).toMatch(/^a\\(x[0-9a-f]{2}|u[0-9a-f]{4})b$/);
  });

  it('keeps printable ASCII, letters, marks, digits, punctuation and symbols as they are', () => {
    const text = 'plain ASCII !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ héllo ✓ ß 東京 e\u0301 😀 «»';
    expect(isPlainText(text)).toBe(true);
    expect(escapeNonPlainChars(text)).toBe(text);
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
