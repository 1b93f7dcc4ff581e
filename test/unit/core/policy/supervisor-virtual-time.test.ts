/** The engine's policies on a virtual clock with a fake spawner: no real process, no real waiting. */
import {describe, expect, it} from 'vitest';
import type {ExitInfo, InstanceState} from '../../../../src/core/api.js';
import {processDefaults, type ProcessSpec, type StackSpec} from '../../../../src/config/spec.js';
import type {ChildExit, Spawner} from '../../../../src/core/spawn.js';
import {Supervisor} from '../../../../src/core/supervisor.js';
import {waitFor} from '../../../helpers/wait-for.js';
import {FakeClock} from './fake-clock.js';

/** Above Linux's pid_max (2^22), so a signal to one of these can never reach a real process. */
const fakePidBase = 5_000_000;

interface FakeRun {
  command: string;
  finish(exit: ChildExit): void;
  /** Whether something still holds the run's output (closeOutput lets go of it). */
  isOutputOpen: boolean;
}

/** `busyMs`: how long each spawn holds the event loop, as a fork does. */
function fakeSpawner(busyMs = 0) {
  const runs: FakeRun[] = [];
  const spawn: Spawner = (request) => {
    const until = performance.now() + busyMs;
    while (performance.now() < until) {
      // A fork's cost: the event loop waits.
    }
    let finish!: (exit: ChildExit) => void;
    const exited = new Promise<ChildExit>((resolve) => (finish = resolve));
    // The spawner gets the shell script: `exec CMD` for a simple command (core/shell-command.ts).
    const run: FakeRun = {command: request.command.replace(/^exec /, ''), finish, isOutputOpen: false};
    runs.push(run);
    return {
      pid: fakePidBase + runs.length,
      exited,
      outputEnds: {links: []},
      isOutputOpen: () => run.isOutputOpen,
      closeOutput: () => (run.isOutputOpen = false),
      write: () => false,
      setReading: () => undefined,
    };
  };
  return {spawn, runs};
}

const spec = (name: string, overrides: Partial<ProcessSpec>, index = 0): ProcessSpec => ({
  ...processDefaults,
  name, command: `run-${name}`, cwd: '/', index, env: {}, instances: 1, dependsOn: {}, source: 'test',
  ...overrides,
});

function makeEngine(processes: ProcessSpec[], start = Date.parse('2026-03-01T10:00:00.250Z'), spawnBusyMs = 0) {
  const clock = new FakeClock(start);
  const {spawn, runs} = fakeSpawner(spawnBusyMs);
  const stack: StackSpec = {name: 't', root: '/', procfilePath: '/Procfile', envFiles: [], fileEnv: {}, basePort: 61_000, processes};
  const api = new Supervisor(stack, {scrollback: 100, statsIntervalMs: 0, inheritedEnv: {}, clock, spawn});
  const system: string[] = [];
  api.on('log', (line) => line.id === 'system' && system.push(line.text));
  const stateOf = (id: string): InstanceState | undefined => api.snapshot().instances.find((i) => i.id === id)?.state;
  return {api, clock, runs, system, stateOf};
}

describe('launching a big stack', () => {
  const thirty = Array.from({length: 30}, (_, i) => spec(`p${i}`, {}, i));

  it('spawns a slice at a time, so keys, signals and frames are served in between', async () => {
    const e = makeEngine(thirty, undefined, 5); // 150 ms of spawning in all
    e.api.start();
    expect(e.runs.length).toBeGreaterThan(0);
    expect(e.runs.length).toBeLessThan(30); // start() returned with the rest to come
    await waitFor(() => e.runs.length === 30, {describe: () => `${e.runs.length} spawned`});
  });

  it('holds what waits at once, even after a spawn that outlasted the slice, and releases it in the same turn', () => {
    const e = makeEngine([spec('db', {}), spec('web', {dependsOn: {db: 'started'}}, 1)], undefined, 40);
    e.api.start();
    expect(e.stateOf('db.1')?.status).toMatch(/^(starting|running)$/);
    expect(e.stateOf('web.1')?.status).toMatch(/^(starting|running)$/); // db was started: web went in the same turn
  });

  it('spawns nothing more once a shutdown has begun', async () => {
    const e = makeEngine(thirty, undefined, 5);
    e.api.start();
    const spawned = e.runs.length;
    void e.api.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(e.runs.length).toBe(spawned);
  });
});

