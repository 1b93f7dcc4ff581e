import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {historyLength, UiStore} from '../../../src/ui/store.js';
import {FakeApi, instance} from '../../helpers/fake-api.js';

const now = Date.now();

function setUp(): {api: FakeApi; store: UiStore; frames: () => number} {
  const api = new FakeApi({
    instances: [instance('web.1', {status: 'running', pid: 1, since: now}), instance('worker.1', {status: 'running', pid: 2, since: now})],
  });
  const store = new UiStore(api, {size: {columns: 100, rows: 30}, noColor: false, frameIntervalMs: 33});
  let count = 0;
  store.subscribe(() => {
    count += 1;
  });
  return {api, store, frames: () => count};
}

describe('UiStore', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns a burst of log lines into one frame', () => {
    const {api, store, frames} = setUp();
    for (let i = 0; i < 10_000; i += 1) api.print('web.1', `line ${i}`);
    expect(frames()).toBe(0);
    vi.advanceTimersByTime(40);
    expect(frames()).toBe(1);
    expect(store.getSnapshot().log.rows.at(-1)).toContain('line 9999');
    store.dispose();
  });

  it('publishes at most about 30 frames a second under a steady stream', () => {
    const {api, store, frames} = setUp();
    for (let ms = 0; ms < 1000; ms += 1) {
      api.print('web.1', `line ${ms}`);
      vi.advanceTimersByTime(1);
    }
    expect(frames()).toBeLessThanOrEqual(31);
    expect(frames()).toBeGreaterThanOrEqual(20);
    store.dispose();
  });

  it('gathers a stats tick and a log line a few ms apart into one frame', () => {
    const {api, store, frames} = setUp();
    vi.advanceTimersByTime(1000);
    api.sampleStats({'web.1': {cpuPercent: 1, rssBytes: 1000}});
    vi.advanceTimersByTime(20);
    api.print('web.1', 'tick');
    expect(frames()).toBe(0);
    vi.advanceTimersByTime(13);
    expect(frames()).toBe(1);
    expect(store.getSnapshot().log.rows.at(-1)).toContain('tick');
    expect(store.getSnapshot().history.cpuPercent).toEqual([1]);
    vi.advanceTimersByTime(1000);
    expect(frames()).toBe(1);
    store.dispose();
  });

  it('reads the log again only when it or the pane changed', () => {
    const {api, store, frames} = setUp();
    api.print('web.1', 'first');
    vi.advanceTimersByTime(40);
    const reads = api.readCalls;
    api.sampleStats({'web.1': {cpuPercent: 1, rssBytes: 1000}});
    vi.advanceTimersByTime(40);
    expect(frames()).toBe(2);
    expect(api.readCalls).toBe(reads);
    api.print('web.1', 'second');
    vi.advanceTimersByTime(40);
    expect(api.readCalls).toBeGreaterThan(reads);
    expect(store.getSnapshot().log.rows.at(-1)).toContain('second');
    const afterLine = api.readCalls;
    store.update({wrap: true});
    expect(api.readCalls).toBeGreaterThan(afterLine);
    store.dispose();
  });

  it('publishes nothing and keeps no timer while nothing changes', () => {
    const {store, frames} = setUp();
    vi.advanceTimersByTime(10_000);
    expect(frames()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    store.dispose();
  });

  it('ignores lines of a log that is not on screen', () => {
    const {api, store, frames} = setUp();
    store.update({selectedKey: 'worker.1'});
    const before = frames();
    for (let i = 0; i < 100; i += 1) api.print('web.1', `line ${i}`);
    vi.advanceTimersByTime(100);
    expect(frames()).toBe(before);
    api.print('worker.1', 'visible');
    vi.advanceTimersByTime(100);
    expect(frames()).toBe(before + 1);
    store.dispose();
  });

  it('keeps the last minute of stats per instance for the sparklines', () => {
    const {api, store} = setUp();
    store.update({selectedKey: 'web.1'});
    for (let i = 1; i <= 100; i += 1) {
      api.sampleStats({'web.1': {cpuPercent: i, rssBytes: i * 1000}, 'worker.1': {cpuPercent: 1, rssBytes: 1}});
      vi.advanceTimersByTime(1000);
    }
    const {history} = store.getSnapshot();
    expect(history.cpuPercent).toHaveLength(historyLength);
    expect(history.cpuPercent.at(-1)).toBe(100);
    expect(history.cpuPercent[0]).toBe(41);
    store.update({selectedKey: 'all'});
    expect(store.getSnapshot().history.cpuPercent.at(-1)).toBe(101);
    store.dispose();
  });

  it('ticks once a second only while a countdown is on screen', () => {
    const {api, store, frames} = setUp();
    api.setState('web.1', {status: 'restarting', exit: {code: 1, signal: null}, at: Date.now() + 3000});
    vi.advanceTimersByTime(3500);
    expect(frames()).toBeGreaterThanOrEqual(4);
    api.setState('web.1', {status: 'running', pid: 3, since: Date.now()});
    vi.advanceTimersByTime(1100);
    const settled = frames();
    vi.advanceTimersByTime(5000);
    expect(frames()).toBe(settled);
    store.dispose();
  });

  it('keeps the selection on the same type when the selected instance is scaled away, so a second - scales that type again', () => {
    const {api, store} = setUp();
    const web = (n: number) => instance(`web.${n}`, {status: 'running', pid: n, since: now});
    const worker = instance('worker.1', {status: 'running', pid: 9, since: now});
    api.setInstances([web(1), web(2), web(3), worker]);
    store.update({selectedKey: 'web.3', selectedIndex: 3});
    api.setInstances([web(1), web(2), worker]);
    vi.advanceTimersByTime(40);
    expect(store.getSnapshot().selected.key).toBe('web.2');
    api.setInstances([worker]); // web at 0: its own row
    vi.advanceTimersByTime(40);
    expect(store.getSnapshot().selected.key).toBe('type:web');
    store.dispose();
  });
});
