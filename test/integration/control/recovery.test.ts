import {readdirSync, readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {isAlive, waitFor} from '../../helpers/wait-for.js';
import {readProcessEntry} from '../../../src/core/stats/process-table.js';
import type {StateFileContent} from '../../../src/control/state-file.js';
import {makeControlProject, type ControlProject} from './control-project.js';

const escapeFixture = path.resolve(import.meta.dirname, '../../fixtures/control/escape.sh');

let stack: ControlProject | undefined;
const strays: number[] = [];
const daemons: number[] = [];
afterEach(async () => {
  for (const pid of daemons.splice(0)) {
    if (isAlive(pid)) await stack?.run(['quit'], {timeoutMs: 15_000});
    await waitFor(() => !isAlive(pid), {timeoutMs: 15_000}).catch(() => process.kill(pid, 'SIGKILL'));
  }
  for (const pid of strays.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already ended, as the test wanted.
    }
  }
  await stack?.dispose();
  stack = undefined;
});

describe('orphan recovery after procdeck was killed hard', () => {
  it('the next start ends the groups a SIGKILLed procdeck left (and children that left them), escalating to SIGKILL, and says so', async () => {
    stack = makeControlProject({Procfile: `tree: $FIXTURES/fork-tree.sh\nstubborn: $FIXTURES/ignore-term.sh\nescape: ${escapeFixture}\n`});
    const {child} = await stack.startHeadless(['-t', '1s']);
    const report = await stack.status();
    const leaders = report.processes.map((p) => p.pid!);
    const treeLine = await waitFor(async () => /pids (\d+) (\d+)/.exec((await stack!.run(['logs', 'tree.1'])).stdout) ?? undefined);
    const grandchildren = [Number(treeLine[1]), Number(treeLine[2])];
    await waitFor(async () => (await stack!.run(['logs', 'stubborn.1'])).stdout.includes('ready'));
    const escapeLine = await waitFor(async () => /escaped (\d+)/.exec((await stack!.run(['logs', 'escape.1'])).stdout) ?? undefined);
    const escapee = Number(escapeLine[1]);
    strays.push(escapee);
    grandchildren.push(escapee);

    process.kill(child.pid!, 'SIGKILL');
    await child;
    // procdeck is gone; what it started is not (the reason recovery exists).
    for (const pid of [...leaders, ...grandchildren]) expect(isAlive(pid), `pid ${pid}`).toBe(true);
    // The verbs say so, rather than only that no stack is running.
    const status = await stack.run(['status']);
    expect(status.exitCode).toBe(1);
    expect(status.stderr).toBe(`procdeck: no stack is running in ${stack.dir}, but procdeck pid ${child.pid} was killed and left tree.1, stubborn.1, escape.1 running (the next procdeck start ends them first)`);

    await stack.startHeadless(['-t', '1s']);
    const system = (await stack.run(['logs', 'system', '-n', '50'])).stdout;
    expect(system).toMatch(/ended tree\.1 \(process group \d+, SIGTERM\)/);
    expect(system).toMatch(/ended stubborn\.1 \(process group \d+, SIGTERM, then SIGKILL\)/);
    for (const pid of [...leaders, ...grandchildren]) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    // The new stack runs escape.1 again: let its child leave the group before dispose quits the stack
    // (a shell killed while forking could otherwise leave one behind that nothing links to us).
    const again = await waitFor(async () => /escaped (\d+)/.exec((await stack!.run(['logs', 'escape.1'])).stdout) ?? undefined);
    strays.push(Number(again[1]));
  });

  it('also ends a readiness check left running, and says so in the headless output', async () => {
    stack = makeControlProject({
      Procfile: 'srv: sleep 100\n',
      // A check that never finishes on its own: its shell writes its pid (the check's group), then becomes sleep.
      'procdeck.yaml': 'processes:\n  srv:\n    ready: { exec: "echo $$ > probe.pid; exec sleep 100", interval: 100ms }\n',
    });
    const {child} = await stack.startHeadless();
    const probeFile = path.join(stack.dir, 'probe.pid');
    const probe = await waitFor(() => {
      try {
        return Number(readFileSync(probeFile, 'utf8')) || undefined;
      } catch {
        return undefined;
      }
    });
    strays.push(probe);
    // Recorded in the state file before the kill (its writes follow the check's start by a macrotask).
    await waitFor(() => (JSON.parse(readFileSync(stack!.paths.stateFile, 'utf8')) as StateFileContent).groups.some((group) => group.pgid === probe));
    process.kill(child.pid!, 'SIGKILL');
    await child;
    expect(isAlive(probe)).toBe(true);

    const second = await stack.startHeadless();
    expect(isAlive(probe)).toBe(false);
    await stack.run(['quit']);
    const output = (await second.child).all;
    expect(output).toMatch(new RegExp(`system \\| ended srv\\.1 ready check \\(process group ${probe}, SIGKILL\\), left running by procdeck pid ${child.pid}`));
  });

  it('never kills a live process whose pid is in the state file but whose start time differs (pid reuse)', async () => {
    stack = makeControlProject({Procfile: 'web: true\n'});
    const unrelated = spawn('sleep', ['100'], {detached: true, stdio: 'ignore'});
    strays.push(unrelated.pid!);
    const entry = await waitFor(() => readProcessEntry(unrelated.pid!) ?? undefined);
    const deadOwner = spawn('true');
    await new Promise((resolve) => deadOwner.once('exit', resolve));
    const content: StateFileContent = {
      version: 1,
      owner: {pid: deadOwner.pid!, startTime: 1},
      bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
      projectDir: stack.dir,
      groups: [{id: 'web.1', pgid: unrelated.pid!, startTime: entry.startTime - 1, stopSignal: 'SIGTERM', stopTimeoutMs: 100}],
    };
    mkdirSync(stack.paths.runtimeDir, {recursive: true, mode: 0o700});
    writeFileSync(stack.paths.stateFile, JSON.stringify(content));

    const result = await stack.run(['start', '--no-tui']);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).not.toContain('ended web.1');
    expect(isAlive(unrelated.pid!)).toBe(true);
  });

  // Regression: recovery said nothing while it waited out a leftover's stop
  // timeout, then `ended …` at once. The `ending` line must come first, a
  // stop timeout earlier than the `ended` one (their clock times prove it).
  it('says what it is ending before waiting for it, then how it ended', async () => {
    stack = makeControlProject({Procfile: 'stubborn: $FIXTURES/ignore-term.sh\n'});
    const {child} = await stack.startHeadless(['-t', '3s']);
    await waitFor(async () => (await stack!.run(['logs', 'stubborn.1'])).stdout.includes('ready'));
    const leader = (await stack.status()).processes[0]!.pid!;
    process.kill(child.pid!, 'SIGKILL');
    await child;

    const second = await stack.startHeadless(['-t', '3s']);
    expect(isAlive(leader)).toBe(false);
    await stack.run(['quit']);
    const output = (await second.child).all;
    const ending = new RegExp(`^(\\d\\d):(\\d\\d):(\\d\\d) system +\\| ending stubborn\\.1 \\(process group ${leader}\\), left running by procdeck pid ${child.pid}, which was killed$`, 'm').exec(output);
    const ended = /^(\d\d):(\d\d):(\d\d) system +\| ended stubborn\.1 \(process group \d+, SIGTERM, then SIGKILL\)/m.exec(output);
    expect(ending, output).not.toBeNull();
    expect(ended, output).not.toBeNull();
    const seconds = (match: RegExpExecArray) => Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
    expect((seconds(ended!) - seconds(ending!) + 86_400) % 86_400).toBeGreaterThanOrEqual(2);
  });

  // Regression: recovery found escapees only through parent links. Here the
  // escapee's parent (the instance's shell, its group's leader) died of
  // SIGPIPE once the daemon was gone, so nothing linked the old `sleep` to
  // the run and it lived on, unnamed. Every process of a run now carries the
  // run's id in its environment, and recovery ends those that do.
  it('ends a setsid descendant whose group leader died after the daemon was killed, and names it', async () => {
    stack = makeControlProject({Procfile: `app: setsid sh -c 'exec sleep 77353' & while true; do echo "app tick"; sleep 1; done\n`});
    const first = await startDaemon(stack);
    const [escapee] = await waitFor(() => findSleeps('77353').at(0) !== undefined && findSleeps('77353'));
    strays.push(escapee!);
    const leader = await waitFor(() => readState(stack!)?.groups.find((group) => group.id === 'app.1')?.pgid);
    process.kill(first, 'SIGKILL');
    // The loop's next echo finds no reader: the instance's shell dies of SIGPIPE, and with it the parent link.
    await waitFor(() => !isAlive(leader) && !isAlive(first), {describe: () => `leader ${leader} or daemon ${first} still alive`});
    expect(isAlive(escapee!)).toBe(true);

    const second = await stack.run(['start', '-D']);
    expect(second.exitCode, second.all).toBe(0);
    daemons.push(Number(/pid:\s+(\d+)/.exec(second.stdout)?.[1]));
    expect(second.stdout).toContain(`procdeck: ended app.1 (pid ${escapee}, which left its process group, SIGTERM), left running by procdeck pid ${first}, which was killed`);
    expect(isAlive(escapee!)).toBe(false);
    // The new daemon runs app.1 again, with a sleep of its own: quitting it ends that one; strays makes sure.
    strays.push(...(await waitFor(() => findSleeps('77353').length > 0 && findSleeps('77353'))));
  });
});

async function startDaemon(s: ControlProject): Promise<number> {
  const result = await s.run(['start', '-D']);
  expect(result.exitCode, result.all).toBe(0);
  const pid = Number(/pid:\s+(\d+)/.exec(result.stdout)?.[1]);
  daemons.push(pid);
  return pid;
}

function readState(s: ControlProject): StateFileContent | undefined {
  try {
    return JSON.parse(readFileSync(s.paths.stateFile, 'utf8')) as StateFileContent;
  } catch {
    return undefined; // not written yet
  }
}

/** Live `sleep ARG` processes of this user (a marker no other test uses). */
function findSleeps(arg: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8') === `sleep\0${arg}\0` && isAlive(Number(name))) pids.push(Number(name));
    } catch {
      // Ended, or another user's.
    }
  }
  return pids;
}
