import type {Outcome} from '../../src/core/commands.js';
import {afterEach, describe, expect, it} from 'vitest';
import {menuSignals} from '../../src/core/commands.js';
import {displayKeyName} from '../../src/ui/key-names.js';
import {keymap} from '../../src/ui/keymap.js';
import {FakeApi, instance} from '../helpers/fake-api.js';
import {waitFor} from '../helpers/wait-for.js';
import {keys, renderUi, tick, type UiHarness} from './harness.js';

let ui: UiHarness | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

const now = Date.now();

function twoProcesses(): FakeApi {
  return new FakeApi({
    instances: [instance('web.1', {status: 'running', pid: 4312, since: now}), instance('worker.1', {status: 'running', pid: 4313, since: now})],
  });
}

describe('keys', () => {
  it('? shows every binding of the keymap, and any key closes it', async () => {
    ui = await renderUi(twoProcesses(), {columns: 160, rows: 40});
    await ui.press('?');
    const screen = await ui.waitForScreen((s) => s.includes('Keys (any key closes)'));
    for (const binding of keymap) {
      expect(screen).toContain(binding.label);
      expect(screen).toContain(binding.keys.map(displayKeyName).join(' '));
    }
    await ui.press('x');
    await ui.waitForScreen((s) => !s.includes('Keys (any key closes)'));
    expect(ui.store.state.mode.kind).toBe('normal');
  });

  it('on the smallest terminal the help pages through every binding with j, uncut', async () => {
    ui = await renderUi(twoProcesses(), {columns: 60, rows: 15});
    await ui.press('?');
    const seen = new Set<string>();
    let screen = await ui.waitForScreen((s) => s.includes('Keys 1/'));
    const pages = Number(/Keys 1\/(\d+)/.exec(screen)![1]);
    for (let page = 1; page <= pages; page += 1) {
      screen = await ui.waitForScreen((s) => s.includes(`Keys ${page}/${pages}`), `help page ${page}`);
      expect(screen.split('\n').length).toBeLessThanOrEqual(15);
      for (const binding of keymap) if (screen.includes(binding.label)) seen.add(binding.label);
      await ui.press('j');
    }
    expect([...seen].sort()).toEqual(keymap.map((binding) => binding.label).sort());
    await ui.press('q');
    await ui.waitForScreen((s) => !s.includes('Keys'));
    expect(ui.store.state.quitting).toBeNull();
  });

  it('! opens the signal menu and sends the chosen signal to the selected instance', async () => {
    const api = twoProcesses();
    ui = await renderUi(api);
    await ui.press('j', '!');
    const screen = await ui.waitForScreen((s) => s.includes("Send a signal to web.1's process group"));
    for (const [i, signal] of menuSignals.entries()) expect(screen).toContain(`${i + 1} ${signal}`);
    await ui.press('j', 'j', 'j');
    await ui.waitForScreen((s) => s.includes('› 4 SIGUSR1'));
    await ui.press(keys.enter);
    await ui.waitForScreen((s) => !s.includes('Send a signal'));
    expect(api.dispatched).toEqual([{type: 'signal', target: 'web.1', signal: 'SIGUSR1'}]);
  });

  it('a digit in the signal menu sends that signal, Esc sends nothing', async () => {
    const api = twoProcesses();
    ui = await renderUi(api);
    await ui.press('j', '!', keys.escape);
    await ui.waitForScreen((s) => !s.includes('Send a signal'));
    await ui.press('!', '7');
    await ui.waitForScreen((s) => !s.includes('Send a signal'));
    expect(api.dispatched).toEqual([{type: 'signal', target: 'web.1', signal: 'SIGKILL'}]);
  });

  it('says a slow stop or restart is under way until its outcome comes', async () => {
    const api = twoProcesses();
    let finish!: (outcome: Outcome) => void;
    api.respond = () => new Promise<Outcome>((resolve) => (finish = resolve));
    ui = await renderUi(api);
    await ui.press('j', 'x');
    await ui.waitForScreen((s) => s.includes('stopping web.1…'));
    finish({ok: true, message: 'web.1 stopped'});
    await ui.waitForScreen((s) => s.includes('web.1 stopped') && !s.includes('stopping web.1…'));
  });

  it('below the smallest size acts on no key but quitting: nobody sees what x, r or - would act on', async () => {
    const api = twoProcesses();
    ui = await renderUi(api, {columns: 59, rows: 15});
    await ui.waitForScreen((s) => s.includes('terminal too small: 59x15'));
    await ui.press('j', 'x', 'r', '-', '+', '!', '/');
    await tick(50);
    expect(api.dispatched).toEqual([]);
    expect(ui.store.state.mode.kind).toBe('normal');
    expect(ui.store.state.selectedKey).toBe('all');
    await ui.press('q');
    await waitFor(() => api.dispatched.length > 0, {describe: () => JSON.stringify(api.dispatched)});
    expect(api.dispatched).toEqual([{type: 'shutdown', force: false}]);
  });

  it('s, x, r, c and +/- send commands for the selection and show the outcome', async () => {
    const api = twoProcesses();
    api.respond = (command) => (command.type === 'restart' ? {ok: true, message: 'web.1 restarted (pid 4400)'} : {ok: true, message: `did ${command.type}`});
    ui = await renderUi(api);
    await ui.press('j', 'r');
    await ui.waitForScreen((s) => s.includes('web.1 restarted (pid 4400)'));
    await ui.press('x', 's', 'c', '+', '-');
    await ui.waitForScreen((s) => s.includes('did scale'));
    expect(api.dispatched).toEqual([
      {type: 'restart', target: 'web.1'},
      {type: 'stop', target: 'web.1'},
      {type: 'start', target: 'web.1'},
      {type: 'scale', process: 'web', by: 1},
      {type: 'scale', process: 'web', by: -1},
    ]);
  });

  it('shows why a command did not apply', async () => {
    const api = twoProcesses();
    api.respond = () => ({ok: false, message: 'worker.1: no such process is running'});
    ui = await renderUi(api);
    await ui.press('j', 'j', 'x');
    await ui.waitForScreen((s) => s.includes('worker.1: no such process is running'));
  });

  it('! and i on a process that is not running say so, open nothing and send nothing', async () => {
    const api = new FakeApi({instances: [instance('web.1', {status: 'stopped'})]});
    ui = await renderUi(api);
    await ui.press('j');
    for (const key of ['!', 'i']) {
      await ui.press(key);
      await ui.waitForScreen((s) => s.includes('web.1: no such process is running (s starts it)'), `a reason after ${key}`);
      expect(ui.screen()).not.toMatch(/Send a signal|stdin>/);
      await ui.press('c'); // the next key is a normal key again, not menu or prompt input
    }
    expect(api.dispatched).toEqual([]);
    expect(ui.screen()).toContain('cleared web.1 here');
  });

  it('c hides the lines of the pane shown, in it only: the engine keeps the lines, and new ones show', async () => {
    const api = twoProcesses();
    api.print('web.1', 'old web line');
    api.print('worker.1', 'old worker line');
    ui = await renderUi(api);
    await ui.press('j');
    await ui.waitForScreen((s) => s.includes('old web line'));
    await ui.press('c');
    await ui.waitForScreen((s) => s.includes('cleared web.1 here (still in e and procdeck logs)') && !s.includes('old web line'));
    api.print('web.1', 'new web line');
    await ui.waitForScreen((s) => s.includes('new web line'));
    expect(api.dispatched).toEqual([]);
    expect(api.readLog('web.1', {limit: 10}).map((line) => line.text)).toEqual(['old web line', 'new web line']);
    // Cleared in web.1's pane only: `all` still has the line.
    await ui.press('k');
    await ui.waitForScreen((s) => s.includes('old web line') && s.includes('new web line') && s.includes('old worker line'));
    // And clearing `all` leaves web.1's own pane as it was.
    await ui.press('c');
    await ui.waitForScreen((s) => s.includes('cleared all here') && !s.includes('old worker line'));
    await ui.press('j');
    const web = await ui.waitForScreen((s) => s.includes('new web line'));
    expect(web).not.toContain('old web line');
  });

  it('instance keys on all say to select a process and send nothing', async () => {
    const api = twoProcesses();
    ui = await renderUi(api);
    for (const key of ['s', 'x', 'r', '!', 'i', '+']) {
      await ui.press(key);
      await ui.waitForScreen((s) => /select a process first/.test(s), `a reason after ${key}`);
    }
    expect(api.dispatched).toEqual([]);
  });

  it('i sends typed lines to stdin until Esc', async () => {
    const api = twoProcesses();
    ui = await renderUi(api);
    await ui.press('j', 'i', 'h', 'i');
    await ui.waitForScreen((s) => s.includes('web.1 stdin> hi█'));
    await ui.press(keys.enter, 'y', 'o', keys.backspace, 'u', keys.enter, keys.escape);
    await ui.waitForScreen((s) => !s.includes('stdin>'));
    expect(api.dispatched).toEqual([
      {type: 'input', target: 'web.1', text: 'hi'},
      {type: 'input', target: 'web.1', text: 'yu'},
    ]);
  });

  it('e hands the whole scrollback to the pager, y copies the visible lines', async () => {
    const api = twoProcesses();
    for (let i = 1; i <= 100; i += 1) api.print('web.1', `line ${i}`);
    ui = await renderUi(api, {rows: 20});
    await ui.press('j', 'e');
    await ui.waitForScreen((s) => s.includes('back from the pager'));
    expect(ui.host.pagerTexts[0]?.split('\n').slice(0, 2)).toEqual(['line 1', 'line 2']);
    expect(ui.host.pagerTexts[0]).toContain('line 100\n');
    await ui.press('y');
    await ui.waitForScreen((s) => /copied \d+ lines/.test(s));
    const copied = ui.host.clipboard[0]!.split('\n');
    expect(copied.at(-1)).toBe('line 100');
    expect(copied.length).toBe(ui.store.getSnapshot().layout.logRows);
  });

  it('Tab moves focus to the log pane and back', async () => {
    ui = await renderUi(twoProcesses());
    await ui.press(keys.tab);
    expect(ui.store.state.focus).toBe('log');
    await ui.press(keys.tab);
    expect(ui.store.state.focus).toBe('list');
  });
});

