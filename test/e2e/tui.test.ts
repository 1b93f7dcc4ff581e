/**
 * The built CLI's terminal UI in a real terminal (tmux): keys in, screen out.
 * Each test runs the three-process stack of test/fixtures/ui in its own
 * temp directory and ends with no process left in it.
 */
import {copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {waitFor} from '../helpers/wait-for.js';
import {TmuxTerminal} from '../helpers/tmux.js';

// PROCDECK_E2E_CLI lets a run use a private build while others rebuild dist/ in a shared tree.
const cli = process.env.PROCDECK_E2E_CLI ?? path.resolve(import.meta.dirname, '../../dist/cli.js');
const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/ui');
const stopTimeoutMs = 3000;

let term: TmuxTerminal | undefined;
let stackDir: string | undefined;

afterEach(async () => {
  term?.kill();
  term = undefined;
  if (stackDir) {
    const dir = stackDir;
    stackDir = undefined;
    // The killed pane sends procdeck SIGHUP, which stops the stack; make sure.
    await waitFor(() => processesIn(dir).length === 0, {timeoutMs: 8000, describe: () => `still running: ${processesIn(dir).join(', ')}`}).catch(() => {
      for (const pid of processesIn(dir)) killQuietly(pid);
    });
    rmSync(dir, {recursive: true, force: true});
  }
});

/** Opens a terminal in a fresh copy of the fixture stack and starts procdeck there. */
async function startStack(options: {env?: Record<string, string>; columns?: number; rows?: number} = {}): Promise<TmuxTerminal> {
  stackDir = mkdtempSync(path.join(tmpdir(), 'procdeck-e2e-'));
  for (const file of ['Procfile', 'ticker.sh']) copyFileSync(path.join(fixtureDir, file), path.join(stackDir, file));
  term = await TmuxTerminal.open({cwd: stackDir, env: {MARKER_DIR: stackDir, ...options.env}, columns: options.columns, rows: options.rows});
  term.type(`node ${cli} start -f Procfile -t ${stopTimeoutMs / 1000}s; echo "exit=$?"`, {enter: true});
  await term.waitForScreen((s) => s.includes('clock.1') && /tick \d+/.test(s), {what: 'the process list and a tick'});
  return term;
}

/** The pid the list shows for an instance. */
function pidIn(screen: string, id: string): number | null {
  const match = new RegExp(`^. ${id.replace('.', '\\.')}\\s+running\\s+(\\d+)`, 'm').exec(screen);
  return match ? Number(match[1]) : null;
}

/** Pids of processes whose working directory is `dir`: procdeck and the stack, not the pane's shell. */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) !== dir) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const isZombie = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
      const isPaneShell = readFileSync(`/proc/${entry}/cmdline`, 'utf8') === 'sh\u0000';
      if (!isZombie && !isPaneShell) pids.push(Number(entry));
    } catch {
      // The process ended between readdir and reading it: it is not left behind.
    }
  }
  return pids;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

