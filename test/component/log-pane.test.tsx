import {afterEach, describe, expect, it} from 'vitest';
import {FakeApi, instance} from '../helpers/fake-api.js';
import {keys, renderUi, type UiHarness} from './harness.js';

let ui: UiHarness | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

const now = Date.now();
// The current match is black on yellow; Ink may re-emit that SGR as two codes.
const current = '\u001B\\[30(?:;|m\u001B\\[)43m';

function webApi(lineCount: number): FakeApi {
  const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 10, since: now})]});
  for (let i = 1; i <= lineCount; i += 1) api.print('web.1', `line ${i}`);
  return api;
}

/** Selects web.1 (the row under `all`). */
async function selectWeb(harness: UiHarness): Promise<void> {
  await harness.press('j');
  await harness.waitForScreen((s) => /│ web\.1 /.test(s), 'the web.1 pane');
}

describe('log pane', () => {
  it('follows new lines by default', async () => {
    const api = webApi(100);
    ui = await renderUi(api);
    await selectWeb(ui);
    await ui.waitForScreen((s) => s.includes('line 100'));
    api.print('web.1', 'line 101');
    const screen = await ui.waitForScreen((s) => s.includes('line 101'));
    expect(screen).toContain('follow');
    expect(screen).not.toContain('line 50\n');
  });

  it('shows a line begun but not ended (a prompt) last while following its process, not in all or scrolled back', async () => {
    const api = webApi(60);
    api.setUnfinished('web.1', [{stream: 'stdout', text: 'Name? '}, {stream: 'stderr', text: 'progress 40%'}]);
    ui = await renderUi(api);
    let screen = await ui.waitForScreen((s) => s.includes('line 60'), 'the all view');
    expect(screen).not.toContain('Name?');
    await selectWeb(ui);
    screen = await ui.waitForScreen((s) => s.includes('Name?'), 'the prompt in the web.1 pane');
    const rows = screen.split('\n').map((row) => row.slice(row.indexOf('│') + 1).trimEnd());
    const at = rows.findIndex((row) => row.includes('line 60'));
    expect(rows.slice(at, at + 3)).toEqual([' line 60', ' Name?', '▌progress 40%']); // stderr's marked, as any stderr line
    api.setUnfinished('web.1', []);
    api.print('web.1', 'Name? bob');
    screen = await ui.waitForScreen((s) => s.includes('Name? bob') && !s.includes('progress 40%'), 'the ended line in its place');
    api.setUnfinished('web.1', [{stream: 'stdout', text: 'Again? '}]);
    await ui.waitForScreen((s) => s.includes('Again?'), 'the next prompt');
    await ui.press(keys.pageUp);
    screen = await ui.waitForScreen((s) => s.includes('paused'), 'scrolled back');
    expect(screen).not.toContain('Again?');
  });

  it('scrolls up a page with PgUp, stays put while new lines arrive, and G resumes follow', async () => {
    const api = webApi(200);
    ui = await renderUi(api, {rows: 30});
    await selectWeb(ui);
    // 30 rows: header and status bar leave 28 body rows, 27 log rows; a page is 26 lines.
    await ui.press(keys.pageUp);
    let screen = await ui.waitForScreen((s) => s.includes('paused'), 'the paused marker');
    expect(screen).toMatch(/line 174\s*\n/);
    expect(screen).not.toContain('line 200');
    api.print('web.1', 'line 201');
    await ui.press(keys.ctrlU);
    screen = await ui.waitForScreen((s) => !/line 174\s*\n/.test(s) && s.includes('line 150'), 'half a page further up');
    expect(screen).not.toContain('line 201');
    await ui.press('G');
    screen = await ui.waitForScreen((s) => s.includes('line 201'), 'the newest line after G');
    expect(screen).toContain('follow');
  });

  it('g shows the oldest lines and PgDn back to the bottom resumes follow', async () => {
    const api = webApi(60);
    ui = await renderUi(api, {rows: 30});
    await selectWeb(ui);
    await ui.press('g');
    let screen = await ui.waitForScreen((s) => /│ ?line 1\s*\n/.test(s), 'line 1 at the top');
    expect(screen).not.toContain('line 60');
    await ui.press(keys.pageDown, keys.pageDown, keys.pageDown);
    screen = await ui.waitForScreen((s) => s.includes('line 60') && s.includes('follow'), 'following again at the bottom');
    api.print('web.1', 'line 61');
    await ui.waitForScreen((s) => s.includes('line 61'));
  });

  it('with wrap on, g shows the first line at the top and a page up skips no line', async () => {
    // Each line wraps to several rows of the pane.
    const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 10, since: now})]});
    for (let i = 1; i <= 60; i += 1) api.print('web.1', `line ${i} ${'0'.repeat(100)}`);
    ui = await renderUi(api, {rows: 30});
    await selectWeb(ui);
    await ui.press('w');
    await ui.waitForScreen((s) => s.includes('· wrap'), 'wrap on');
    const shownLines = (screen: string): number[] => [...screen.matchAll(/│ ?line (\d+) /g)].map((m) => Number(m[1]));
    // Page up from the bottom, again and again: each view must reach the one before it (no line skipped).
    let previous = shownLines(ui.screen());
    expect(previous).toContain(60);
    for (let page = 0; page < 30 && !previous.includes(1); page++) {
      await ui.press(keys.pageUp);
      const before = previous;
      const screen = await ui.waitForScreen((s) => shownLines(s).length > 0 && shownLines(s).join() !== before.join(), `page ${page + 1} up`);
      previous = shownLines(screen);
      // The first (partly shown) line of the last view is at most one line below the bottom of this one.
      expect(Math.max(...previous) + 1).toBeGreaterThanOrEqual(Math.min(...before));
    }
    expect(previous).toContain(1);
    await ui.press('G', 'g');
    const top = await ui.waitForScreen((s) => /│ ?line 1 0/.test(s), 'line 1 after g');
    expect(top.split('\n').find((row) => row.includes('│') && /line \d+/.test(row))).toMatch(/│ ?line 1 0/);
  });

  it('with wrap on, PgDn then PgUp comes back to the first line, tall lines and all', async () => {
    const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 10, since: now})]});
    for (let i = 1; i <= 80; i += 1) api.print('web.1', i % 7 === 0 ? `line ${i} ${'x'.repeat(400)}` : `line ${i}`);
    ui = await renderUi(api, {rows: 30});
    await selectWeb(ui);
    await ui.press('w');
    await ui.waitForScreen((s) => s.includes('· wrap'), 'wrap on');
    const firstShown = (screen: string): number => Number(/│ ?line (\d+)/.exec(screen)?.[1]);
    await ui.press('g');
    await ui.waitForScreen((s) => firstShown(s) === 1, 'line 1 at the top');
    await ui.press(keys.pageDown);
    await ui.waitForScreen((s) => firstShown(s) > 1, 'a page down');
    await ui.press(keys.pageUp);
    await ui.waitForScreen((s) => firstShown(s) === 1, 'line 1 at the top again');
  });

  it('scrolls by one line with j/k when the log pane has focus', async () => {
    const api = webApi(100);
    ui = await renderUi(api, {rows: 30});
    await selectWeb(ui);
    await ui.press(keys.tab, 'k', 'k');
    const screen = await ui.waitForScreen((s) => s.includes('paused') && !s.includes('line 100'), 'two lines up');
    expect(screen).toContain('line 98');
    expect(screen).not.toContain('line 99');
  });

  it('keeps ANSI colors of the process, marks stderr, and prefixes names in all', async () => {
    const api = new FakeApi({
      instances: [instance('web.1', {status: 'running', pid: 10, since: now}), instance('worker.1', {status: 'running', pid: 11, since: now})],
    });
    api.print('web.1', 'plain \u001B[32mgreen\u001B[39m text');
    api.print('worker.1', 'it broke', 'stderr');
    api.print('system', 'web.1 started (pid 10)', 'system');
    ui = await renderUi(api);
    const frame = await ui.waitForFrame((f) => f.includes('it broke'));
    expect(frame).toContain('\u001B[32mgreen');
    expect(ui.screen()).toMatch(/web\.1\s+ plain green text/);
    expect(ui.screen()).toMatch(/worker\.1\s+▌it broke/);
    expect(ui.screen()).toMatch(/system\s+ web\.1 started \(pid 10\)/);
  });

  it('cuts a name longer than the list column in all, as the list does, so the lines stay aligned', async () => {
    const long = 'a-really-quite-long-process-name.1';
    const api = new FakeApi({instances: [instance(long, {status: 'running', pid: 10, since: now}), instance('x.1', {status: 'running', pid: 11, since: now})]});
    api.print(long, 'from the long one');
    api.print('x.1', 'from x');
    ui = await renderUi(api);
    const screen = await ui.waitForScreen((s) => s.includes('from x') && s.includes('from the long one'));
    const pane = screen.split('\n').map((row) => row.slice(row.indexOf('│') + 1));
    const long1 = pane.find((row) => row.includes('from the long one'))!;
    const short1 = pane.find((row) => row.includes('from x'))!;
    expect(long1).toMatch(/^a-really-…ess-name\.1\s/); // 20 columns, as in the list, keeping the instance number
    expect(long1.indexOf('from')).toBe(short1.indexOf('from'));
  });

  it('marks stderr with ! and drops colors under NO_COLOR', async () => {
    const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 10, since: now})]});
    api.print('web.1', 'plain \u001B[32mgreen\u001B[39m text');
    api.print('web.1', 'oops', 'stderr');
    ui = await renderUi(api, {noColor: true});
    const frame = await ui.waitForFrame((f) => f.includes('oops'));
    expect(frame).not.toContain('\u001B[32m');
    expect(frame).toMatch(/!oops/);
  });

  it('highlights search matches and moves between them with n and N', async () => {
    const api = webApi(0);
    for (let i = 1; i <= 200; i += 1) api.print('web.1', i % 50 === 0 ? `needle number ${i}` : `hay ${i}`);
    ui = await renderUi(api, {rows: 30});
    await selectWeb(ui);
    await ui.press('/', 'n', 'e', 'e', 'd', 'l', 'e');
    await ui.waitForScreen((s) => s.includes('/needle█'), 'the search prompt');
    await ui.press(keys.enter);
    // The newest match is current (yellow); it is visible with its highlight.
    let frame = await ui.waitForFrame((f) => new RegExp(`${current}needle`).test(f), 'the current match highlighted');
    expect(ui.screen()).toContain('needle number 200');
    await ui.press('n');
    frame = await ui.waitForFrame((f) => new RegExp(`${current}needle\\S* number 150`).test(f), 'the older match current');
    expect(ui.screen()).toContain('paused');
    await ui.press('n', 'n', 'n');
    await ui.waitForScreen((s) => s.includes('no older match for "needle"'));
    await ui.press('N');
    frame = await ui.waitForFrame((f) => new RegExp(`${current}needle\\S* number 100`).test(f), 'N goes back to a newer match');
    expect(frame).toContain('needle');
    // Esc clears the search, and the status that was about its matches.
    await ui.press(keys.escape);
    await ui.waitForScreen((s) => s.includes('search cleared') && !s.includes('search "needle"'), 'the search cleared');
  });

  it('scrolled to the top, / finds a line below too (there is nothing older)', async () => {
    const api = webApi(0);
    for (let i = 1; i <= 200; i += 1) api.print('web.1', i === 150 ? 'needle at 150' : `hay ${i}`);
    ui = await renderUi(api, {rows: 30});
    await selectWeb(ui);
    await ui.press(keys.tab, 'g');
    await ui.waitForScreen((s) => s.includes('hay 1\n') || /hay 1\s/.test(s), 'the top of the log');
    await ui.press('/', 'n', 'e', 'e', 'd', 'l', 'e', keys.enter);
    await ui.waitForScreen((s) => s.includes('found "needle"') && s.includes('needle at 150'), 'the match below the top');
  });

  it('says so when a search finds nothing', async () => {
    const api = webApi(10);
    ui = await renderUi(api);
    await selectWeb(ui);
    await ui.press('/', 'z', 'q', keys.enter);
    await ui.waitForScreen((s) => s.includes('no match for "zq"'));
  });

  it('filters to matching lines, in all too, and f again clears the filter', async () => {
    const api = new FakeApi({
      instances: [instance('web.1', {status: 'running', pid: 10, since: now}), instance('worker.1', {status: 'running', pid: 11, since: now})],
    });
    for (let i = 1; i <= 50; i += 1) {
      api.print('web.1', `GET /page/${i} 200`);
      api.print('worker.1', i % 10 === 0 ? `job ${i} failed` : `job ${i} ok`);
    }
    ui = await renderUi(api, {rows: 30});
    await ui.press('f', 'f', 'a', 'i', 'l', keys.enter);
    const screen = await ui.waitForScreen((s) => s.includes('filter "fail"'));
    const logLines = screen.split('\n').filter((line) => line.includes('job'));
    expect(logLines).toHaveLength(5);
    expect(screen).not.toContain('GET /page');
    await ui.press('f');
    await ui.waitForScreen((s) => s.includes('GET /page/50') && s.includes('filter cleared'));
  });

  it('wraps long lines with w', async () => {
    const api = webApi(0);
    api.print('web.1', `start ${'x'.repeat(120)} end`);
    ui = await renderUi(api, {columns: 100});
    await selectWeb(ui);
    expect(ui.screen()).not.toContain(' end');
    await ui.press('w');
    await ui.waitForScreen((s) => s.includes('x end') && s.includes('wrap'), 'the wrapped tail');
  });

  it('reads only about a screenful of lines per frame', async () => {
    const api = webApi(5000);
    ui = await renderUi(api, {rows: 30});
    await selectWeb(ui);
    api.largestLimit = 0;
    for (let i = 0; i < 100; i += 1) api.print('web.1', `burst ${i}`);
    await ui.waitForScreen((s) => s.includes('burst 99'));
    expect(api.largestLimit).toBeLessThanOrEqual(30);
  });
});

describe('long lines', () => {
  it('shows the start of a 64 KiB line cut to the pane, and wraps it on w', async () => {
    const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 10, since: Date.now()})]});
    api.print('web.1', `BEGIN ${'0123456789'.repeat(6553)}`);
    ui = await renderUi(api, {columns: 100, rows: 20});
    await ui.press('j');
    let screen = await ui.waitForScreen((s) => s.includes('BEGIN 0123456789'));
    expect(screen.split('\n').every((line) => line.length <= 100)).toBe(true);
    await ui.press('w');
    screen = await ui.waitForScreen((s) => s.includes('wrap') && (s.match(/0123456789/g) ?? []).length > 20, 'the wrapped rows');
  });
});