describe('quitting', () => {
  it('q shuts down and shows which process, which signal and how long is left', async () => {
    const api = twoProcesses();
    ui = await renderUi(api);
    await ui.press('q');
    await ui.waitForScreen((s) => s.includes('stopping'));
    expect(api.dispatched).toEqual([{type: 'shutdown', force: false}]);
    api.stack.shutdown = {force: false, waitingFor: [{id: 'web.1', signal: 'SIGTERM', killAt: Date.now() + 4500}]};
    api.setState('web.1', {status: 'stopping', pid: 4312, since: now, signal: 'SIGTERM', killAt: Date.now() + 4500});
    await ui.waitForScreen((s) => /stopping web\.1 \(SIGTERM, SIGKILL in [1-5]s\)/.test(s), 'the shutdown progress');
  });

  it('a second Ctrl-C forces the shutdown, as Q does', async () => {
    const api = twoProcesses();
    ui = await renderUi(api);
    await ui.press(keys.ctrlC);
    await ui.waitForScreen((s) => s.includes('stopping'));
    await ui.press(keys.ctrlC);
    await ui.waitForScreen((s) => s.includes('killing every process group'));
    expect(api.dispatched).toEqual([{type: 'shutdown', force: false}, {type: 'shutdown', force: true}]);
  });

  it('attached to a daemon, q asks whether to stop or detach', async () => {
    const api = twoProcesses();
    api.stack.remote = true;
    ui = await renderUi(api);
    await ui.press('q');
    await ui.waitForScreen((s) => s.includes('Stop the stack? [y] stop  [d] detach  [Esc] cancel'));
    await ui.press(keys.escape);
    await ui.waitForScreen((s) => !s.includes('Stop the stack?'));
    await ui.press('q', 'd');
    await ui.waitForScreen((s) => !s.includes('Stop the stack?'));
    expect(ui.host.detached).toBe(1);
    expect(api.dispatched).toEqual([]);
    await ui.press('q', 'y');
    await ui.waitForScreen((s) => s.includes('stopping'));
    expect(api.dispatched).toEqual([{type: 'shutdown'}]);
  });

  it('attached, a second Ctrl-C at the quit question force quits, as SPEC §6 says, instead of asking again', async () => {
    const api = twoProcesses();
    api.stack.remote = true;
    ui = await renderUi(api);
    await ui.press(keys.ctrlC);
    await ui.waitForScreen((s) => s.includes('Stop the stack? [y] stop  [d] detach  [Esc] cancel'));
    await ui.press(keys.ctrlC);
    await ui.waitForScreen((s) => s.includes('killing every process group'));
    expect(api.dispatched).toEqual([{type: 'shutdown', force: true}]);
  });

  it('attached, a key after the force quit leaves: a daemon that does not answer cannot hold the UI', async () => {
    const api = twoProcesses();
    api.stack.remote = true;
    // The fake never reports the stack stopped: as a daemon stopped with SIGSTOP.
    ui = await renderUi(api);
    await ui.press('q', 'y');
    await ui.waitForScreen((s) => s.includes('stopping'));
    await ui.press('Q');
    await ui.waitForScreen((s) => s.includes('killing every process group (SIGKILL)…  (q leaves)'));
    expect(ui.host.detached).toBe(0);
    await ui.press('q');
    await waitFor(() => ui!.host.detached === 1);
  });
});