describe('terminal UI (tmux)', {timeout: 40_000}, () => {
  it('shows every process of a 3-process stack and their log lines', async () => {
    const t = await startStack();
    const screen = t.capture();
    for (const id of ['web.1', 'worker.1', 'clock.1']) expect(screen).toMatch(new RegExp(`^● ${id.replace('.', '\\.')}\\s+running`, 'm'));
    expect(screen).toMatch(/^procdeck procdeck-e2e-\S+\s+3\/3 running/m);
    expect(screen).toMatch(/│(web|worker|clock)\.1\s+ ?(web|worker|clock) (tick|warm-up) \d+/);
  });

  it('j changes the log shown to the next process', async () => {
    const t = await startStack();
    t.sendKeys('j');
    let screen = await t.waitForScreen((s) => /│ web\.1 ● running/.test(s) && s.includes('web tick'), {what: "web.1's log"});
    expect(screen).not.toMatch(/(worker|clock) tick/);
    t.sendKeys('j');
    screen = await t.waitForScreen((s) => /│ worker\.1 ● running/.test(s) && /│ worker tick \d+/.test(s) && !s.includes('web tick'), {what: "worker.1's log"});
    expect(screen).not.toContain('clock tick');
  });

  it('r restarts the selected process with a new pid', async () => {
    const t = await startStack();
    t.sendKeys('j');
    const before = await t.waitForValue((s) => pidIn(s, 'web.1'));
    t.sendKeys('r');
    const after = await t.waitForValue((s) => {
      const pid = pidIn(s, 'web.1');
      return pid !== null && pid !== before ? pid : null;
    }, {what: 'a new pid for web.1'});
    expect(after).not.toBe(before);
    expect(t.capture()).toMatch(/web\.1 restarted/);
  });

  it('x shows the process stopped and s starts it again', async () => {
    const t = await startStack();
    t.sendKeys('j', 'j');
    const before = await t.waitForValue((s) => pidIn(s, 'worker.1'));
    t.sendKeys('x');
    await t.waitForScreen((s) => /^○ worker\.1\s+stopped\s+-/m.test(s), {what: 'worker.1 stopped'});
    t.sendKeys('s');
    const after = await t.waitForValue((s) => pidIn(s, 'worker.1'), {what: 'worker.1 running again'});
    expect(after).not.toBe(before);
  });

  it('! then SIGUSR1 reaches the process, which traps it', async () => {
    const t = await startStack();
    t.sendKeys('j', '!');
    await t.waitForScreen((s) => s.includes("Send a signal to web.1's process group"));
    t.sendKeys('j', 'j', 'j');
    await t.waitForScreen((s) => s.includes('› 4 SIGUSR1'));
    t.sendKeys('Enter');
    const marker = path.join(stackDir!, 'web.1.usr1');
    await waitFor(() => existsSync(marker), {timeoutMs: 5000, describe: () => t.capture()});
    await t.waitForScreen((s) => s.includes('web got SIGUSR1'), {what: 'the trap saying so in the log'});
    expect(pidIn(t.capture(), 'web.1')).not.toBeNull();
    // SIGSTOP (8: a digit sends at once) pauses the group, and the row says so; SIGCONT (9) resumes it.
    for (const [key, signal, look] of [['8', 'SIGSTOP', /^‖ web\.1\s+paused\s+\d+/m], ['9', 'SIGCONT', /^● web\.1\s+running\s+\d+/m]] as const) {
      t.sendKeys('!');
      await t.waitForScreen((s) => s.includes("Send a signal to web.1's process group"), {what: 'the signal menu'});
      t.sendKeys(key);
      await t.waitForScreen((s) => look.test(s) && s.includes(`${signal} sent to web.1`), {what: `web.1 after ${signal}`});
    }
  });

  it('/word finds a word that has scrolled out of view and highlights it', async () => {
    const t = await startStack();
    t.sendKeys('j');
    await t.waitForScreen((s) => s.includes('web tick') && !s.includes('banana'), {what: "web.1's log without the word"});
    t.type('/banana');
    t.sendKeys('Enter');
    const screen = await t.waitForScreen((s) => s.includes('web ready: banana'), {what: 'the line with the word'});
    expect(screen).toContain('paused');
    expect(screen).toMatch(/found "banana"/);
  });

  it('e opens the whole log in less, and q there comes back to a live UI, every time', async () => {
    const t = await startStack({env: {PAGER: 'less -R'}});
    t.sendKeys('j', 'j', 'j');
    await t.waitForScreen((s) => /│ clock\.1 ● running/.test(s), {what: "clock.1's log"});
    // Each round could lose the race that froze the UI (procdeck and less reading the same keys).
    for (let round = 1; round <= 3; round++) {
      t.sendKeys('e');
      await t.waitForScreen((s) => /^clock warm-up \d+/m.test(s) && /procdeck-\d+-\d+\.log|\(END\)|^:/m.test(s), {what: `less showing the log (round ${round})`});
      t.sendKeys('q');
      const back = await t.waitForScreen((s) => /^● clock\.1\s+running/m.test(s), {what: `the UI after less (round ${round})`});
      const lastTick = Math.max(0, ...[...back.matchAll(/clock tick (\d+)/g)].map((m) => Number(m[1])));
      await t.waitForScreen((s) => [...s.matchAll(/clock tick (\d+)/g)].some((m) => Number(m[1]) > lastTick), {what: `a clock tick after ${lastTick} (round ${round})`});
    }
    t.sendKeys('k');
    await t.waitForScreen((s) => /│ worker\.1 ● running/.test(s), {what: 'k selecting worker.1'});
  });

  it('e hands the log to $PAGER, and every key typed there reaches it', async () => {
    // A pager that keeps a copy of what it was given on stdin (as git and man give it: PAGER="vim -"
    // works), reads a line from the terminal, as less does, and quits.
    const t = await startStack({env: {PAGER: `cat > "$MARKER_DIR/paged.log"; read -r answer < /dev/tty; echo "$answer" > "$MARKER_DIR/answer"`}});
    t.sendKeys('e');
    const paged = path.join(stackDir!, 'paged.log');
    // Deadlines for a loaded machine (the full suite beside other work): the pager is a shell started through sh.
    await waitFor(() => existsSync(paged) && readFileSync(paged, 'utf8').includes('clock tick'), {timeoutMs: 15_000, describe: () => t.capture()});
    t.type('typed at the pager', {enter: true});
    await waitFor(() => existsSync(path.join(stackDir!, 'answer')), {timeoutMs: 15_000, describe: () => t.capture()});
    expect(readFileSync(path.join(stackDir!, 'answer'), 'utf8')).toBe('typed at the pager\n');
    await t.waitForScreen((s) => /^● clock\.1\s+running/m.test(s), {what: 'the UI after the pager'});
  });

  it('keys read together with e are not acted on by the UI (e then x must not stop a process)', async () => {
    const t = await startStack({env: {PAGER: `cat > /dev/null; read -r answer < /dev/tty`}});
    t.sendKeys('j');
    await t.waitForScreen((s) => /│ web\.1 ● running/.test(s), {what: 'web.1 selected'});
    t.sendKeys('e', 'x', 'c'); // one write, as fast typing or a paste arrives
    await t.waitForScreen((s) => !s.includes('│ web.1'), {what: 'the pager to have the terminal'});
    t.type('', {enter: true});
    const back = await t.waitForScreen((s) => /back from the pager/.test(s), {what: 'the UI after the pager'});
    expect(back).toMatch(/^● web\.1\s+running/m);
    expect(back).toMatch(/│ web tick \d+/);
  });

  it('+ adds web.2', async () => {
    const t = await startStack();
    t.sendKeys('j', '+');
    await t.waitForScreen((s) => /^● web\.2\s+running\s+\d+/m.test(s), {what: 'web.2 running'});
    expect(t.capture()).toMatch(/4\/4 running/);
  });

  it('still shows every name after a resize to 70x20', async () => {
    const t = await startStack();
    t.resize(70, 20);
    const screen = await t.waitForScreen((s) => s.split('\n').length <= 21 && /^● clock\.1/m.test(s) && !s.includes('PORTS'), {what: 'the 70x20 layout'});
    for (const id of ['web.1', 'worker.1', 'clock.1']) expect(screen).toContain(id);
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(70);
    t.resize(50, 12);
    await t.waitForScreen((s) => s.includes('terminal too small'));
    t.resize(120, 40);
    await t.waitForScreen((s) => s.includes('PORTS') && s.includes('clock.1'));
  });

  it('q stops everything within the stop timeout and leaves no process behind', async () => {
    const t = await startStack();
    expect(processesIn(stackDir!).length).toBeGreaterThanOrEqual(3);
    const startedMs = Date.now();
    t.sendKeys('q');
    const screen = await t.waitForScreen((s) => /exit=\d+/.test(s), {timeoutMs: stopTimeoutMs + 3000, what: 'procdeck to exit'});
    expect(Date.now() - startedMs).toBeLessThan(stopTimeoutMs + 2000);
    expect(screen).toContain('exit=0');
    // The main screen is back: the command line typed before is still there.
    expect(screen).toContain(`start -f Procfile`);
    expect(processesIn(stackDir!)).toEqual([]);
  });

  it('after q, says why the exit code is not 0: the log that said it went with the alternate screen', async () => {
    const t = await startStack();
    const web = pidIn(await t.waitForScreen((s) => pidIn(s, 'web.1') !== null, {what: 'web.1 running'}), 'web.1')!;
    process.kill(web, 'SIGKILL');
    await t.waitForScreen((s) => /^. web\.1\s+SIGKILL/m.test(s), {what: 'web.1 killed'});
    t.sendKeys('q');
    const screen = await t.waitForScreen((s) => /exit=\d+/.test(s), {timeoutMs: stopTimeoutMs + 3000, what: 'procdeck to exit'});
    expect(screen).toContain('procdeck: exit code 137 because web.1 exited with code 137 (killed by SIGKILL)');
    expect(screen).toContain('exit=137');
  });

  it('a crash of the UI restores the terminal, prints the error and stops the stack', async () => {
    const t = await startStack({env: {PROCDECK_TEST_CRASH: '1'}});
    const screen = await t.waitForScreen((s) => /exit=\d+/.test(s), {timeoutMs: 15_000, what: 'procdeck to exit after the crash'});
    expect(screen).toContain('PROCDECK_TEST_CRASH=1: the terminal UI failed on purpose');
    expect(screen).toContain('exit=1');
    expect(processesIn(stackDir!)).toEqual([]);
    t.type('clear; stty -a | tr ";" "\\n" | tr " " "\\n" | grep -E "^-?(echo|icanon)$"', {enter: true});
    const stty = await t.waitForScreen((s) => /^-?icanon$/m.test(s) && /^-?echo$/m.test(s), {what: 'stty output'});
    expect(stty).toMatch(/^echo$/m);
    expect(stty).toMatch(/^icanon$/m);
  });

  it('shows a prompt before its newline, and i answers it, the answer shown after the prompt', async () => {
    stackDir = mkdtempSync(path.join(tmpdir(), 'procdeck-e2e-'));
    writeFileSync(path.join(stackDir, 'Procfile'), `ask: sh -c 'printf "Name? "; read n; echo "hello $n"; sleep 100'\n`);
    term = await TmuxTerminal.open({cwd: stackDir, env: {}});
    term.type(`node ${cli} start -f Procfile; echo "exit=$?"`, {enter: true});
    await term.waitForScreen((s) => /^● ask\.1\s+running/m.test(s), {what: 'ask.1 running'});
    term.sendKeys('j');
    await term.waitForScreen((s) => /│ ask\.1 ● running/.test(s) && /│ Name\?\s*$/m.test(s), {what: 'the prompt in the ask.1 pane'});
    term.sendKeys('i');
    await term.waitForScreen((s) => s.includes('ask.1 stdin>'), {what: 'the input prompt'});
    term.type('bob', {enter: true});
    await term.waitForScreen((s) => /│ Name\? bob\s*\n.*│ hello bob\s*$/m.test(s), {what: 'the input after the prompt, then the answer'});
    term.sendKeys('Escape');
    await term.waitForScreen((s) => !s.includes('stdin>'), {what: 'input mode left'});
    term.sendKeys('q');
    await term.waitForScreen((s) => /exit=0/.test(s), {what: 'procdeck to exit'});
  });

  it('process output cannot talk to the terminal: no query answers typed as keys, no modes left after q', async () => {
    stackDir = mkdtempSync(path.join(tmpdir(), 'procdeck-e2e-'));
    // A terminal answers \e[>c and \e[>0q by typing into procdeck's input (answers ending in c and
    // holding an x: clear and stop keys); a NUL inside a sequence must not let it through either.
    writeFileSync(path.join(stackDir, 'talker.sh'), [
      'echo line-before',
      String.raw`printf 'da2:\033[>c\n'`,
      String.raw`printf 'version:\033[>0q\n'`,
      String.raw`printf 'modes:\033[\000?1000h\033[\0001;5r\033[\000?1049l\033[\0002J\n'`,
      'echo line-after',
      'exec sleep 100',
    ].join('\n'));
    writeFileSync(path.join(stackDir, 'Procfile'), 'talker: sh ./talker.sh\n');
    term = await TmuxTerminal.open({cwd: stackDir, env: {}});
    term.type(`node ${cli} start -f Procfile; echo "exit=$?"`, {enter: true});
    term.sendKeys('j');
    await term.waitForScreen((s) => /│ line-after/.test(s), {what: 'the line after the sequences'});
    // The answers, had they come, would be read within a frame or two; the UI is then redrawn.
    await term.waitForScreen((s) => /talker\.1\s+running\s+\d+/.test(s) && s.includes('line-before'), {what: 'talker.1 still running, its log kept'});
    const screen = term.capture();
    expect(screen).not.toMatch(/cleared|stopped/);
    expect(screen.split('\n')[0]).toMatch(/^procdeck /);
    expect(term.modes()).toMatchObject({alternateScreen: true, mouse: false, scrollRegion: '0-39'});
    term.sendKeys('q');
    await term.waitForScreen((s) => /exit=0/.test(s), {what: 'procdeck to exit'});
    expect(term.modes()).toEqual({alternateScreen: false, mouse: false, scrollRegion: '0-39', cursorVisible: true});
  });

  it('Ctrl-z gives the shell a restored terminal and stops procdeck; fg brings the UI back, keys working', async () => {
    // Not startStack's `; echo`: the shell would run it as soon as the job stops.
    stackDir = mkdtempSync(path.join(tmpdir(), 'procdeck-e2e-'));
    for (const file of ['Procfile', 'ticker.sh']) copyFileSync(path.join(fixtureDir, file), path.join(stackDir, file));
    const t = (term = await TmuxTerminal.open({cwd: stackDir, env: {MARKER_DIR: stackDir}}));
    t.type(`node ${cli} start -f Procfile -t ${stopTimeoutMs / 1000}s`, {enter: true});
    await t.waitForScreen((s) => /^● clock\.1\s+running/m.test(s) && /tick \d+/.test(s), {what: 'the UI'});
    t.sendKeys('C-z');
    await t.waitForScreen((s) => /Stopped/i.test(s) && /^\$\s*$/m.test(s), {what: 'the shell saying the job stopped'});
    expect(t.modes()).toMatchObject({alternateScreen: false, mouse: false, cursorVisible: true});
    const procdeck = processesIn(stackDir!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('cli.js'));
    expect(readFileSync(`/proc/${procdeck}/stat`, 'utf8')).toMatch(/\) T /);
    // The stack runs on meanwhile (its processes are in groups of their own).
    t.type('fg', {enter: true});
    await t.waitForScreen((s) => /^● clock\.1\s+running/m.test(s) && t.modes().alternateScreen, {what: 'the UI back after fg'});
    t.sendKeys('j');
    await t.waitForScreen((s) => /│ web\.1 ● running/.test(s), {what: 'j selecting web.1 after fg'});
    t.sendKeys('q');
    await waitFor(() => processesIn(stackDir!).length === 0, {timeoutMs: stopTimeoutMs + 2000, describe: () => t.capture()});
    expect(t.modes()).toMatchObject({alternateScreen: false, cursorVisible: true});
  });

  it('with stdin not a terminal (procdeck < /dev/null), the UI reads its keys from the terminal', async () => {
    stackDir = mkdtempSync(path.join(tmpdir(), 'procdeck-e2e-'));
    for (const file of ['Procfile', 'ticker.sh']) copyFileSync(path.join(fixtureDir, file), path.join(stackDir, file));
    term = await TmuxTerminal.open({cwd: stackDir, env: {}});
    term.type(`node ${cli} start -f Procfile < /dev/null; echo "exit=$?"`, {enter: true});
    await term.waitForScreen((s) => /^● clock\.1\s+running/m.test(s), {what: 'the UI'});
    term.sendKeys('j');
    await term.waitForScreen((s) => /│ web\.1 ● running/.test(s), {what: 'j selecting web.1'});
    term.sendKeys('q');
    await term.waitForScreen((s) => /exit=0/.test(s), {what: 'procdeck to exit'});
  });

  it('a closed terminal stops the stack, and procdeck exits without an abort', async () => {
    const t = await startStack();
    const errors = path.join(stackDir!, 'stderr.txt');
    t.sendKeys('q');
    await t.waitForScreen((s) => /exit=0/.test(s), {what: 'the first run to exit'});
    t.type(`node ${cli} start -f Procfile 2> ${errors}`, {enter: true});
    await t.waitForScreen((s) => /^● clock\.1\s+running/m.test(s), {what: 'the UI'});
    t.kill(); // the window closes: the terminal hangs up and procdeck gets SIGHUP
    term = undefined;
    await waitFor(() => processesIn(stackDir!).length === 0, {timeoutMs: stopTimeoutMs + 3000, describe: () => processesIn(stackDir!).join(' ')});
    // Node put the saved terminal settings back on exit and aborted (SIGABRT, a native trace) when the terminal was gone.
    expect(readFileSync(errors, 'utf8')).not.toMatch(/Assertion failed|ResetStdio/);
  });

  it('stays open when every process has ended, so the user can read why', async () => {
    stackDir = mkdtempSync(path.join(tmpdir(), 'procdeck-e2e-'));
    writeFileSync(path.join(stackDir, 'Procfile'), 'short: echo bye from short; exit 3\n');
    term = await TmuxTerminal.open({cwd: stackDir, env: {}});
    term.type(`node ${cli} start -f Procfile; echo "exit=$?"`, {enter: true});
    await term.waitForScreen((s) => /short\.1\s+exited 3/.test(s) || /short\.1\s+crashed/.test(s) || /short\.1 exited with code 3/.test(s), {what: 'short.1 exited'});
    // Give a wrongly ending run time to end: the screen must still be the UI.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const screen = term.capture();
    expect(screen).not.toMatch(/exit=\d+/);
    expect(screen).toContain('bye from short');
    term.sendKeys('q');
    await term.waitForScreen((s) => /exit=3/.test(s), {what: 'procdeck to exit with the code of the crash'});
  });
});
