import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {afterAll, describe, expect, it} from 'vitest';
import {exportSupervisord} from '../../../src/export/supervisord.js';
import {makeProcess, makeStack, nastyValues} from '../../fixtures/export/stacks.js';

const hasSupervisord = spawnSync('supervisord', ['--version'], {encoding: 'utf8'}).status === 0;
if (!hasSupervisord) console.warn('skipping supervisord tests: the supervisord binary is missing (apt-get install supervisor; .ci/run installs it)');

const dumpEnv = resolve('test/fixtures/export/dump-env.mjs');
const deadlineMs = 20_000;

interface Dump {
  env: Record<string, string>;
  cwd: string;
  parentArgv: string[];
  pid: number;
}

let work = '';
let supervisord: ChildProcess | undefined;

afterAll(async () => {
  if (supervisord && supervisord.exitCode === null) {
    spawnSync('supervisorctl', ['-c', join(work, 'supervisord.conf'), 'shutdown'], {encoding: 'utf8'});
    await waitFor(() => supervisord?.exitCode !== null || supervisord?.signalCode !== null, 'supervisord to exit', () => '').catch(() => {
      supervisord?.kill('SIGKILL'); // last resort so the test run never leaves it behind
    });
  }
  if (work) rmSync(work, {recursive: true, force: true});
});

async function waitFor<T>(probe: () => T | undefined | false, what: string, lastSeen: () => string): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last seen:\n${lastSeen()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: gone, which is what the caller hopes for
  }
}

describe.skipIf(!hasSupervisord)('supervisord export run by a real supervisord', () => {
  it('starts every instance with its exact env, PORT and command, runs nothing injected, and stops them all', async () => {
    work = mkdtempSync(join(tmpdir(), 'pd-sv-'));
    const out = join(work, 'out');
    const exportDir = join(work, 'export');
    mkdirSync(out);
    mkdirSync(exportDir);
    // The payload after `&&` is never run: it is only there to be carried verbatim.
    const webCommand = `node ${dumpEnv} "$OUT_DIR/$PS.json" && : 'unused "$(touch PWNED_CMD)" \`touch PWNED_TICK\` 100% %(here)s ; # \\'\n  indented second line`;
    // Regression: configparser took \x1f (Python whitespace, not JS \s) before ; for a comment, and ran the touch.
    const spaced = {GREETING: "hi\x1f;x\n /bin/sh -c touch\\ PWNED_SPACE 'y", NBSP: 'a\xa0#b', SEPARATOR: 'c\u2028;d'};
    const stack = makeStack([
      makeProcess('web', 0, {command: webCommand, instances: 2, env: {...nastyValues, ...spaced, OUT_DIR: out}, cwd: work, restart: 'on-failure'}),
      makeProcess('worker', 1, {command: `exec node ${dumpEnv} "$OUT_DIR/$PS.json"`, env: {OUT_DIR: out}, cwd: work, restart: 'always'}),
      makeProcess('migrate', 2, {command: `node ${dumpEnv} --once "$OUT_DIR/$PS.json"`, env: {OUT_DIR: out}, cwd: work, oneshot: true}),
      makeProcess('backup', 3, {cron: '0 3 * * *', cwd: work}),
    ], {root: work});
    const result = exportSupervisord(stack, {app: 'shop'});
    expect(result.warnings).toContainEqual(expect.stringMatching(/cron process backup/));
    for (const file of result.files) writeFileSync(join(exportDir, file.path), file.content);

    const conf = join(work, 'supervisord.conf');
    writeFileSync(conf, [
      '[supervisord]', `logfile=${work}/supervisord.log`, `pidfile=${work}/supervisord.pid`, `childlogdir=${work}`, 'nodaemon=true',
      '[unix_http_server]', `file=${work}/s.sock`,
      '[rpcinterface:supervisor]', 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      '[supervisorctl]', `serverurl=unix://${work}/s.sock`,
      '[include]', `files=${exportDir}/*.conf`, '',
    ].join('\n'));
    supervisord = spawn('supervisord', ['-n', '-c', conf], {cwd: work, stdio: 'ignore'});

    const status = (): string => {
      const run = spawnSync('supervisorctl', ['-c', conf, 'status'], {encoding: 'utf8'});
      return `${run.stdout}${run.stderr}`;
    };
    const expected = ['shop:shop-web-1', 'shop:shop-web-2', 'shop:shop-worker-1'];
    await waitFor(() => {
      const text = status();
      return expected.every((name) => new RegExp(`^${name}\\s+RUNNING`, 'm').test(text)) && /^shop:shop-migrate-1\s+EXITED/m.test(text);
    }, 'web.1, web.2, worker.1 RUNNING and migrate.1 EXITED', status);
    const names = ['web.1', 'web.2', 'worker.1', 'migrate.1'];
    await waitFor(() => names.every((name) => existsSync(join(out, `${name}.json`))), 'every instance to write its dump', () => readdirSync(out).join(' '));
    const dumps = Object.fromEntries(names.map((name) => [name, JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8')) as Dump]));

    for (const [key, value] of Object.entries({...nastyValues, ...spaced})) {
      expect({key, value: dumps['web.1']?.env[key]}).toEqual({key, value});
      expect({key, value: dumps['web.2']?.env[key]}).toEqual({key, value});
    }
    expect([dumps['web.1']?.env.PORT, dumps['web.2']?.env.PORT, dumps['worker.1']?.env.PORT, dumps['migrate.1']?.env.PORT]).toEqual(['5000', '5001', '5100', '5200']);
    expect(dumps['web.2']?.env.PS).toBe('web.2');
    expect(dumps['web.1']?.cwd).toBe(work);
    expect(dumps['web.1']?.parentArgv).toEqual(['/bin/sh', '-c', webCommand]);
    expect(readdirSync(work).filter((name) => name.startsWith('PWNED'))).toEqual([]);

    spawnSync('supervisorctl', ['-c', conf, 'shutdown'], {encoding: 'utf8'});
    await waitFor(() => supervisord?.exitCode !== null || supervisord?.signalCode !== null, 'supervisord to exit after shutdown', () => status());
    const pids = Object.values(dumps).map((dump) => dump.pid);
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 'every instance to be gone', () => pids.filter(isAlive).join(' '));
  });
});
