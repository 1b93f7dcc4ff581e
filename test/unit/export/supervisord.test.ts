import {describe, expect, it} from 'vitest';
import {exportSupervisord} from '../../../src/export/supervisord.js';
import {quoteSupervisorEnvPair} from '../../../src/export/quote.js';
import {makeFullStack, makeProcess, makeStack} from '../../fixtures/export/stacks.js';

/** `[section]` → key → value, ignoring continuation lines (enough for the one-line settings checked here). */
function readIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) sections.set(header[1] ?? '', (current = new Map()));
    else if (current && /^[a-z_]+=/.test(line)) current.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
  }
  return sections;
}

describe('supervisord export', () => {
  it('warns that a dependency with autostart off is not waited for', () => {
    const stack = makeStack([makeProcess('web', 0, {dependsOn: {debug: 'started'}}), makeProcess('debug', 1, {autostart: false})]);
    expect(exportSupervisord(stack, {app: 'shop'}).warnings).toEqual([
      'supervisord: web depends on debug, which has autostart: false, so it is not started, and web starts without it; procdeck holds web until you start debug',
    ]);
  });

  it('writes a program per type in one group, with numprocs for the instances', () => {
    const result = exportSupervisord(makeFullStack(), {app: 'shop'});
    expect(result.files.map((file) => file.path)).toEqual(['shop.conf']);
    const ini = readIni(result.files[0]?.content ?? '');
    expect(ini.get('group:shop')?.get('programs')).toBe('shop-web,shop-worker,shop-db,shop-migrate');
    const web = ini.get('program:shop-web');
    expect(web?.get('numprocs')).toBe('2');
    expect(web?.get('process_name')).toBe('%(program_name)s-%(process_num)d');
    expect(web?.get('autorestart')).toBe('unexpected');
    expect(web?.get('startretries')).toBe('3');
    expect(web?.get('stopsignal')).toBe('INT');
    expect(web?.get('stopwaitsecs')).toBe('10');
    expect(web?.get('stopasgroup')).toBe('true');
    expect(web?.get('killasgroup')).toBe('true');
    expect(ini.get('program:shop-worker')?.get('autorestart')).toBe('true');
    expect(ini.get('program:shop-migrate')?.get('autorestart')).toBe('false');
    expect(ini.get('program:shop-migrate')?.get('startsecs')).toBe('0');
  });

  it('starts dependencies first through priorities', () => {
    const ini = readIni(exportSupervisord(makeFullStack(), {app: 'shop'}).files[0]?.content ?? '');
    const priority = (name: string): number => Number(ini.get(`program:shop-${name}`)?.get('priority'));
    expect(priority('db')).toBeLessThan(priority('migrate'));
    expect(priority('migrate')).toBeLessThan(priority('web'));
  });

  it('leaves cron processes out with a warning, and lists a type scaled to 0 without starting it', () => {
    const stack = makeFullStack();
    stack.processes[1] = {...stack.processes[1]!, instances: 0};
    const result = exportSupervisord(stack, {app: 'shop'});
    expect(result.warnings).toContainEqual(expect.stringMatching(/cron process backup/));
    const ini = readIni(result.files[0]?.content ?? '');
    expect(ini.has('program:shop-backup')).toBe(false);
    expect(ini.get('program:shop-worker')?.get('autostart')).toBe('false');
  });

  it('writes user= from --user and never the exporting user\'s environment', () => {
    const content = exportSupervisord(makeFullStack(), {app: 'shop', user: 'deploy'}).files[0]?.content ?? '';
    expect(readIni(content).get('program:shop-web')?.get('user')).toBe('deploy');
    expect(content).not.toContain(process.env.PATH ?? 'unset');
  });

  it.each(['a b', '', 'x\ny', 'deploy;evil', 'ünï'])('refuses the --user %j, as every format does', (user) => {
    expect(() => exportSupervisord(makeFullStack(), {app: 'shop', user})).toThrow(/^--user: expected a user name or uid/);
  });

  // Regression: `x\x1f;y` went into environment= as "x\x1f;y", where configparser started a comment at the ;
  // and supervisord refused the file for the quote left open.
  it('sends a value with a control or odd space before ; through env(1), never environment=', () => {
    const stack = makeStack([makeProcess('web', 0, {env: {A: 'x\u001f;y', B: 'x\u3000#y'}})]);
    const web = readIni(exportSupervisord(stack, {app: 'shop'}).files[0]?.content ?? '').get('program:shop-web');
    expect(web?.get('environment')).not.toMatch(/\bA=|\bB=/);
    expect(web?.get('command')).toContain(`/usr/bin/env 'A=x\u001f'';y' 'B=x\u3000''#y'`);
  });

  it('sends values environment= cannot quote through env(1) in the command instead', () => {
    const stack = makeStack([makeProcess('web', 0, {env: {PLAIN: 'fine', TRICKY: `"both' kinds"`}})]);
    const web = readIni(exportSupervisord(stack, {app: 'shop'}).files[0]?.content ?? '').get('program:shop-web');
    expect(web?.get('environment')).toContain('PLAIN="fine"');
    expect(web?.get('environment')).not.toContain('TRICKY');
    expect(web?.get('command')).toContain(`/usr/bin/env 'TRICKY="both'"'"' kinds"'`);
  });
});

describe('quoteSupervisorEnvPair', () => {
  it.each([
    ['plain', 'A="plain"'],
    ['it\'s', 'A="it\'s"'],
    ['say "hi" now', `A='say "hi" now'`],
    ['100%', 'A="100%%"'],
    ['back\\slash', 'A="back\\slash"'],
  ])('quotes %j as %s', (value, expected) => {
    expect(quoteSupervisorEnvPair('A', value)).toBe(expected);
  });

  it.each([`"both' kinds"`, "'leading", 'trailing"', 'a ; b', 'a # b', 'two\nlines', '%(here)s'])('refuses %j, which its parser would change', (value) => {
    expect(quoteSupervisorEnvPair('A', value)).toBeUndefined();
  });
});
