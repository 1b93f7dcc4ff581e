import {afterEach, describe, expect, it} from 'vitest';
import {FakeApi, instance} from '../helpers/fake-api.js';
import {renderUi, type UiHarness} from './harness.js';

let ui: UiHarness | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

const now = Date.now();

function lineOf(screen: string, name: string): string {
  return screen.split('\n').find((line) => new RegExp(`^. ${name.replace('.', '\\.')}\\s`).test(line)) ?? `(no row for ${name})`;
}

describe('process list', () => {
  it('shows a symbol and label for every instance state, all first', async () => {
    const api = new FakeApi({
      instances: [
        instance('web.1', {status: 'running', pid: 4312, since: now - 65_000}, {cpuPercent: 12.5, rssBytes: 52 * 1024 * 1024, listenPorts: [5000], restarts: 2}),
        instance('db.1', {status: 'starting', pid: 4400, since: now}),
        instance('api.1', {status: 'waiting', on: ['db']}),
        instance('mail.1', {status: 'stopping', pid: 4500, since: now, signal: 'SIGTERM', killAt: now + 5000}),
        instance('idle.1', {status: 'stopped'}),
        instance('crash.1', {status: 'exited', exit: {code: 3, signal: null}}),
        instance('killed.1', {status: 'exited', exit: {code: null, signal: 'SIGSEGV'}}),
        instance('migrate.1', {status: 'completed', exit: {code: 0, signal: null}}),
        instance('flaky.1', {status: 'restarting', exit: {code: 1, signal: null}, at: now + 4200}),
        instance('broken.1', {status: 'failed', exit: {code: 1, signal: null}}),
        instance('backup.1', {status: 'scheduled', nextRunAt: now + 2 * 3600_000 + 5 * 60_000}),
      ],
    });
    ui = await renderUi(api, {columns: 140, rows: 30});
    const screen = await ui.waitForScreen((s) => s.includes('backup.1'));
    const rows = screen.split('\n').slice(1);
    expect(rows[1]).toMatch(/^≡ all\s/);
    expect(lineOf(screen, 'web.1')).toMatch(/^● web\.1\s+running\s+4312\s+12\.5%\s+52M\s+1m0[56]s\s+2 :5000/);
    expect(lineOf(screen, 'db.1')).toMatch(/^◐ db\.1\s+starting\s+4400/);
    expect(lineOf(screen, 'api.1')).toMatch(/^◌ api\.1\s+waiting\s+-/);
    expect(lineOf(screen, 'mail.1')).toMatch(/^◑ mail\.1\s+stopping\s+4500/);
    expect(lineOf(screen, 'idle.1')).toMatch(/^○ idle\.1\s+stopped\s+-/);
    expect(lineOf(screen, 'crash.1')).toMatch(/^✗ crash\.1\s+exit 3\s/);
    expect(lineOf(screen, 'killed.1')).toMatch(/^✗ killed\.1\s+SIGSEGV\s/);
    expect(lineOf(screen, 'migrate.1')).toMatch(/^✓ migrate\.1\s+done\s/);
    expect(lineOf(screen, 'flaky.1')).toMatch(/^↻ flaky\.1\s+↻ [45]s\s/);
    expect(lineOf(screen, 'broken.1')).toMatch(/^✗ broken\.1\s+failed 1\s/);
    expect(lineOf(screen, 'backup.1')).toMatch(/^◷ backup\.1\s+in 2h0[45]m\s/);
  });

  it('shows the processes about to be started as starting or waiting, not stopped, until the engine reports them', async () => {
    const api = new FakeApi({instances: [instance('web.1', {status: 'stopped'}), instance('api.1', {status: 'stopped'}), instance('manual.1', {status: 'stopped'})]});
    ui = await renderUi(api, {launching: new Map([['web.1', 'starting'], ['api.1', 'waiting']])});
    let screen = await ui.waitForScreen((s) => s.includes('manual.1'));
    expect(lineOf(screen, 'web.1')).toMatch(/^◐ web\.1\s+starting\s+-/);
    expect(lineOf(screen, 'api.1')).toMatch(/^◌ api\.1\s+waiting\s+-/);
    expect(lineOf(screen, 'manual.1')).toMatch(/^○ manual\.1\s+stopped\s+-/);
    await ui.press('j');
    screen = await ui.waitForScreen((s) => /│ web\.1 ◐ starting/.test(s), 'the pane header');
    api.setState('web.1', {status: 'running', pid: 42, since: now}, {pid: 42});
    screen = await ui.waitForScreen((s) => /^● web\.1\s+running\s+42/m.test(s), 'web.1 reported running');
    // Once reported, the engine's state is shown as it is, stopped included.
    api.setState('web.1', {status: 'stopped'}, {pid: null});
    screen = await ui.waitForScreen((s) => /^○ web\.1\s+stopped/m.test(s), 'web.1 stopped');
  });

  it('shows a running process whose group is stopped (SIGSTOP) as paused, in its row and pane header, until it continues', async () => {
    const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 4312, since: now})]});
    ui = await renderUi(api);
    await ui.waitForScreen((s) => s.includes('web.1'));
    await ui.press('j');
    api.sampleStats({'web.1': {cpuPercent: 0, rssBytes: 20 * 1024 * 1024, paused: true}});
    const paused = await ui.waitForScreen((s) => /^‖ web\.1\s+paused\s+4312/m.test(s), 'web.1 paused');
    expect(paused).toMatch(/│ web\.1 ‖ paused/);
    expect(lineOf(paused, 'all')).toMatch(/^≡ all\s+1\/1 up/);
    api.sampleStats({'web.1': {cpuPercent: 1, rssBytes: 20 * 1024 * 1024, paused: false}});
    await ui.waitForScreen((s) => /^● web\.1\s+running\s+4312/m.test(s) && /│ web\.1 ● running/.test(s), 'web.1 running again');
  });

  it('shows - for CPU and memory until a stats tick has measured a live process, then the numbers', async () => {
    const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 4312, since: now})]});
    ui = await renderUi(api);
    const before = await ui.waitForScreen((s) => s.includes('web.1'));
    expect(lineOf(before, 'web.1')).toMatch(/^● web\.1\s+running\s+4312\s+-\s+-\s/);
    expect(lineOf(before, 'all')).toMatch(/^≡ all\s+1\/1 up\s+-\s+-/);
    expect(before.split('\n')[0]).toMatch(/CPU -   MEM -/);
    api.sampleStats({'web.1': {cpuPercent: 3.5, rssBytes: 20 * 1024 * 1024}});
    const after = await ui.waitForScreen((s) => /web\.1\s+running\s+4312\s+3\.5%/.test(s), 'web.1 measured');
    expect(lineOf(after, 'web.1')).toMatch(/^● web\.1\s+running\s+4312\s+3\.5%\s+20M\s/);
    expect(after.split('\n')[0]).toMatch(/CPU 3\.5%   MEM 20M/);
  });

  it('lists a type scaled to 0 so that + can bring it back', async () => {
    const api = new FakeApi({
      instances: [instance('web.1', {status: 'running', pid: 10, since: now})],
      types: [{name: 'web', instances: 1, oneshot: false, autostart: true}, {name: 'worker', instances: 0, oneshot: false, autostart: true}],
    });
    ui = await renderUi(api);
    await ui.waitForScreen((s) => /· worker\s+×0/.test(s), 'a worker row with ×0');
    await ui.press('j', 'j');
    await ui.waitForScreen((s) => s.includes('worker has 0 instances: + starts one'));
    await ui.press('+');
    await ui.waitForScreen((s) => s.includes('scale'));
    expect(api.dispatched).toContainEqual({type: 'scale', process: 'worker', by: 1});
  });

  it('updates CPU, memory and ports when a stats sample arrives', async () => {
    const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 10, since: now})]});
    ui = await renderUi(api);
    api.sampleStats({'web.1': {cpuPercent: 33.3, rssBytes: 3 * 1024 * 1024 * 1024, listenPorts: [5000, 5001]}});
    const screen = await ui.waitForScreen((s) => s.includes('33.3%'));
    expect(lineOf(screen, 'web.1')).toContain('3.0G');
    expect(lineOf(screen, 'web.1')).toContain(':5000,:5001');
    expect(screen.split('\n')[0]).toMatch(/1\/1 running\s+CPU 33\.3%\s+MEM 3\.0G/);
  });

  it('moves the selection with j and k and shows the selected log', async () => {
    const api = new FakeApi({
      instances: [instance('web.1', {status: 'running', pid: 10, since: now}), instance('worker.1', {status: 'running', pid: 11, since: now})],
    });
    api.print('web.1', 'from web');
    api.print('worker.1', 'from worker');
    ui = await renderUi(api);
    await ui.waitForScreen((s) => s.includes('from web') && s.includes('from worker'), 'both lines in all');
    await ui.press('j', 'j');
    let screen = await ui.waitForScreen((s) => s.includes(' worker.1 ') && !s.includes('from web'), 'the worker log only');
    expect(screen).toContain('from worker');
    await ui.press('k');
    screen = await ui.waitForScreen((s) => s.includes('from web') && !s.includes('from worker'), 'the web log only');
    expect(screen).toContain('from web');
  });

  it('says how many rows are hidden above and below when the list does not fit', async () => {
    const api = new FakeApi({
      instances: Array.from({length: 30}, (_, i) => instance(`p${i + 1}.1`, {status: 'running', pid: 100 + i, since: now})),
    });
    ui = await renderUi(api, {columns: 100, rows: 15});
    // 31 rows (all + 30) in the list's 12 lines under its title: 11 rows and a marker.
    let screen = await ui.waitForScreen((s) => s.includes('↓ 20 more'), 'the marker below');
    expect(screen).toMatch(/^≡ all\s/m);
    expect(screen).not.toContain('↑');
    await ui.press(...Array.from({length: 15}, () => 'j'));
    screen = await ui.waitForScreen((s) => s.includes('p15.1 ') && s.includes('↑ 6 more') && s.includes('↓ 15 more'), 'markers at both ends');
    expect(screen.split('\n').filter((line) => /^. p\d+\.1 /.test(line))).toHaveLength(10);
    await ui.press(...Array.from({length: 20}, () => 'j'));
    screen = await ui.waitForScreen((s) => s.includes('p30.1 ') && s.includes('↑ 20 more'), 'the marker above only');
    expect(screen).not.toContain('↓');
  });

  it('says the terminal is too small below 60x15 and lays out again when it grows', async () => {
    const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 10, since: now})]});
    ui = await renderUi(api, {columns: 59, rows: 20});
    await ui.waitForScreen((s) => s.includes('terminal too small: 59x20'));
    ui.store.setSize({columns: 60, rows: 15});
    const screen = await ui.waitForScreen((s) => s.includes('web.1'));
    expect(screen.split('\n').length).toBeLessThanOrEqual(15);
  });

  it('keeps names readable at 70x20', async () => {
    const api = new FakeApi({
      instances: [instance('web.1', {status: 'running', pid: 10, since: now}), instance('worker.1', {status: 'stopped'})],
    });
    ui = await renderUi(api, {columns: 70, rows: 20});
    const screen = await ui.waitForScreen((s) => s.includes('worker.1'));
    expect(screen).toContain('web.1');
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(70);
  });
});
