import {describe, expect, it} from 'vitest';
import {collectTree, parseStatLine, type ProcessEntry} from '../../../../src/core/stats/process-table.js';
import {pageSizeBytes} from '../../../../src/core/stats/proc-files.js';

// A real line from this kernel, with the comm swapped for a hostile one.
const tail = 'S 5267 5267 3314 0 -1 4194304 100 0 0 0 7 3 0 0 20 0 1 0 35923 3133440 417 18446744073709551615 94356298739712 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';

describe('parseStatLine', () => {
  it('reads the fields after the last parenthesis when comm holds spaces and parentheses', () => {
    const entry = parseStatLine(`5275 (my (odd) ) prog) ${tail}\n`);
    expect(entry).toEqual({
      pid: 5275,
      ppid: 5267,
      pgid: 5267,
      sid: 3314,
      startTime: 35923,
      state: 'S',
      comm: 'my (odd) ) prog',
      cpuTicks: 10,
      rssBytes: 417 * pageSizeBytes,
    });
  });

  it('returns null for a truncated line instead of inventing fields', () => {
    expect(parseStatLine('5275 (sleep) S 1 2')).toBeNull();
    expect(parseStatLine('')).toBeNull();
  });
});

function entry(pid: number, ppid: number, pgid: number): ProcessEntry {
  return {pid, ppid, pgid, sid: pgid, startTime: pid, state: 'S', comm: `p${pid}`, cpuTicks: 0, rssBytes: 0};
}

describe('collectTree', () => {
  // 1 init; 100 procdeck; 200 the instance's sh (group 200) with children 201
  // (same group) and 202 (setsid: group 202) whose child 203 is in group 202;
  // 210 is in group 200 but was orphaned to init; 300 is unrelated.
  const table = new Map(
    [entry(1, 0, 1), entry(100, 1, 100), entry(200, 100, 200), entry(201, 200, 200), entry(202, 200, 202), entry(203, 202, 202), entry(210, 1, 200), entry(211, 210, 211), entry(300, 1, 300)].map(
      (e) => [e.pid, e] as const,
    ),
  );

  it('takes the group, its descendants through setsid escapes, and descendants of orphaned group members', () => {
    expect(collectTree(table, {pgid: 200, pid: 200})).toEqual([200, 201, 202, 203, 210, 211]);
  });

  it('takes descendants of extra roots, and ignores extra roots that are gone', () => {
    expect(collectTree(table, {pgid: 999, pid: 999}, [202, 404])).toEqual([202, 203]);
  });

  it('leaves out pids no longer in the table', () => {
    expect(collectTree(table, {pgid: 500, pid: 500})).toEqual([]);
  });
});
