/** `procdeck run`: one-off commands with the stack's environment, through the built CLI. */
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {makeProject, type Project} from '../../helpers/cli.js';
import {isAlive, waitFor, waitForPidFile} from '../../helpers/wait-for.js';

let project: Project | undefined;
const strays: number[] = [];
afterEach(() => {
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Ended, as the test wanted.
    }
  }
  project?.dispose();
  project = undefined;
});

describe('options before a command', () => {
  it('say the command is one, not an unknown process, unless a process has that name', async () => {
    project = makeProject({Procfile: 'web: node server.js\n', 'Procfile.2': 'check: echo checking\n'});
    const mistaken = await project.run(['-f', 'Procfile', 'check']);
    expect(mistaken.exitCode).toBe(2);
    expect(mistaken.stderr).toBe('procdeck: "check" is a command, not a process: put procdeck\'s options after it (see procdeck check --help)');
    const started = await project.run(['-f', 'Procfile.2', '--no-tui', 'check']);
    expect(started.stdout).toMatch(/check\.1 \| checking/);
  });
});

describe('procdeck --help and run --help', () => {
  it('say that bare procdeck is start, and that run takes its own options before the command', async () => {
    project = makeProject({Procfile: 'web: node server.js\n'});
    expect((await project.run(['--help'])).stdout).toContain('With no command, procdeck runs start: `procdeck -m web=2` is `procdeck start -m web=2`');
    expect((await project.run(['run', '--help'])).stdout).toContain("procdeck's options go before the command; what follows it is the command's own:");
  });
});

describe('procdeck run', () => {
  it('runs a shell line with the env files, a PORT and PS, and exits with its code', async () => {
    project = makeProject({Procfile: 'web: node server.js\nworker: node worker.js\n', '.env': 'GREETING=hello\n'});
    const result = await project.run(['run', 'echo "$GREETING $PORT $PS"; exit 3']);
    expect(result.all).toBe('hello 5000 run.1');
    expect(result.exitCode).toBe(3);
  });

  it('forces no colors on a command whose output is not procdeck\'s pipe (a file, a pager), and leaves Python\'s buffering to it', async () => {
    project = makeProject({Procfile: 'web: node server.js\n'});
    const result = await project.run(['run', 'echo "${FORCE_COLOR-unset} ${PYTHONUNBUFFERED-unset}"'], {env: {FORCE_COLOR: undefined, PYTHONUNBUFFERED: undefined}});
    expect(result.all).toBe('unset unset');
    // What the user set is theirs.
    expect((await project.run(['run', 'echo "$FORCE_COLOR"'], {env: {FORCE_COLOR: '2', NO_COLOR: undefined}})).all).toBe('2');
  });

  it('runs a Procfile entry by name as its first instance would run', async () => {
    project = makeProject({Procfile: 'web: echo web\nworker: echo "worker on $PORT as $PS"\n'});
    const result = await project.run(['run', 'worker']);
    expect(result.all).toBe('worker on 5100 as worker.1');
    expect(result.exitCode).toBe(0);
  });

  it('passes a SIGTERM sent to procdeck alone on to the whole command, leaving nothing behind', async () => {
    project = makeProject({Procfile: 'web: true\n'});
    const p = project;
    // A compound line keeps its shell: the signal must reach the sleep under it too.
    const run = p.run(['run', 'sleep 100 & echo $! > sleep.pid; wait; echo after']);
    const sleepPid = await waitForPidFile(path.join(p.dir, 'sleep.pid'));
    strays.push(sleepPid);
    process.kill(run.pid!, 'SIGTERM');
    const result = await run;
    await waitFor(() => !isAlive(sleepPid), {timeoutMs: 3000, describe: () => `sleep ${sleepPid} still alive`});
    expect(result.exitCode).toBe(143);
    expect(result.all).not.toContain('after');
  });

  it('passes a SIGINT sent to procdeck alone on when it is no terminal\'s foreground job (kill -INT, an IDE)', async () => {
    project = makeProject({Procfile: 'web: true\n'});
    const p = project;
    const run = p.run(['run', 'echo $$ > cmd.pid; exec sleep 100']);
    const commandPid = await waitForPidFile(path.join(p.dir, 'cmd.pid'));
    strays.push(commandPid);
    process.kill(run.pid!, 'SIGINT');
    const result = await run;
    expect(result.exitCode).toBe(130);
    expect(isAlive(commandPid)).toBe(false);
  });
});
