import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {compileMatcher} from '../../../../src/ui/search.js';
import {UiStore} from '../../../../src/ui/store.js';
import {renderScreen} from '../../../../src/ui/view/screen.js';
import {dim} from '../../../../src/ui/theme.js';
import {FakeApi, instance} from '../../../helpers/fake-api.js';

function storeWith(columns: number, rows: number): UiStore {
  const now = Date.now();
  const api = new FakeApi({
    instances: [
      instance('web.1', {status: 'running', pid: 4312, since: now}, {listenPorts: [5000, 5001, 5002, 5003]}),
      instance('a-rather-long-worker-name.1', {status: 'restarting', exit: {code: 1, signal: null}, at: now + 3000}),
    ],
  });
  for (let i = 0; i < 100; i += 1) api.print('web.1', `\u001B[33mline\u001B[39m ${i} ${'x'.repeat(i * 3)}`);
  return new UiStore(api, {size: {columns, rows}, noColor: false});
}

describe('renderScreen', () => {
  it.each([[60, 15], [70, 20], [100, 30], [120, 40], [250, 60]])('fills %dx%d exactly, never wider', (columns, rows) => {
    const store = storeWith(columns, rows);
    for (const mode of [{kind: 'normal'}, {kind: 'help', page: 0}, {kind: 'signals', index: 3, target: 'web.1'}] as const) {
      store.update({mode, selectedKey: 'web.1', wrap: mode.kind === 'normal'});
      const lines = renderScreen(store.getSnapshot());
      expect(lines).toHaveLength(rows);
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    }
    store.dispose();
  });

  it('names the state in the log pane header once: a restart reads ↻ 3s, a run ● running', () => {
    const store = storeWith(120, 20);
    const headerOf = (selectedKey: string): string => {
      store.update({selectedKey});
      return renderScreen(store.getSnapshot())[1]!.split(dim('│'))[1]!;
    };
    expect(headerOf('a-rather-long-worker-name.1')).toMatch(/ a-rather-long-worker-name\.1 .*↻ 3s /);
    expect(headerOf('a-rather-long-worker-name.1')).not.toContain('↻ ↻');
    expect(headerOf('web.1')).toMatch(/ web\.1 .*● running /);
    store.dispose();
  });

  it('fits the log pane header to its pane, double-width search text included', () => {
    const cases = [
      {columns: 250, query: 'GET', isCut: false, shows: 'search "GET"'},
      {columns: 250, query: '検索'.repeat(60), isCut: true, shows: 'search "検索'},
      {columns: 70, query: 'GET', isCut: true, shows: 'web.1'},
    ];
    for (const {columns, query, isCut, shows} of cases) {
      const store = storeWith(columns, 20);
      store.update({selectedKey: 'web.1', search: compileMatcher(query)});
      const frame = store.getSnapshot();
      const header = renderScreen(frame)[1]!.split(dim('│'))[1]!;
      expect(stringWidth(header)).toBeLessThanOrEqual(frame.layout.logWidth);
      expect(header.endsWith('…'), `${columns} columns, search ${query}`).toBe(isCut);
      expect(header).toContain(shows);
      store.dispose();
    }
  });

  it('redraws a list row when anything it shows changes, and only then', () => {
    const now = Date.now();
    const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 4312, since: now}), instance('worker.1', {status: 'running', pid: 4313, since: now})]});
    const store = new UiStore(api, {size: {columns: 120, rows: 20}, noColor: false});
    const rowOf = (id: string): string => renderScreen(store.getSnapshot()).find((line) => line.includes(id))!.split(dim('│'))[0]!;
    const before = rowOf('worker.1');
    expect(before).toContain('4313');
    api.sampleStats({'worker.1': {cpuPercent: 42, rssBytes: 3 * 1024 * 1024}});
    store.update({});
    const after = rowOf('worker.1');
    expect(after).not.toBe(before);
    expect(after).toMatch(/42\.0%.*3\.0M/);
    store.update({selectedKey: 'worker.1', focus: 'list'});
    expect(rowOf('worker.1')).toContain('\u001B[7m');
    expect(rowOf('web.1')).not.toContain('\u001B[7m');
    store.dispose();
  });

  it('says the terminal is too small in one line', () => {
    const store = storeWith(40, 10);
    expect(renderScreen(store.getSnapshot())).toEqual(['terminal too small: 40x10 (needs 60x15)']);
    store.dispose();
  });
});

describe('wide characters on the screen', () => {
  it('keeps every line within the screen with CJK and emoji in prompts, statuses and names', () => {
    const now = Date.now();
    const api = new FakeApi({
      instances: [
        instance('日本語のとても長いプロセス名.1', {status: 'running', pid: 1, since: now}),
        instance('日本語のとても長いプロセス名.2', {status: 'running', pid: 2, since: now}),
      ],
    });
    api.print('日本語のとても長いプロセス名.1', '出力 🚀');
    const store = new UiStore(api, {size: {columns: 120, rows: 30}, noColor: false});
    const wide = '日本語'.repeat(30);
    const modes = [
      {mode: {kind: 'prompt', purpose: 'search', text: wide}},
      {mode: {kind: 'prompt', purpose: 'input', text: `héllo ${wide} 🚀`, target: '日本語のとても長いプロセス名.1'}},
      {mode: {kind: 'normal'}, status: {text: `found "${wide}"`, ok: true}},
    ] as const;
    for (const state of modes) {
      store.update(state);
      for (const line of renderScreen(store.getSnapshot())) expect(stringWidth(line)).toBeLessThanOrEqual(120);
    }
    store.update({mode: {kind: 'normal'}});
    // Cut names keep both ends and their instance number, so .1 and .2 stay apart.
    const list = renderScreen(store.getSnapshot()).join('\n');
    expect(list).toMatch(/日本語…セス名\.1 /);
    expect(list).toMatch(/日本語…セス名\.2 /);
    store.dispose();
  });
});

describe('key hints', () => {
  const lastLine = (store: UiStore) => renderScreen(store.getSnapshot()).at(-1)!;

  it('say what j/k do in the focused part: select in the list, scroll in the log pane', () => {
    const store = storeWith(120, 40);
    expect(lastLine(store)).toContain('j/k select');
    store.update({focus: 'log'});
    expect(lastLine(store)).toContain('j/k scroll · Tab list · / search · ? help · q quit'); // whole, not cut
    store.dispose();
    const narrow = storeWith(80, 24);
    narrow.update({focus: 'log'});
    expect(lastLine(narrow)).toContain('j/k scroll · ? help · q quit');
    narrow.dispose();
  });

  it('say in the signal menu that a digit sends at once', () => {
    const store = storeWith(120, 40);
    store.update({mode: {kind: 'signals', index: 0, target: 'web.1'}, selectedKey: 'web.1'});
    const screen = renderScreen(store.getSnapshot()).join('\n');
    expect(screen).toContain('Enter or 1-9 sends · j/k moves · Esc cancels');
    expect(lastLine(store)).toContain('Enter or 1-9 sends');
    store.dispose();
  });
});
