import {existsSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {execa} from 'execa';
import {cliPath} from '../../helpers/cli.js';
import {fixtures} from '../../helpers/stack.js';
import {isAlive, waitFor} from '../../helpers/wait-for.js';
import {hasLiveMembers} from '../../../src/core/process-group.js';
import {makeControlProject, type ControlProject} from './control-project.js';

let stack: ControlProject | undefined;
afterEach(async () => {
  await stack?.dispose();
  stack = undefined;
});

const ticker = 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.1; done';

async function waitForState(s: ControlProject, name: string, state: string, extra: (p: {pid: number | null}) => boolean = () => true) {
  let last = '';
  return waitFor(async () => {
    const report = await s.status();
    last = JSON.stringify(report.processes.map((p) => [p.name, p.state, p.pid]));
    const p = report.processes.find((candidate) => candidate.name === name);
    return p && p.state === state && extra(p) ? p : undefined;
  }, {describe: () => last});
}

describe('control verbs against a headless stack', () => {
  it('status --json prints the SPEC §9 shape, and the table names every instance', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\nworker: sleep 100\n'});
    await stack.startHeadless(['-m', 'web=2']);
    // Headless samples nothing until a client asks: the first status may come before the processes
    // were spawned (its sample had none of them), and the next sample is a stats interval later.
    let result = await stack.run(['status', '--json']);
    await waitFor(async () => {
      result = await stack!.run(['status', '--json']);
      return (JSON.parse(result.stdout) as {processes: {rss: number}[]}).processes.every((p) => p.rss > 0);
    }, {describe: () => result.stdout});
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as {version: number; processes: Record<string, unknown>[]};
    expect(report.version).toBe(1);
    expect(report.processes.map((p) => p.name)).toEqual(['web.1', 'web.2', 'worker.1']);
    for (const p of report.processes) {
      expect(Object.keys(p).sort()).toEqual(['cpu', 'exit_code', 'name', 'pid', 'ports', 'restarts', 'rss', 'state', 'type', 'uptime_ms'].sort());
      expect(p).toMatchObject({type: expect.any(String), state: 'running', pid: expect.any(Number), restarts: 0, exit_code: null});
      expect(Array.isArray(p.ports)).toBe(true);
      expect(p.rss).toBeGreaterThan(0);
    }
    const table = await stack.run(['status']);
    expect(table.stdout).toMatch(/^NAME\s+STATE\s+PID/);
    expect(table.stdout).toMatch(/^web\.2\s+running\s+\d+/m);
    expect(table.stdout).toMatch(/^worker\.1\s+running\s+\d+/m);
  });

  it('status names the signal that ended a process, where the JSON has a null exit_code', async () => {
    stack = makeControlProject({Procfile: 'victim: sleep 100\nkeep: sleep 100\n'});
    await stack.startHeadless();
    await waitForState(stack, 'victim.1', 'running');
    expect((await stack.run(['signal', 'KILL', 'victim'])).exitCode).toBe(0);
    const ended = await waitForState(stack, 'victim.1', 'exited');
    expect(ended).toMatchObject({exit_code: null});
    const table = await stack.run(['status']);
    expect(table.stdout).toMatch(/^victim\.1\s+exited \(SIGKILL\)\s+-/m);
    expect(table.stdout).toMatch(/^keep\.1\s+running\s+\d+/m);
    // A stopped group (SIGSTOP) is still running in the JSON; the table says it is paused, until SIGCONT.
    expect((await stack.run(['signal', 'STOP', 'keep'])).exitCode).toBe(0);
    let last = '';
    await waitFor(async () => /^keep\.1\s+running \(paused\)\s+\d+/m.test((last = (await stack!.run(['status'])).stdout)), {describe: () => last});
    expect((await stack.status()).processes.find((p) => p.name === 'keep.1')).toMatchObject({state: 'running'});
    expect((await stack.run(['signal', 'CONT', 'keep'])).exitCode).toBe(0);
    await waitFor(async () => /^keep\.1\s+running\s+\d+/m.test((last = (await stack!.run(['status'])).stdout)), {describe: () => last});
  });

  it('restart gives a new pid, and starts a stopped process too', async () => {
    // `keep` keeps the headless run alive while web is stopped (it ends when every process has).
    stack = makeControlProject({Procfile: 'web: sleep 100\nkeep: sleep 100\n'});
    await stack.startHeadless();
    const before = (await stack.status()).processes[0]!.pid;
    const restarted = await stack.run(['restart', 'web.1']);
    expect(restarted.exitCode, restarted.all).toBe(0);
    expect(restarted.stdout).toMatch(/web\.1 restarted \(pid \d+\)/);
    const after = await waitForState(stack, 'web.1', 'running', (p) => p.pid !== before);
    expect(after.pid).not.toBe(before);
    expect(after.restarts).toBe(1);
    expect(isAlive(before!)).toBe(false);

    expect((await stack.run(['stop', 'web'])).exitCode).toBe(0);
    await waitForState(stack, 'web.1', 'stopped');
    expect((await stack.run(['restart', 'web'])).exitCode).toBe(0);
    await waitForState(stack, 'web.1', 'running');
  });

  it('stop with a type name stops all its instances', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\nother: sleep 100\n'});
    await stack.startHeadless(['-m', 'web=2']);
    const result = await stack.run(['stop', 'web']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('web.1 stopped');
    expect(result.stdout).toContain('web.2 stopped');
    const report = await stack.status();
    expect(report.processes.map((p) => [p.name, p.state])).toEqual([['web.1', 'stopped'], ['web.2', 'stopped'], ['other.1', 'running']]);
  });

  it('signal delivers SIGUSR1 to a process that traps it', async () => {
    stack = makeControlProject({Procfile: 'trap: $FIXTURES/trap-usr1.sh marker\n'});
    await stack.startHeadless();
    const marker = path.join(stack.dir, 'marker');
    // The trap is set before the script prints; wait for that line so the signal cannot arrive first.
    await waitFor(async () => (await stack!.run(['logs', 'trap', '-n', '5'])).stdout.includes('waiting for SIGUSR1'));
    const result = await stack.run(['signal', 'USR1', 'trap']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/SIGUSR1 sent to trap\.1/);
    await waitFor(() => existsSync(marker) && readFileSync(marker, 'utf8').includes('got-usr1'));
    expect((await stack.status()).processes[0]!.state).toBe('running');
  });

  it('scale adds and removes instances', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    await stack.startHeadless();
    expect((await stack.run(['scale', 'web=3'])).exitCode).toBe(0);
    const up = await stack.status();
    expect(up.processes.map((p) => [p.name, p.state])).toEqual([['web.1', 'running'], ['web.2', 'running'], ['web.3', 'running']]);
    const removedPids = up.processes.slice(1).map((p) => p.pid!);
    expect((await stack.run(['scale', 'web=1'])).exitCode).toBe(0);
    expect((await stack.status()).processes.map((p) => p.name)).toEqual(['web.1']);
    for (const pid of removedPids) expect(isAlive(pid)).toBe(false);
    // An unknown type refuses the whole request: web is not scaled first.
    const refused = await stack.run(['scale', 'web=3', 'nosuch=1']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe('procdeck: no process type "nosuch" (known: web)');
    expect((await stack.status()).processes.map((p) => p.name)).toEqual(['web.1']);
  });

  it('keeps what scaled-away instances printed, in all, for their type and by their name', async () => {
    stack = makeControlProject({Procfile: 'web: echo "hello from $PS"; exec sleep 100\n'});
    await stack.startHeadless();
    expect((await stack.run(['scale', 'web=3'])).exitCode).toBe(0);
    let all = '';
    await waitFor(async () => (all = (await stack!.run(['logs', '-n', '50'])).stdout).includes('hello from web.3'), {describe: () => all});
    expect((await stack.run(['scale', 'web=1'])).exitCode).toBe(0);
    all = (await stack.run(['logs', '-n', '50'])).stdout;
    for (const name of ['web.1', 'web.2', 'web.3']) expect(all).toContain(`hello from ${name}`);
    const ofType = (await stack.run(['logs', 'web', '-n', '50'])).stdout;
    for (const name of ['web.1', 'web.2', 'web.3']) expect(ofType).toContain(`hello from ${name}`);
    const byName = await stack.run(['logs', 'web.3', '-n', '50']);
    expect(byName.exitCode).toBe(0);
    expect(byName.stdout).toContain('hello from web.3');
    expect(byName.stdout).not.toContain('hello from web.2');
    // Never an instance: still unknown.
    expect((await stack.run(['logs', 'web.9'])).exitCode).toBe(2);
    // Scaled back up, web.2 goes on in the log it had.
    expect((await stack.run(['scale', 'web=2'])).exitCode).toBe(0);
    await waitFor(async () => ((await stack!.run(['logs', 'web.2', '-n', '50'])).stdout.match(/hello from web\.2/g) ?? []).length === 2);
  });

  it('restart ends what the old run daemonized (setsid, output to /dev/null) before the new run starts', async () => {
    stack = makeControlProject({Procfile: `server: (setsid sh -c 'echo $$ >> daemons; exec sleep 100' </dev/null >/dev/null 2>&1 &); exec sleep 100\n`});
    const s = stack;
    await s.startHeadless();
    const daemonsFile = path.join(s.dir, 'daemons');
    const daemons = () => (existsSync(daemonsFile) ? readFileSync(daemonsFile, 'utf8').trim().split('\n').map(Number) : []);
    await waitFor(() => daemons().length === 1, {describe: () => String(daemons())});
    const [first] = daemons();
    expect((await s.run(['restart', 'server'])).exitCode).toBe(0);
    await waitFor(() => daemons().length === 2, {describe: () => String(daemons())});
    expect(isAlive(first!)).toBe(false);
    // Named either way: by its run id once the group is gone, or, if a stats sample saw it in the group before it
    // called setsid (under load, a sample can land in that instant), as a known member that left the group.
    expect((await s.run(['logs', 'system', '-n', '20'])).stdout).toMatch(
      new RegExp(`server\\.1: ending pid ${first}(, which left the process group| \\(sleep\\), which it started and which left its process group and output)\n`),
    );
  });

  it('a restart still waiting when the stack quits ends with one line, not an internal error', async () => {
    // Each stop takes 1 s: the restart is still waiting when quit stops everything.
    stack = makeControlProject({Procfile: 'w: trap "sleep 1; exit 0" TERM; sleep 100 & wait\n'});
    await stack.startHeadless();
    await waitForState(stack, 'w.1', 'running');
    const restart = stack.run(['restart', 'w']);
    await waitForState(stack, 'w.1', 'stopping');
    expect((await stack.run(['quit'])).exitCode).toBe(0);
    const result = await restart;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^procdeck: (the stack stopped before the command finished|w\.1: the stack is shutting down)$/);
  });

  it('logs -n prints the last N lines, and -f follows new ones', async () => {
    stack = makeControlProject({Procfile: `tick: ${ticker}\n`});
    await stack.startHeadless();
    await waitFor(async () => (await stack!.run(['logs', 'tick.1', '-n', '3'])).stdout.includes('tick 5'));
    const tail = await stack.run(['logs', 'tick', '-n', '3']);
    const lines = tail.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^\d\d:\d\d:\d\d tick\.1 +\| tick \d+$/);
    const numbers = lines.map((line) => Number(/tick (\d+)$/.exec(line)![1]));
    expect(numbers).toEqual([numbers[0]!, numbers[0]! + 1, numbers[0]! + 2]);

    const follow = stack.run(['logs', 'tick', '-n', '1', '-f'], {timeoutMs: 30_000});
    let seen = '';
    follow.all?.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    const first = Number(/tick (\d+)/.exec(await waitFor(() => (/tick \d+/.test(seen) ? seen : undefined)))![1]);
    // Lines printed after the command started arrive while it runs.
    await waitFor(() => seen.includes(`tick ${first + 5}\n`), {describe: () => seen});
    expect((await stack.run(['quit'])).exitCode).toBe(0);
    const ended = await follow;
    expect(ended.exitCode).toBe(0);
  });

  // Regression: `logs -f` took the connection closing for the stack stopping and exited 0 in silence
  // when the procdeck was killed. Only a `stopped` event (the quit above) means the stack stopped.
  it('logs -f says the stack is gone and exits 1 when its procdeck is killed', async () => {
    stack = makeControlProject({Procfile: `tick: ${ticker}\n`});
    const {child} = await stack.startHeadless();
    const tick = (await waitForState(stack, 'tick.1', 'running')).pid!;
    const follow = stack.run(['logs', 'tick', '-f'], {timeoutMs: 30_000});
    let seen = '';
    follow.all?.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    await waitFor(() => /tick \d+/.test(seen), {describe: () => seen});
    process.kill(child.pid!, 'SIGKILL');
    const ended = await follow;
    expect(ended.exitCode, ended.all).toBe(1);
    expect(ended.stderr).toBe(`procdeck: lost the connection to the stack: its procdeck is gone (the next procdeck start in ${stack.dir} ends what it left running)`);
    // With procdeck killed nothing ends tick.1 (its loop may outlive the pipe by a sleep): the test does.
    process.kill(-tick, 'SIGKILL');
    await waitFor(() => !hasLiveMembers(tick), {describe: () => `group ${tick} still has members`});
  });

  it('logs marks a line the scrollback kept cut, as the UI does', async () => {
    stack = makeControlProject({Procfile: `long: head -c 200000 /dev/zero | tr '\\0' x; echo; echo short; sleep 100\n`});
    await stack.startHeadless();
    let out = '';
    await waitFor(async () => (out = (await stack!.run(['logs', 'long', '-n', '2'])).stdout).includes('short'), {describe: () => out.slice(-200)});
    const [long, short] = out.trim().split('\n');
    expect(long).toMatch(/\| x{65536} …\[cut\]$/);
    expect(short).toMatch(/\| short$/);
  });

  it('an unknown name is refused with exit 2 listing the known ones', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\nworker: sleep 100\n'});
    await stack.startHeadless();
    for (const args of [['restart', 'wbe'], ['stop', 'web', 'nope'], ['signal', 'USR1', 'nope'], ['logs', 'nope'], ['scale', 'nope=2']]) {
      const result = await stack.run(args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/known: .*web/);
    }
    // Nothing was done: the valid name in a request with an unknown one was not stopped.
    expect((await stack.status()).processes.every((p) => p.state === 'running')).toBe(true);
  });

  it('quit stops everything, removes the socket, and the stack exits 0', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\ntree: $FIXTURES/fork-tree.sh\n'});
    const {child} = await stack.startHeadless();
    const pids = (await stack.status()).processes.map((p) => p.pid!);
    const result = await stack.run(['quit']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('the stack has stopped');
    expect((await child).exitCode).toBe(0);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(existsSync(stack.paths.socket)).toBe(false);
    expect(existsSync(stack.paths.stateFile)).toBe(false);
  });

  it('quit says the stack is lost, exit 1, when its procdeck is killed before everything stopped', async () => {
    // stubborn ignores SIGTERM: the shutdown waits on it for 30 s, and procdeck is killed meanwhile.
    stack = makeControlProject({Procfile: 'stubborn: trap "" TERM; sleep 100 & wait\n'});
    const {child} = await stack.startHeadless(['-t', '30s']);
    const stubborn = (await waitForState(stack, 'stubborn.1', 'running')).pid!;
    const quit = stack.run(['quit']);
    await waitForState(stack, 'stubborn.1', 'stopping');
    process.kill(child.pid!, 'SIGKILL');
    const result = await quit;
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toContain('the stack has stopped');
    expect(result.stderr).toContain('lost the connection to the stack: its procdeck is gone');
    process.kill(-stubborn, 'SIGKILL');
    await waitFor(() => !hasLiveMembers(stubborn), {describe: () => `group ${stubborn} still has members`});
  });

  it('a stop still waiting when its procdeck is killed says the stack is lost, not stopped: everything still runs', async () => {
    stack = makeControlProject({Procfile: 'stubborn: trap "" TERM; sleep 100 & wait\n'});
    const {child} = await stack.startHeadless(['-t', '30s']);
    const stubborn = (await waitForState(stack, 'stubborn.1', 'running')).pid!;
    const stop = stack.run(['stop', 'stubborn']);
    await waitForState(stack, 'stubborn.1', 'stopping');
    process.kill(child.pid!, 'SIGKILL');
    const result = await stop;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`procdeck: lost the connection to the stack: its procdeck is gone (the next procdeck start in ${stack.dir} ends what it left running)`);
    expect(isAlive(stubborn)).toBe(true);
    process.kill(-stubborn, 'SIGKILL');
    await waitFor(() => !hasLiveMembers(stubborn), {describe: () => `group ${stubborn} still has members`});
  });

  it('every verb says no stack is running and exits 1 when none is', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    for (const args of [['status'], ['status', '--json'], ['restart', 'web'], ['stop', 'web'], ['signal', 'HUP', 'web'], ['scale', 'web=2'], ['logs'], ['quit']]) {
      const result = await stack.run(args);
      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(`no stack is running in ${stack.dir}`);
    }
  });

  // Regression: a daemon that accepted connections but never answered (SIGSTOP) made every verb
  // print `internal error: Error: …sock: the control socket did not answer within 5000ms` and a stack trace.
  it('a stopped procdeck gets one line naming its pid and how to wake it, exit 1, from every verb', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    const {child} = await stack.startHeadless();
    process.kill(child.pid!, 'SIGSTOP');
    try {
      const results = await Promise.all([['status'], ['restart', 'web'], ['quit']].map((args) => stack!.run(args)));
      for (const result of results) {
        expect(result.exitCode, result.all).toBe(1);
        expect(result.stderr).toBe(`procdeck: procdeck pid ${child.pid} is not answering on ${stack.paths.socket} within 5s (stopped? try kill -CONT ${child.pid})`);
      }
    } finally {
      process.kill(child.pid!, 'SIGCONT');
    }
    expect((await stack.status()).processes[0]!.state).toBe('running');
  });

  it('finds the stack with -f from another directory', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    await stack.startHeadless();
    const result = await execa('node', [cliPath, 'status', '-f', path.join(stack.dir, 'Procfile')], {
      cwd: '/', env: {...stack.env, FIXTURES: fixtures}, reject: false,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^web\.1\s+running/m);
  });

  it('a second start in the same directory exits 2 and says where the first runs', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    await stack.startHeadless();
    const second = await stack.run(['start', '--no-tui']);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toMatch(/already running here as pid \d+/);
    expect(second.stderr).toContain(stack.paths.socket);
    expect((await stack.status()).processes[0]!.state).toBe('running');
  });

  it('keeps the runtime directory 0700 and the socket 0600', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    await stack.startHeadless();
    expect(statSync(stack.paths.runtimeDir).mode & 0o777).toBe(0o700);
    const socket = statSync(stack.paths.socket);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
  });
});
