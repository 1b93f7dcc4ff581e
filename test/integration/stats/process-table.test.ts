import {spawn} from 'node:child_process';
import {afterEach, describe, expect, it} from 'vitest';
import {
  collectTree,
  findLiveGroupMember,
  isSameProcess,
  readChildPids,
  readProcessEntry,
  readProcessTable,
} from '../../../src/core/stats/process-table.js';
import {waitFor} from '../../helpers/wait-for.js';
import {killEverything, startFixture, trackStray} from './fixtures.js';

afterEach(killEverything);

async function startTree(mode?: 'setsid') {
  const tree = startFixture('stats-tree.sh', mode ? [mode] : []);
  const match = await tree.waitForLine(/^pids (\d+) (\d+)$/);
  const [first, second] = [Number(match[1]), Number(match[2])];
  // `$!` is known before the child has exec'd `sleep` (and, for setsid, left
  // the group): wait until the table shows both as sleeps.
  await waitFor(
    () => {
      const table = readProcessTable();
      return table.get(first)?.comm === 'sleep' && table.get(second)?.comm === 'sleep' && (mode !== 'setsid' || table.get(first)?.pgid !== tree.pgid);
    },
    {describe: () => JSON.stringify([readProcessEntry(first), readProcessEntry(second)])},
  );
  return {tree, first, second};
}

describe('readProcessTable', () => {
  it('lists this process with its parent, group and start time', () => {
    const table = readProcessTable();
    const self = table.get(process.pid);
    expect(self).toMatchObject({pid: process.pid, ppid: process.ppid, comm: expect.any(String)});
    expect(self?.startTime).toBeGreaterThan(0);
    expect(self?.rssBytes).toBeGreaterThan(0);
    expect(table.size).toBeGreaterThan(2);
  });
});

describe('collectTree', () => {
  it('finds the shell and both children of a process group', async () => {
    const {tree, first, second} = await startTree();
    const pids = collectTree(readProcessTable(), tree);
    expect(pids).toEqual([tree.pid, first, second].sort((a, b) => a - b));
  });

  it('finds a child that left the group with setsid', async () => {
    const {tree, first, second} = await startTree('setsid');
    const table = readProcessTable();
    expect(table.get(first)?.pgid).not.toBe(tree.pgid);
    expect(table.get(first)?.sid).toBe(first);
    expect(collectTree(table, tree)).toEqual([tree.pid, first, second].sort((a, b) => a - b));
  });

  it('finds descendants of extra roots whose parent link to the tree is gone', async () => {
    const {tree, first} = await startTree('setsid');
    const startTime = readProcessEntry(first)!.startTime;
    trackStray(first, startTime);
    process.kill(-tree.pgid, 'SIGKILL');
    // The escapee is reparented (to init or a subreaper): no ppid link leads to it any more.
    await waitFor(() => readProcessEntry(first)?.ppid !== tree.pid, {describe: () => JSON.stringify(readProcessEntry(first))});
    const table = readProcessTable();
    expect(collectTree(table, tree)).not.toContain(first);
    expect(collectTree(table, tree, [first])).toContain(first);
  });
});

describe('readChildPids', () => {
  it('lists the children the main thread forked', async () => {
    const {tree, first, second} = await startTree();
    expect(readChildPids(tree.pid)?.sort((a, b) => a - b)).toEqual([first, second].sort((a, b) => a - b));
  });
});

describe('isSameProcess', () => {
  it('is true for a living process with its own start time', async () => {
    const {first} = await startTree();
    expect(isSameProcess(first, readProcessEntry(first)!.startTime)).toBe(true);
  });

  it('is false for a living process with another start time (a reused pid)', async () => {
    const {first} = await startTree();
    expect(isSameProcess(first, readProcessEntry(first)!.startTime - 1)).toBe(false);
  });

  it('is false for a zombie, whose pid cannot be reused yet but which has ended', async () => {
    // `exec sleep 100` replaces the shell with a parent that never reaps its child.
    const tree = startFixture('stats-zombie-parent.sh');
    const zombie = Number((await tree.waitForLine(/^child (\d+)$/))[1]);
    const entry = await waitFor(() => (readProcessEntry(zombie)?.state === 'Z' ? readProcessEntry(zombie) : undefined), {
      describe: () => JSON.stringify(readProcessEntry(zombie)),
    });
    expect(isSameProcess(zombie, entry!.startTime)).toBe(false);
  });

  it('is false once the process has ended and been reaped', async () => {
    const child = spawn('sleep', ['100'], {stdio: 'ignore'});
    const pid = child.pid!;
    const startTime = await waitFor(() => readProcessEntry(pid)?.startTime);
    expect(isSameProcess(pid, startTime)).toBe(true);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(isSameProcess(pid, startTime)).toBe(false);
  });
});

describe('findLiveGroupMember', () => {
  it('finds a member while the group lives, and null once only zombies or nothing remain', async () => {
    const {tree} = await startTree();
    expect(findLiveGroupMember(tree.pgid)?.pgid).toBe(tree.pgid);
    process.kill(-tree.pgid, 'SIGKILL');
    await waitFor(() => findLiveGroupMember(tree.pgid) === null, {describe: () => JSON.stringify(findLiveGroupMember(tree.pgid))});
  });

  it('finds a member of a group created just after a scan it reuses', async () => {
    const {tree} = await startTree();
    expect(findLiveGroupMember(tree.pgid)).not.toBeNull(); // a scan, reused for a little while
    const child = spawn('sleep', ['100'], {stdio: 'ignore', detached: true});
    try {
      expect(findLiveGroupMember(child.pid!)?.pid).toBe(child.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
