import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {fixtures} from '../helpers/stack.js';
import {TmuxTerminal} from '../helpers/tmux.js';
import {isAlive, waitFor} from '../helpers/wait-for.js';
import {makeControlProject, type ControlProject} from '../integration/control/control-project.js';

let stack: ControlProject | undefined;
let terminal: TmuxTerminal | undefined;
let daemonPid: number | undefined;

afterEach(async () => {
  terminal?.kill();
  terminal = undefined;
  if (daemonPid !== undefined && isAlive(daemonPid)) {
    await stack?.run(['quit']);
    await waitFor(() => !isAlive(daemonPid!), {timeoutMs: 15_000}).catch(() => process.kill(daemonPid!, 'SIGKILL'));
  }
  daemonPid = undefined;
  await stack?.dispose();
  stack = undefined;
});

const ticker = 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done';

async function startDaemon(s: ControlProject): Promise<number> {
  const result = await s.run(['start', '-D']);
  expect(result.exitCode, result.all).toBe(0);
  expect(result.stdout).toContain(`socket: ${s.paths.socket}`);
  expect(result.stdout).toContain(`logs:   ${s.paths.defaultLogDir}`);
  const pid = Number(/pid:\s+(\d+)/.exec(result.stdout)?.[1]);
  expect(isAlive(pid)).toBe(true);
  return pid;
}

async function openAttach(s: ControlProject): Promise<TmuxTerminal> {
  const term = await TmuxTerminal.open({cwd: s.dir, env: {...s.env, FIXTURES: fixtures}});
  term.type(`node ${cliPath} attach; echo "attach exited $?"`, {enter: true});
  return term;
}

/** A daemon running `web: sleep 100` (web.1's pid: `pid`), with a UI attached to it in `term`. */
async function attachToOneSleeper(): Promise<{s: ControlProject; daemon: number; term: TmuxTerminal; pid: number}> {
  const s = (stack = makeControlProject({Procfile: 'web: sleep 100\n'}));
  const daemon = (daemonPid = await startDaemon(s));
  const pid = (await s.status()).processes[0]!.pid!;
  const term = (terminal = await openAttach(s));
  await term.waitForScreen((screen) => /web\.1/.test(screen), {what: 'the attached UI'});
  return {s, daemon, term, pid};
}