describe('engine policies in virtual time', () => {
  it('backs off 1s, 2s, 4s between crash restarts, then fails after max_restarts', async () => {
    const e = makeEngine([spec('crash', {restart: 'on-failure', maxRestarts: 3, backoff: {initialMs: 1000, maxMs: 4000}})]);
    e.api.start();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      e.runs.at(-1)!.finish({code: 1, signal: null});
      const state = await waitFor(() => {
        const s = e.stateOf('crash.1');
        return s?.status === 'restarting' ? s : undefined;
      });
      delays.push(state.at - e.clock.now());
      e.clock.advance(state.at - e.clock.now() - 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(e.runs).toHaveLength(attempt); // not yet: 1ms of backoff is left
      e.clock.advance(1);
      await waitFor(() => e.runs.length === attempt + 1, {describe: () => JSON.stringify(e.stateOf('crash.1'))});
    }
    expect(delays).toEqual([1000, 2000, 4000]);
    e.runs.at(-1)!.finish({code: 1, signal: null});
    await waitFor(() => e.stateOf('crash.1')?.status === 'failed');
    expect(e.system).toContain('crash.1 failed: gave up after 3 restarts (max_restarts)');
    expect(e.clock.pending).toBe(0);
    await e.api.shutdown();
  });

  it('starts the backoff over after a run that stayed up 30s', async () => {
    const e = makeEngine([spec('crash', {restart: 'always', backoff: {initialMs: 1000, maxMs: 8000}})]);
    e.api.start();
    const crashAfter = async (uptimeMs: number) => {
      e.clock.advance(uptimeMs);
      const runs = e.runs.length;
      e.runs.at(-1)!.finish({code: 1, signal: null});
      const state = await waitFor(() => {
        const s = e.stateOf('crash.1');
        return s?.status === 'restarting' ? s : undefined;
      });
      const delayMs = state.at - e.clock.now();
      e.clock.advance(delayMs);
      await waitFor(() => e.runs.length === runs + 1);
      return delayMs;
    };
    expect([await crashAfter(100), await crashAfter(100), await crashAfter(100)]).toEqual([1000, 2000, 4000]);
    expect(await crashAfter(30_000)).toBe(1000);
    expect(await crashAfter(100)).toBe(2000);
    const done = e.api.shutdown();
    for (const run of e.runs) run.finish({code: null, signal: 'SIGTERM'});
    await done;
  });

  it('runs a cron job at its run times, and a shutdown leaves no timer behind', async () => {
    const e = makeEngine([spec('job', {cron: '*/10 * * * * *'})], Date.parse('2026-03-01T10:00:00.250Z'));
    e.api.start();
    expect(e.stateOf('job.1')).toEqual({status: 'scheduled', nextRunAt: Date.parse('2026-03-01T10:00:10Z')});
    expect(e.runs).toHaveLength(0);
    e.clock.advance(9750);
    expect(e.runs).toHaveLength(1);
    e.runs[0]!.finish({code: 0, signal: null});
    await waitFor(() => e.stateOf('job.1')?.status === 'scheduled');
    expect(e.stateOf('job.1')).toEqual({status: 'scheduled', nextRunAt: Date.parse('2026-03-01T10:00:20Z'), exit: {code: 0, signal: null}});
    e.clock.advance(10_000);
    expect(e.runs).toHaveLength(2);
    // The run is still going when the next time comes: that run is skipped.
    e.clock.advance(10_000);
    expect(e.runs).toHaveLength(2);
    expect(e.system.at(-1)).toMatch(/^job\.1: skipped the \d\d:\d\d:30 run: the previous run is still going \(pid 5000002\)$/);
    e.runs[1]!.finish({code: 0, signal: null});
    await waitFor(() => e.stateOf('job.1')?.status === 'scheduled');
    await e.api.shutdown();
    expect(e.stateOf('job.1')?.status).toBe('stopped');
    expect(e.clock.pending).toBe(0);
  });

  it('starts dependents in order as their conditions hold, and holds them while a dependency restarts', async () => {
    const e = makeEngine([
      spec('db', {restart: 'on-failure', backoff: {initialMs: 500, maxMs: 500}}, 0),
      spec('migrate', {oneshot: true, dependsOn: {db: 'started'}}, 1),
      spec('web', {dependsOn: {migrate: 'completed', db: 'started'}}, 2),
    ]);
    e.api.start();
    expect(e.runs.map((r) => r.command)).toEqual(['run-db', 'run-migrate']);
    expect(e.stateOf('web.1')).toEqual({status: 'waiting', on: ['migrate']});
    e.runs[0]!.finish({code: 1, signal: null}); // db crashes while migrate runs
    e.runs[1]!.finish({code: 0, signal: null});
    await waitFor(() => e.stateOf('migrate.1')?.status === 'completed' && e.stateOf('db.1')?.status === 'restarting');
    expect(e.stateOf('web.1')).toEqual({status: 'waiting', on: ['db']});
    e.clock.advance(500);
    await waitFor(() => e.stateOf('web.1')?.status === 'running', {describe: () => JSON.stringify(e.stateOf('web.1'))});
    expect(e.runs.map((r) => r.command)).toEqual(['run-db', 'run-migrate', 'run-db', 'run-web']);
    // Fake children cannot receive the stop signal: end them as it would.
    const done = e.api.shutdown();
    for (const run of e.runs) run.finish({code: null, signal: 'SIGTERM'});
    await done;
    expect(e.runs).toHaveLength(4);
  });

  it('lets go of output that something it cannot trace still holds after the process exits, and says so', async () => {
    const e = makeEngine([spec('quick', {})]);
    e.api.start();
    const run = e.runs[0]!;
    run.isOutputOpen = true; // a daemon forked within a millisecond of the spawn: no fd to trace it by
    run.finish({code: 0, signal: null, isOutputHeld: true});
    await waitFor(() => !run.isOutputOpen, {describe: () => e.system.join(' / ')});
    expect(e.system).toContain('quick.1: warning: a process it started still holds its output, and procdeck cannot tell which; it may still be running');
    expect(e.stateOf('quick.1')).toEqual({status: 'exited', exit: {code: 0, signal: null}});
  });

  it('gives no warning when the output closes a moment after no holder was found (a server draining under npm)', async () => {
    const e = makeEngine([spec('web', {})]);
    e.api.start();
    const run = e.runs[0]!;
    run.isOutputOpen = true; // its last holder exited just before the scan; the pipe's end is read a moment later
    setTimeout(() => (run.isOutputOpen = false), 50);
    run.finish({code: 0, signal: null, isOutputHeld: true});
    await waitFor(() => e.stateOf('web.1')?.status === 'exited');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(e.system.filter((line) => line.includes('warning'))).toEqual([]);
  });
});
