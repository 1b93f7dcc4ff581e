import {describe, expect, it, vi} from 'vitest';
import {Command} from 'commander';
import {registerCheck, describeStack} from '../../../src/commands/check.js';
import {loadStack} from '../../../src/config/load.js';
import {ConfigErrors, UsageError} from '../../../src/config/errors.js';
import {makeProject} from '../config/temp-project.js';

const project = {
  Procfile: 'web: npm start\nworker: node worker.js\n',
  '.env': 'PORT=6000\n',
  'procdeck.yaml': [
    'shutdown_timeout: 3s',
    'processes:',
    '  web:',
    '    instances: 2',
    '    restart: on-failure',
    '    ready: {http: "http://localhost:$PORT/health"}',
    '    depends_on: {db: ready}',
    '    max_memory: 512MiB',
    '  db:',
    '    command: postgres',
    '    stop_signal: SIGINT',
    '  backup:',
    '    command: ./backup.sh',
    '    cron: "0 3 * * *"',
    '    oneshot: true',
    '',
  ].join('\n'),
};

/** Runs `procdeck check ARGS` in `cwd`, returning stdout or the thrown error. */
async function runCheck(cwd: string, args: string[]): Promise<{stdout: string; error?: unknown}> {
  const program = new Command('procdeck').exitOverride();
  registerCheck(program);
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const chdir = vi.spyOn(process, 'cwd').mockReturnValue(cwd);
  try {
    await program.parseAsync(['check', ...args], {from: 'user'});
    return {stdout};
  } catch (error) {
    return {stdout, error};
  } finally {
    write.mockRestore();
    chdir.mockRestore();
  }
}

describe('procdeck check', () => {
  it('prints every process type with its instances, ports and policy', async () => {
    const dir = makeProject(project);
    const {stdout, error} = await runCheck(dir, []);
    expect(error).toBeUndefined();
    expect(stdout).toContain('4 process types, base port 6000');
    expect(stdout).toContain('read: Procfile, procdeck.yaml, .env (1 env variable)');
    expect(stdout).toMatch(/^web {5}npm start$/m);
    expect(stdout).toContain('2 instances, ports 6000-6001  [Procfile:1]');
    expect(stdout).toContain('restart on-failure (max 10, backoff 1s..30s); stop SIGTERM, SIGKILL after 3s');
    expect(stdout).toContain('ready when http http://localhost:$PORT/health (every 1s, up to 1m); depends on db (ready); max memory 512MiB');
    expect(stdout).toContain('1 instance, port 6100  [Procfile:2]');
    expect(stdout).toContain('restart no; stop SIGINT, SIGKILL after 3s');
    expect(stdout).toContain('oneshot; cron "0 3 * * *"');
    expect(stdout.trimEnd().endsWith('ok')).toBe(true);
  });

  it('applies -m, -p and -t', async () => {
    const dir = makeProject(project);
    const {stdout} = await runCheck(dir, ['-m', 'all=0,web=3', '-p', '7000', '-t', '10s']);
    expect(stdout).toContain('3 instances, ports 7000-7002');
    expect(stdout).toContain('0 instances (not started)');
    expect(stdout).toContain('stop SIGINT, SIGKILL after 10s');
  });

  it('throws every config problem, for program.ts to print with exit code 2', async () => {
    const dir = makeProject({...project, Procfile: 'web npm start\n'});
    const {error} = await runCheck(dir, []);
    expect(error).toBeInstanceOf(ConfigErrors);
    expect((error as Error).message).toContain('Procfile:1: expected "name: command", got "web npm start"');
  });

  it('rejects a bad -t as a usage error naming the flag', async () => {
    const dir = makeProject(project);
    const {error} = await runCheck(dir, ['-t', '5x']);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('--timeout: expected a duration like 500ms, 5s or 2m, got "5x"');
  });

  it('shows a non-default cwd relative to where it runs', async () => {
    const dir = makeProject({Procfile: 'web: x\n', 'app/.keep': '', 'procdeck.yaml': 'processes:\n  web:\n    cwd: app\n'});
    expect(describeStack(await loadStack({cwd: dir, env: {}}), dir)).toContain('1 instance, port 5000, cwd app  [Procfile:1]');
  });

  it('refuses a base port outside 1-65535, and one that would push a PORT past 65535', async () => {
    const dir = makeProject({Procfile: 'web: x\nworker: y\n'});
    expect(String((await runCheck(dir, ['-p', '99999'])).error)).toBe('UsageError: --port: expected a whole number from 1 to 65535, got "99999"');
    expect(String((await runCheck(dir, ['-p', '65500'])).error)).toBe('UsageError: worker.1 would get PORT 65600, above 65535 (pass a lower -p, or set a lower PORT)');
  });
});