describe('procdeck start -D, attach, detach, quit', () => {
  it('runs in the background, attaches the UI, detaches, answers status, and quits leaving nothing', async () => {
    stack = makeControlProject({Procfile: `web: ${ticker}\nworker: sleep 100\n`});
    daemonPid = await startDaemon(stack);
    const before = await stack.status();
    const pids = before.processes.map((p) => p.pid!);
    expect(before.processes.map((p) => p.state)).toEqual(['running', 'running']);

    terminal = await openAttach(stack);
    await terminal.waitForScreen((screen) => /web\.1/.test(screen) && /worker\.1/.test(screen) && /tick \d+/.test(screen), {what: 'the attached UI'});
    terminal.sendKeys('q');
    await terminal.waitForScreen((screen) => screen.includes('Stop the stack? [y] stop  [d] detach  [Esc] cancel'), {what: 'the quit prompt'});
    terminal.sendKeys('d');
    await terminal.waitForScreen((screen) => screen.includes('attach exited 0'), {what: 'attach to exit after detach'});

    // Detaching changed nothing: the same processes still run.
    const after = await stack.status();
    expect(after.processes.map((p) => [p.pid, p.state])).toEqual(before.processes.map((p) => [p.pid, 'running']));
    const status = await stack.run(['status']);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^web\.1\s+running/m);

    // The daemon keeps its logs on disk, in a directory only the user may read (they may hold secrets).
    const webLog = path.join(stack.paths.defaultLogDir, 'web.1.log');
    await waitFor(() => existsSync(webLog) && /^tick 1$/m.test(readFileSync(webLog, 'utf8')));
    expect(statSync(stack.paths.stateDir).mode & 0o777).toBe(0o700);

    const quit = await stack.run(['quit']);
    expect(quit.exitCode, quit.all).toBe(0);
    await waitFor(() => !isAlive(daemonPid!), {timeoutMs: 15_000});
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(stack.paths.socket)).toBe(false);
    expect(existsSync(stack.paths.stateFile)).toBe(false);
    expect((await stack.run(['status'])).exitCode).toBe(1);
  });

  it('y at the quit prompt of an attached UI stops the daemon and everything it runs', async () => {
    const {s, daemon, term, pid} = await attachToOneSleeper();
    term.sendKeys('q');
    await term.waitForScreen((screen) => screen.includes('Stop the stack?'), {what: 'the quit prompt'});
    term.sendKeys('y');
    const screen = await term.waitForScreen((screen) => screen.includes('attach exited 0'), {what: 'attach to exit after the stack stopped', timeoutMs: 15_000});
    expect(screen).not.toContain('stopped from elsewhere');
    await waitFor(() => !isAlive(daemon), {timeoutMs: 15_000});
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(s.paths.socket)).toBe(false);
  });

  it('an attached UI whose stack is stopped from elsewhere says so, instead of just vanishing', async () => {
    const {s, daemon, term} = await attachToOneSleeper();
    expect((await s.run(['quit'])).exitCode).toBe(0);
    const screen = await term.waitForScreen((screen) => screen.includes('attach exited 0'), {what: 'attach to exit', timeoutMs: 15_000});
    expect(screen).toContain('the stack was stopped from elsewhere (procdeck quit, or another attached UI)');
    await waitFor(() => !isAlive(daemon), {timeoutMs: 15_000});
  });

  it('an attached UI whose daemon is killed says the connection was lost and exits 1', async () => {
    const {daemon, term, pid} = await attachToOneSleeper();
    process.kill(daemon, 'SIGKILL');
    const screen = await term.waitForScreen((screen) => screen.includes('attach exited 1'), {what: 'attach to exit', timeoutMs: 15_000});
    expect(screen).toContain('procdeck: lost the connection to the stack: its procdeck is gone');
    // What the killed daemon left is the next start's to end (state file); here, the test's.
    process.kill(-pid, 'SIGKILL');
  });

  it('a second start -D while the daemon runs exits 2 and says where it runs', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    daemonPid = await startDaemon(stack);
    const second = await stack.run(['start', '-D']);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain(`already running here as pid ${daemonPid}`);
  });

  // Regression: when both passed the check before either daemon served, the loser's daemon refused
  // with exit 2, and the foreground said `the daemon (pid N) exited with code 2:` around that line, exit 1.
  it('two start -D at the same moment: one runs, the other says where, once, and exits 2', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    const results = await Promise.all([stack.run(['start', '-D']), stack.run(['start', '-D'])]);
    const winner = results.find((result) => result.exitCode === 0);
    const loser = results.find((result) => result !== winner);
    expect(winner, results.map((result) => result.all).join('\n---\n')).toBeDefined();
    daemonPid = Number(/pid:\s+(\d+)/.exec(winner!.stdout)?.[1]);
    expect(loser!.exitCode, loser!.all).toBe(2);
    expect(loser!.stderr.split('\n')).toHaveLength(1);
    expect(loser!.stderr).toMatch(new RegExp(`^procdeck: ${stack.dir}: procdeck is already running here(?: \\(pid| as pid) ${daemonPid}\\b`));
    expect((await stack.status()).processes).toHaveLength(1);
  });

  it('start -D with an invalid Procfile exits 2 in the foreground and leaves nothing running', async () => {
    stack = makeControlProject({Procfile: 'web sleep 100\n'});
    const result = await stack.run(['start', '-D']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/Procfile:1: /);
    expect(existsSync(stack.paths.socket)).toBe(false);
    expect((await stack.run(['status'])).exitCode).toBe(1);
  });

  it('attach with no stack running says so and exits 1', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    terminal = await openAttach(stack);
    await terminal.waitForScreen((screen) => screen.includes('attach exited 1'), {what: 'attach to fail'});
    expect(terminal.capture()).toContain('no stack is running');
  });

  it('attach exits with an error, not a hang, when the UI cannot be loaded (procdeck upgraded under a running daemon)', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    daemonPid = await startDaemon(stack);
    // A copy of the build without the UI's chunk, as an upgrade in progress leaves it.
    const broken = mkdtempSync(path.join(tmpdir(), 'procdeck-broken-'));
    try {
      cpSync(path.dirname(cliPath), broken, {recursive: true});
      for (const file of readdirSync(broken)) if (/^render-.*\.js$/.test(file)) rmSync(path.join(broken, file));
      const term = (terminal = await TmuxTerminal.open({cwd: stack.dir, env: stack.env}));
      term.type(`node ${path.join(broken, 'cli.js')} attach; echo "attach exited $?"`, {enter: true});
      const screen = await term.waitForScreen((s) => /attach exited \d+/.test(s), {what: 'attach to exit'});
      expect(screen).toMatch(/procdeck: internal error: .*render-/);
      expect(screen).toContain('attach exited 1');
      expect(isAlive(daemonPid)).toBe(true); // the stack is not attach's to stop
    } finally {
      rmSync(broken, {recursive: true, force: true});
    }
  });
});
