import {afterEach, describe, expect, it} from 'vitest';
import type {StatsSample} from '../../../src/core/api.js';
import {isSameProcess, readProcessEntry} from '../../../src/core/stats/process-table.js';
import {StatsSampler, type InstanceGroup} from '../../../src/core/stats/sampler.js';
import {waitFor} from '../../helpers/wait-for.js';
import {killEverything, startFixture, trackStray, type StartedFixture} from './fixtures.js';

afterEach(killEverything);

const group = (id: string, fixture: StartedFixture): InstanceGroup => ({id, pid: fixture.pid, pgid: fixture.pgid});

// Every way a tick can find the trees: a full /proc scan every tick; or
// (after the first tick) re-reading known members and finding new ones either
// through every member's children file or by probing the pids created since.
describe.each([
  {mode: 'full scan every tick', options: {fullScanEveryTicks: 1}},
  {mode: 'walk, children files', options: {fullScanEveryTicks: 1_000_000, probeLimit: 0}},
  {mode: 'walk, probing new pids', options: {fullScanEveryTicks: 1_000_000, probeLimit: 1_000_000}},
])('StatsSampler ($mode)', ({options}) => {
  it('reports more CPU for a busy loop than for sleeping processes, and RSS for both', async () => {
    const sampler = new StatsSampler(options);
    const busy = startFixture('stats-spin.sh');
    const idle = startFixture('stats-tree.sh');
    await busy.waitForLine(/^spinning$/);
    await idle.waitForLine(/^pids /);
    const groups = [group('busy.1', busy), group('idle.1', idle)];
    let last: StatsSample | undefined;
    await sampler.sample(groups);
    await waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        last = await sampler.sample(groups);
        const b = last.instances['busy.1'];
        const i = last.instances['idle.1'];
        return b !== undefined && i !== undefined && b.cpuPercent > 30 && i.cpuPercent < b.cpuPercent / 2;
      },
      {describe: () => JSON.stringify(last)},
    );
    expect(last?.instances['busy.1']?.rssBytes).toBeGreaterThan(0);
    // Three processes (sh + two sleeps) each have resident pages.
    expect(last?.instances['idle.1']?.rssBytes).toBeGreaterThan(3 * 4096);
  });

  it('counts the CPU of a child born after the tree was first sampled', async () => {
    const sampler = new StatsSampler(options);
    const tree = startFixture('stats-spin-on-usr1.sh');
    await tree.waitForLine(/^ready$/);
    const groups = [group('grow.1', tree)];
    const before = await sampler.sample(groups);
    process.kill(tree.pid, 'SIGUSR1');
    const spinner = Number((await tree.waitForLine(/^spawned (\d+)$/))[1]);
    let last: StatsSample | undefined;
    await waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        last = await sampler.sample(groups);
        return (last.instances['grow.1']?.cpuPercent ?? 0) > 30;
      },
      {describe: () => JSON.stringify({before, last})},
    );
    expect(sampler.knownMembers('grow.1').map((member) => member.pid)).toContain(spinner);
  });

  it('reports a group as paused while every process in it is stopped (SIGSTOP), and not once it continues', async () => {
    const sampler = new StatsSampler(options);
    const tree = startFixture('stats-tree.sh');
    const [, first, second] = (await tree.waitForLine(/^pids (\d+) (\d+)$/)).map(Number);
    const groups = [group('tree.1', tree)];
    const pausedNow = async () => (await sampler.sample(groups)).instances['tree.1']?.paused;
    expect(await pausedNow()).toBe(false);
    const states = () => [tree.pid, first!, second!].map((pid) => readProcessEntry(pid)?.state).join('');
    // One process of the group stopped is not the group paused.
    process.kill(second!, 'SIGSTOP');
    await waitFor(() => states().endsWith('T'), {describe: states});
    expect(await pausedNow()).toBe(false);
    process.kill(-tree.pgid, 'SIGSTOP');
    await waitFor(() => states() === 'TTT', {describe: states});
    expect(await pausedNow()).toBe(true);
    process.kill(-tree.pgid, 'SIGCONT');
    await waitFor(() => !states().includes('T'), {describe: states});
    expect(await pausedNow()).toBe(false);
  });

  it('remembers a setsid escapee after its parent shell is killed, until it ends', async () => {
    const sampler = new StatsSampler(options);
    const tree = startFixture('stats-tree.sh', ['setsid']);
    const match = await tree.waitForLine(/^pids (\d+) (\d+)$/);
    const [escapee, sibling] = [Number(match[1]), Number(match[2])];
    await waitFor(() => readProcessEntry(escapee)?.pgid === escapee && readProcessEntry(sibling)?.comm === 'sleep', {
      describe: () => JSON.stringify([readProcessEntry(escapee), readProcessEntry(sibling)]),
    });
    const startTime = readProcessEntry(escapee)!.startTime;
    const siblingStartTime = readProcessEntry(sibling)!.startTime;
    trackStray(escapee, startTime);

    const groups = [group('tree.1', tree)];
    await sampler.sample(groups);
    await sampler.sample(groups);
    expect(sampler.knownMembers('tree.1').map((member) => member.pid)).toContain(escapee);

    process.kill(-tree.pgid, 'SIGKILL');
    // SIGKILL takes effect when each process next runs: wait for both to have ended.
    await waitFor(() => !isSameProcess(tree.pid, readProcessEntry(tree.pid)?.startTime ?? -1) && !isSameProcess(sibling, siblingStartTime));
    // Right after the kill, and after a tick that still includes the dead group.
    expect(sampler.knownMembers('tree.1')).toContainEqual(expect.objectContaining({pid: escapee, startTime}));
    await sampler.sample(groups);
    const members = sampler.knownMembers('tree.1');
    expect(members).toEqual([expect.objectContaining({pid: escapee, startTime, pgid: escapee})]);

    // What the supervisor does next: end the escapee, guarded against pid reuse.
    for (const member of members) if (isSameProcess(member.pid, member.startTime)) process.kill(member.pid, 'SIGKILL');
    await waitFor(() => !isSameProcess(escapee, startTime));
    await sampler.sample(groups);
    expect(sampler.knownMembers('tree.1')).toEqual([]);
  });
});