describe('typing fast', () => {
  it('treats keys that arrive in one chunk as separate presses, and a prompt takes the rest', async () => {
    const api = twoProcesses();
    api.print('web.1', 'find the needle here');
    ui = await renderUi(api);
    await ui.press('jr/needle');
    await ui.waitForScreen((s) => s.includes('/needle█'), 'the search prompt holding the rest of the chunk');
    expect(api.dispatched).toEqual([{type: 'restart', target: 'web.1'}]);
  });
});

describe('typing ahead', () => {
  it('runs a search typed with its Enter in one chunk', async () => {
    const api = twoProcesses();
    for (let i = 0; i < 100; i += 1) api.print('web.1', i === 3 ? 'the banana line' : `filler ${i}`);
    ui = await renderUi(api);
    await ui.press('j');
    await ui.waitForScreen((s) => s.includes('filler 99') && !s.includes('banana'));
    await ui.press('/banana\r');
    await ui.waitForScreen((s) => s.includes('the banana line') && s.includes('found "banana"'));
  });
});

describe('typing ahead with control keys', () => {
  it('splits Tab and Ctrl keys out of a chunk', async () => {
    const api = twoProcesses();
    ui = await renderUi(api);
    await ui.press('jj\t');
    await ui.waitForScreen((s) => /│ worker\.1 ● running/.test(s), "worker.1's pane");
    expect(ui.store.state.focus).toBe('log');
  });
});
