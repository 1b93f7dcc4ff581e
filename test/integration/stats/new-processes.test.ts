import {readdirSync} from 'node:fs';
import {Worker} from 'node:worker_threads';
import {afterEach, describe, expect, it} from 'vitest';
import {readCreatedProcesses} from '../../../src/core/stats/new-processes.js';
import {readLastCreatedPid} from '../../../src/core/stats/proc-files.js';
import {waitFor} from '../../helpers/wait-for.js';
import {killEverything, startFixture} from './fixtures.js';

afterEach(killEverything);

const threadIds = () => new Set(readdirSync('/proc/self/task').map(Number));

describe('readCreatedProcesses', () => {
  it('lists processes created since a pid was last handed out, but not threads', async () => {
    const before = readLastCreatedPid()!;
    const threadsBefore = threadIds();
    const worker = new Worker('setInterval(() => {}, 1 << 30)', {eval: true});
    try {
      await new Promise((resolve) => worker.once('online', resolve));
      const newThreads = [...threadIds()].filter((tid) => !threadsBefore.has(tid));
      expect(newThreads.length).toBeGreaterThan(0);
      const tree = startFixture('stats-tree.sh');
      const [, a, b] = (await tree.waitForLine(/^pids (\d+) (\d+)$/)).map(Number);
      const after = readLastCreatedPid()!;
      const created = readCreatedProcesses(before, after, 100_000)!.map((entry) => entry.pid);
      expect(created).toEqual(expect.arrayContaining([tree.pid, a, b]));
      for (const tid of newThreads) expect(created).not.toContain(tid);
      // Oldest first: the shell before the children it forked.
      expect(created.indexOf(tree.pid)).toBeLessThan(created.indexOf(a!));
    } finally {
      await worker.terminate();
    }
  });

  it('declines when more pids were handed out than the limit, or they wrapped', async () => {
    const before = readLastCreatedPid()!;
    const tree = startFixture('stats-tree.sh');
    await tree.waitForLine(/^pids /);
    const after = await waitFor(() => (readLastCreatedPid()! > before + 2 ? readLastCreatedPid()! : undefined));
    expect(readCreatedProcesses(before, after, 1)).toBeNull();
    expect(readCreatedProcesses(after, before, 1000)).toBeNull();
    expect(readCreatedProcesses(after, after, 0)).toEqual([]);
  });
});