// No main-thread children file lists such a child.
describe('StatsSampler, a child forked from a worker thread', () => {
  it('is found by probing the pids created since the last tick', async () => {
    const sampler = new StatsSampler({fullScanEveryTicks: 1_000_000, probeLimit: 1_000_000});
    const parent = startFixture('stats-thread-spawn.mjs');
    await parent.waitForLine(/^ready$/);
    const groups = [group('threads.1', parent)];
    await sampler.sample(groups);
    process.kill(parent.pid, 'SIGUSR1');
    const child = Number((await parent.waitForLine(/^child (\d+)$/))[1]);
    await sampler.sample(groups);
    expect(sampler.knownMembers('threads.1').map((member) => member.pid)).toContain(child);
  });

  it('is found by the next full scan when probing is off', async () => {
    const sampler = new StatsSampler({fullScanEveryTicks: 3, probeLimit: 0});
    const parent = startFixture('stats-thread-spawn.mjs');
    await parent.waitForLine(/^ready$/);
    const groups = [group('threads.1', parent)];
    await sampler.sample(groups); // tick 1: a full scan, before the worker spawns
    process.kill(parent.pid, 'SIGUSR1');
    const child = Number((await parent.waitForLine(/^child (\d+)$/))[1]);
    let ticks = 1;
    await waitFor(
      async () => {
        ticks += 1;
        await sampler.sample(groups);
        return sampler.knownMembers('threads.1').some((member) => member.pid === child);
      },
      {describe: () => `after ${ticks} ticks: ${JSON.stringify(sampler.knownMembers('threads.1'))}`},
    );
    expect(ticks).toBe(4); // not before the next full scan, at tick 4
  });
});

describe('StatsSampler.scanTree', () => {
  it('records the whole tree at once, including the escapee', async () => {
    const sampler = new StatsSampler();
    const tree = startFixture('stats-tree.sh', ['setsid']);
    const match = await tree.waitForLine(/^pids (\d+) (\d+)$/);
    const [escapee, sibling] = [Number(match[1]), Number(match[2])];
    await waitFor(() => readProcessEntry(escapee)?.pgid === escapee && readProcessEntry(sibling)?.comm === 'sleep');
    const scanned = sampler.scanTree([group('tree.1', tree)]);
    const pids = (scanned.get('tree.1') ?? []).map((member) => member.pid).sort((a, b) => a - b);
    expect(pids).toEqual([tree.pid, escapee, sibling].sort((a, b) => a - b));
    expect(sampler.knownMembers('tree.1').map((member) => member.pid).sort((a, b) => a - b)).toEqual(pids);
  });

  it('forget drops what was remembered', async () => {
    const sampler = new StatsSampler();
    const tree = startFixture('stats-tree.sh');
    await tree.waitForLine(/^pids /);
    sampler.scanTree([group('tree.1', tree)]);
    expect(sampler.knownMembers('tree.1').length).toBeGreaterThan(0);
    sampler.forget('tree.1');
    expect(sampler.knownMembers('tree.1')).toEqual([]);
  });
});
