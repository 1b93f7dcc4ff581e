import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {exportSystemd} from '../../../src/export/systemd.js';
import {cronToOnCalendar} from '../../../src/export/cron-calendar.js';
import {makeFullStack, makeProcess, makeStack, nastyValues} from '../../fixtures/export/stacks.js';
import {parseUnitFile, readExecStart, serviceEnvironment, type UnitFile} from '../../fixtures/export/read-systemd.js';

function unitsOf(result: ReturnType<typeof exportSystemd>): Map<string, UnitFile> {
  return new Map(result.files.map((file) => [file.path, parseUnitFile(file.content)]));
}

function value(unit: UnitFile | undefined, section: string, key: string): string[] | undefined {
  return unit?.get(section)?.get(key);
}

describe('systemd export', () => {
  it('writes a target wanting one unit per instance and the cron timer', () => {
    const units = unitsOf(exportSystemd(makeFullStack(), {app: 'shop'}));
    expect([...units.keys()]).toEqual([
      'shop.target', 'shop-web-1.service', 'shop-web-2.service', 'shop-worker-1.service', 'shop-db-1.service',
      'shop-migrate-1.service', 'shop-backup.service', 'shop-backup.timer',
    ]);
    expect(value(units.get('shop.target'), 'Unit', 'Wants')?.[0]?.split(' ')).toEqual([
      'shop-web-1.service', 'shop-web-2.service', 'shop-worker-1.service', 'shop-db-1.service', 'shop-migrate-1.service', 'shop-backup.timer',
    ]);
  });

  it('gives each instance its own PORT and PS, and never the exporting user\'s environment', () => {
    const units = unitsOf(exportSystemd(makeFullStack(), {app: 'shop'}));
    expect(serviceEnvironment(units.get('shop-web-2.service') as UnitFile)).toEqual({
      DATABASE_URL: 'postgres://localhost/app', SHARED: 'from .env', LOG_LEVEL: 'debug', PORT: '5001', PS: 'web.2',
    });
    expect(serviceEnvironment(units.get('shop-worker-1.service') as UnitFile).PORT).toBe('5100');
    expect(JSON.stringify([...units.values()].map((unit) => [...unit.entries()].map(([k, v]) => [k, [...v.entries()]])))).not.toContain(process.env.PATH ?? 'unset');
  });

  it('maps the stop, restart and user policies', () => {
    const units = unitsOf(exportSystemd(makeFullStack(), {app: 'shop', user: 'deploy'}));
    const web = units.get('shop-web-1.service');
    expect(value(web, 'Service', 'User')).toEqual(['deploy']);
    expect(value(web, 'Service', 'WorkingDirectory')).toEqual(['/srv/app']);
    expect(value(web, 'Service', 'Restart')).toEqual(['on-failure']);
    expect(value(web, 'Service', 'KillMode')).toEqual(['control-group']);
    expect(value(web, 'Service', 'KillSignal')).toEqual(['SIGINT']);
    expect(value(web, 'Service', 'TimeoutStopSec')).toEqual(['10000ms']);
    expect(value(web, 'Unit', 'StartLimitBurst')).toEqual(['4']);
    expect(value(web, 'Unit', 'Wants')).toEqual(['shop-db-1.service']);
    expect(value(web, 'Unit', 'Requires')).toEqual(['shop-migrate-1.service']);
    expect(value(web, 'Unit', 'After')?.[0]).toBe('shop-db-1.service shop-migrate-1.service');
    expect(value(units.get('shop-worker-1.service'), 'Service', 'Restart')).toEqual(['always']);
    expect(value(units.get('shop-migrate-1.service'), 'Service', 'Type')).toEqual(['oneshot']);
    expect(value(units.get('shop-migrate-1.service'), 'Service', 'RemainAfterExit')).toEqual(['yes']);
    expect(value(units.get('shop-backup.timer'), 'Timer', 'OnCalendar')).toEqual(['*-*-* 03:00:00']);
  });

  // Regression: a oneshot with restart: on-failure got StartLimitBurst= but no Restart=, so it was never retried.
  it('retries a failed oneshot as procdeck does, with Restart=on-failure (systemd refuses always there)', () => {
    for (const restart of ['on-failure', 'always'] as const) {
      const stack = makeStack([makeProcess('migrate', 0, {oneshot: true, restart, maxRestarts: 5})]);
      const unit = unitsOf(exportSystemd(stack, {app: 'shop'})).get('shop-migrate-1.service');
      expect([value(unit, 'Service', 'Restart'), value(unit, 'Service', 'RestartSec'), value(unit, 'Unit', 'StartLimitBurst')]).toEqual([['on-failure'], ['1000ms'], ['6']]);
    }
  });

  it('holds a unit others wait on until its ready check passes, and only that one', () => {
    const units = unitsOf(exportSystemd(makeFullStack(), {app: 'shop'}));
    const db = units.get('shop-db-1.service');
    expect(readExecStart(value(db, 'Service', 'ExecStartPost')?.[0] ?? '')).toEqual(['/bin/sh', '-c', 'until /bin/sh -c "$1"; do sleep 0.5; done', 'sh', "nc -z 127.0.0.1 '5432'"]);
    expect(value(db, 'Service', 'TimeoutStartSec')).toEqual(['30000ms']);
    expect(value(units.get('shop-web-1.service'), 'Service', 'ExecStartPost')).toBeUndefined();
  });

  // Regression: the check was pasted into `until CHECK; do ...`, where a `# comment` commented out the
  // rest of the loop and a trailing `&` was a syntax error. It is now an argument of its own: `sh -n`
  // accepts the loop, and running the loop ends as soon as the check passes.
  it.each(['test -e ready.flag # written by the app once it listens', 'test -e ready.flag &', `[ -e ready.flag ] && echo "it's up; #1" >/dev/null`])('keeps the ready loop working for the exec check %j', (check) => {
    const stack = makeStack([
      makeProcess('db', 0, {ready: {check: {kind: 'exec', command: check}, intervalMs: 100, timeoutMs: 5000}}),
      makeProcess('web', 1, {dependsOn: {db: 'ready'}}),
    ]);
    const post = value(unitsOf(exportSystemd(stack, {app: 'shop'})).get('shop-db-1.service'), 'Service', 'ExecStartPost')?.[0] ?? '';
    const [shell = '', ...args] = readExecStart(post);
    expect(spawnSync('/bin/sh', ['-n', ...args], {encoding: 'utf8'}).stderr).toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'procdeck-ready-'));
    try {
      writeFileSync(join(dir, 'ready.flag'), '');
      const run = spawnSync(shell, args, {cwd: dir, encoding: 'utf8', timeout: 5000});
      expect({status: run.status, stderr: run.stderr}).toEqual({status: 0, stderr: ''});
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  // Regression: a cwd ending in a backslash continued WorkingDirectory= onto the next line, and blanks at its ends were stripped.
  it.each(['/srv/app\\', '/srv/app ', '/srv/a\nPrivileged=yes'])('refuses a working directory a unit file cannot hold: %j', (cwd) => {
    expect(() => exportSystemd(makeStack([makeProcess('web', 0, {cwd})]), {app: 'shop'})).toThrow(/working directory/);
  });

  it('keeps the generated-by comment on one line whatever the Procfile path holds', () => {
    const stack = makeStack([makeProcess('web', 0)], {procfilePath: '/srv/a\nExecStartPre=/bin/evil\\\r\u2028x/Procfile'});
    for (const file of exportSystemd(stack, {app: 'shop'}).files) {
      expect(file.content.split('\n')[0]).toMatch(/^# Generated by procdeck export .*\\x0aExecStartPre=\/bin\/evil\\\\x0d\\u2028x\/Procfile; edit/);
      expect(file.content).not.toMatch(/^ExecStartPre/m);
      expect(() => parseUnitFile(file.content)).not.toThrow();
    }
  });

  it('runs the command through /bin/sh -c, literally', () => {
    const units = unitsOf(exportSystemd(makeFullStack(), {app: 'shop'}));
    expect(readExecStart(value(units.get('shop-web-1.service'), 'Service', 'ExecStart')?.[0] ?? '')).toEqual(['/bin/sh', '-c', 'node server.js --port $PORT']);
  });

  it('round-trips env values and commands full of quotes, $, %, backslashes and newlines exactly', () => {
    const command = `printf '%s\\n' "$(echo hi)" \`date\` 100% "it's" \\\\ ; echo $PORT\necho second line`;
    const stack = makeStack([makeProcess('web', 0, {command, env: nastyValues})]);
    const unit = unitsOf(exportSystemd(stack, {app: 'shop'})).get('shop-web-1.service') as UnitFile;
    expect(serviceEnvironment(unit)).toEqual({...nastyValues, PORT: '5000', PS: 'web.1'});
    expect(readExecStart(value(unit, 'Service', 'ExecStart')?.[0] ?? '')).toEqual(['/bin/sh', '-c', command]);
  });

  it('leaves a process with autostart off out of the target', () => {
    const stack = makeStack([makeProcess('web', 0), makeProcess('debug', 1, {autostart: false})]);
    const units = unitsOf(exportSystemd(stack, {app: 'shop'}));
    expect(value(units.get('shop.target'), 'Unit', 'Wants')).toEqual(['shop-web-1.service']);
    expect(units.get('shop-debug-1.service')?.has('Install')).toBe(false);
  });

  // Regression: depends_on on an autostart: false process gave the unit Wants= (or Requires=) on it, so
  // starting the stack started it, which `procdeck start` never does. Now the unit is only ordered after it.
  it('orders a unit after a dependency with autostart off without starting it, and says so', () => {
    const stack = makeStack([
      makeProcess('web', 0, {dependsOn: {debug: 'started', migrate: 'completed'}}),
      makeProcess('debug', 1, {autostart: false}),
      makeProcess('migrate', 2, {autostart: false, oneshot: true}),
    ]);
    const result = exportSystemd(stack, {app: 'shop'});
    const web = unitsOf(result).get('shop-web-1.service');
    expect([value(web, 'Unit', 'Wants'), value(web, 'Unit', 'Requires')]).toEqual([undefined, undefined]);
    expect(value(web, 'Unit', 'After')).toEqual(['shop-debug-1.service shop-migrate-1.service']);
    expect(result.warnings).toEqual(['debug', 'migrate'].map((name) => `systemd: web depends on ${name}, which has autostart: false, so its unit is only ordered after ${name}'s and does not start it: while ${name} is not started, web starts without waiting; procdeck holds web until you start ${name}`));
  });

  it('sanitises the app name into a unit name and rejects a bad --user', () => {
    expect(exportSystemd(makeStack([makeProcess('web', 0)]), {app: 'my app!'}).files[0]?.path).toBe('my-app.target');
    expect(() => exportSystemd(makeStack([makeProcess('web', 0)]), {app: 'a', user: 'x; rm -rf /'})).toThrow(/--user/);
  });
});

describe('cron to OnCalendar', () => {
  const backup = (cron: string): ReturnType<typeof makeProcess> => makeProcess('backup', 0, {cron});

  it.each([
    ['0 3 * * *', ['*-*-* 03:00:00']],
    ['*/15 * * * *', ['*-*-* *:00,15,30,45:00']],
    ['30 8 * * 1-5', ['Mon,Tue,Wed,Thu,Fri *-*-* 08:30:00']],
    ['0 0 1 jan,jul *', ['*-01,07-01 00:00:00']],
    ['0 12 1 * 0', ['*-*-01 12:00:00', 'Sun *-*-* 12:00:00']],
    ['0 3 * * 5-7', ['Sun,Fri,Sat *-*-* 03:00:00']],
    ['@weekly', ['Sun *-*-* 00:00:00']],
    // A calendar has seconds, so procdeck's 6-field form carries over whole.
    ['*/20 30 8 * * *', ['*-*-* 08:30:00,20,40']],
  ])('turns %s into %j', (cron, expected) => {
    expect(cronToOnCalendar(backup(cron))).toEqual(expected);
  });

  it.each(['0 0 L * *', '0 0 * * 5#2', '0 0 15W * *', '@reboot'])('refuses %j, naming the process and the fix', (cron) => {
    expect(() => cronToOnCalendar(backup(cron))).toThrow(/^systemd: process backup \(Procfile:1\) has cron ".*": .* \((write|use) .*\)$/);
  });
});
