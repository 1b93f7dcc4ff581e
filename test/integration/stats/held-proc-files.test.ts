import {afterEach, describe, expect, it} from 'vitest';
import {HeldProcFiles} from '../../../src/core/stats/held-proc-files.js';
import {isSameProcess} from '../../../src/core/stats/process-table.js';
import {waitFor} from '../../helpers/wait-for.js';
import {killEverything, startFixture} from './fixtures.js';

afterEach(killEverything);

describe('HeldProcFiles', () => {
  it('re-reads stat and children through the same fds, and sees children born later', async () => {
    const files = new HeldProcFiles();
    const tree = startFixture('stats-spin-on-usr1.sh');
    await tree.waitForLine(/^ready$/);
    const sleeper = await waitFor(() => files.readChildren(tree.pid)?.[0]);
    expect(files.readStat(tree.pid)).toMatchObject({pid: tree.pid, comm: 'stats-spin-on-u'});
    expect(files.heldCount).toBe(2);
    process.kill(tree.pid, 'SIGUSR1');
    const spinner = Number((await tree.waitForLine(/^spawned (\d+)$/))[1]);
    await waitFor(() => files.readChildren(tree.pid)?.includes(spinner), {describe: () => JSON.stringify(files.readChildren(tree.pid))});
    expect(files.readChildren(tree.pid)).toContain(sleeper);
    expect(files.heldCount).toBe(2);
    files.close();
    expect(files.heldCount).toBe(0);
  });

  it('reports an ended process as gone and lets go of both its fds', async () => {
    const files = new HeldProcFiles();
    const tree = startFixture('stats-tree.sh');
    await tree.waitForLine(/^pids /);
    const startTime = files.readStat(tree.pid)!.startTime;
    files.readChildren(tree.pid);
    process.kill(-tree.pgid, 'SIGKILL');
    await waitFor(() => !isSameProcess(tree.pid, startTime));
    // Reaped by the test runner (its parent): the held fds now answer ESRCH.
    await waitFor(() => tree.child.exitCode !== null || tree.child.signalCode !== null);
    expect(files.readStat(tree.pid)).toBeNull();
    expect(files.readChildren(tree.pid)).toBeNull();
    expect(files.heldCount).toBe(0);
  });

  it('closes the fds of pids it is told to drop', async () => {
    const files = new HeldProcFiles();
    files.readStat(process.pid);
    files.readChildren(process.pid);
    files.readStat(process.ppid);
    files.keepOnly(new Set([process.ppid]));
    expect(files.heldCount).toBe(1);
  });

  it('falls back to open-read-close beyond its fd limit', () => {
    const files = new HeldProcFiles(1);
    expect(files.readStat(process.pid)?.pid).toBe(process.pid);
    expect(files.readStat(process.ppid)?.pid).toBe(process.ppid);
    expect(files.heldCount).toBe(1);
  });
});
