import {describe, expect, it} from 'vitest';
import {parsePsTable} from '../../../../src/core/stats/ps-table.js';

describe('parsePsTable', () => {
  it('reads pid, parents, group, CPU time, RSS, start time and a comm with spaces', () => {
    const table = parsePsTable(
      '    1     0     1 Ss    0:01.50  1024 Wed Nov 25 15:50:39 2026 launchd\n' +
        '  812     1   812 R+   1-02:03:04 20480 Wed Nov 25 15:51:00 2026 Google Chrome Helper\n',
    );
    expect(table.get(1)).toMatchObject({pid: 1, ppid: 0, pgid: 1, state: 'S', cpuTicks: 150, rssBytes: 1024 * 1024, comm: 'launchd'});
    expect(table.get(812)).toMatchObject({ppid: 1, state: 'R', cpuTicks: (86_400 + 2 * 3600 + 3 * 60 + 4) * 100, comm: 'Google Chrome Helper'});
    expect(table.get(812)!.startTime - table.get(1)!.startTime).toBe(21);
  });
});
