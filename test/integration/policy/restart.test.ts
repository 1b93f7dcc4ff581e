import {afterEach, describe, expect, it} from 'vitest';
import {stateOf, systemTexts, startStack, startsIn, type TestStack} from '../../helpers/stack.js';
import {waitFor} from '../../helpers/wait-for.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.dispose(); // throws if any process group is left
  stack = undefined;
});


describe('restart policy with real processes', () => {
  it('restarts a crashing process with doubling backoff, then marks it failed after max_restarts', async () => {
    stack = await startStack(
      {crash: 'node $POLICY_FIXTURES/record-start.mjs starts.log 1'},
      {yaml: 'processes:\n  crash:\n    restart: on-failure\n    max_restarts: 3\n    backoff: {initial: 100ms, max: 300ms}\n'},
    );
    const s = stack;
    await waitFor(() => stateOf(s, 'crash.1')?.status === 'failed', {
      timeoutMs: 10_000,
      describe: () => `${JSON.stringify(stateOf(s, 'crash.1'))}; ${systemTexts(s).slice(-4).join(' / ')}`,
    });
    const starts = startsIn(s, 'starts.log');
    expect(starts).toHaveLength(4); // the first run and 3 restarts, no more
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Each gap is the run time plus the backoff: at least the backoff (100, 200, then capped at 300).
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]).toBeGreaterThanOrEqual(300);
    const restartLines = systemTexts(s).filter((t) => t.startsWith('crash.1 restarting'));
    expect(restartLines).toEqual([
      'crash.1 restarting in 0.1s (restart: on-failure, attempt 1 of 3)',
      'crash.1 restarting in 0.2s (restart: on-failure, attempt 2 of 3)',
      'crash.1 restarting in 0.3s (restart: on-failure, attempt 3 of 3)',
    ]);
    expect(systemTexts(s)).toContain('crash.1 failed: gave up after 3 restarts (max_restarts)');
    expect(s.api.snapshot().instances[0]?.restarts).toBe(3);
    expect(stateOf(s, 'crash.1')).toEqual({status: 'failed', exit: {code: 1, signal: null}});
  });

  it('gives a failed process its max_restarts again when the user starts it', async () => {
    stack = await startStack(
      {crash: 'node $POLICY_FIXTURES/record-start.mjs starts.log 1'},
      {yaml: 'processes:\n  crash:\n    restart: on-failure\n    max_restarts: 1\n    backoff: {initial: 50ms, max: 50ms}\n'},
    );
    const s = stack;
    const describe = () => `${JSON.stringify(stateOf(s, 'crash.1'))}; ${systemTexts(s).slice(-4).join(' / ')}`;
    await waitFor(() => stateOf(s, 'crash.1')?.status === 'failed', {timeoutMs: 10_000, describe});
    expect((await s.api.dispatch({type: 'start', target: 'crash.1'})).ok).toBe(true);
    await waitFor(() => startsIn(s, 'starts.log').length === 4 && stateOf(s, 'crash.1')?.status === 'failed', {timeoutMs: 10_000, describe});
    // The hand start ran, crashed, and was restarted once more before failing again.
    expect(systemTexts(s).filter((t) => t.startsWith('crash.1 restarting'))).toEqual([
      'crash.1 restarting in 0.1s (restart: on-failure, attempt 1 of 1)',
      'crash.1 restarting in 0.1s (restart: on-failure, attempt 1 of 1)',
    ]);
  });

  it('shows restarting with the time of the next start while the backoff runs', async () => {
    stack = await startStack(
      {crash: 'node $POLICY_FIXTURES/record-start.mjs starts.log 3'},
      {yaml: 'processes:\n  crash:\n    restart: always\n    backoff: {initial: 5s, max: 5s}\n'},
    );
    const s = stack;
    const state = await waitFor(() => {
      const current = stateOf(s, 'crash.1');
      return current?.status === 'restarting' ? current : undefined;
    });
    const now = Date.now();
    expect(state.at).toBeGreaterThan(now + 3000);
    expect(state.at).toBeLessThanOrEqual(now + 5000);
    expect(state.exit).toEqual({code: 3, signal: null});
  });

  it('never restarts a process the user stopped, even with restart: always', async () => {
    stack = await startStack(
      {server: 'node $POLICY_FIXTURES/record-start.mjs starts.log stay'},
      {yaml: 'processes:\n  server:\n    restart: always\n    backoff: {initial: 50ms, max: 50ms}\n'},
    );
    const s = stack;
    await s.waitForLine('server.1', /^started at/);
    expect((await s.api.dispatch({type: 'stop', target: 'server.1'})).ok).toBe(true);
    expect(stateOf(s, 'server.1')?.status).toBe('stopped');
    // Ten backoff periods: a restart, had one been planned, would have happened by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(startsIn(s, 'starts.log')).toHaveLength(1);
    expect(stateOf(s, 'server.1')?.status).toBe('stopped');
    expect(systemTexts(s).filter((t) => t.includes('restarting'))).toEqual([]);
  });

  it('cancels a pending restart when the user stops a crashed process during its backoff', async () => {
    stack = await startStack(
      {crash: 'node $POLICY_FIXTURES/record-start.mjs starts.log 1'},
      {yaml: 'processes:\n  crash:\n    restart: on-failure\n    backoff: {initial: 300ms, max: 300ms}\n'},
    );
    const s = stack;
    await waitFor(() => stateOf(s, 'crash.1')?.status === 'restarting', {describe: () => JSON.stringify(stateOf(s, 'crash.1'))});
    await s.api.dispatch({type: 'stop', target: 'crash.1'});
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(startsIn(s, 'starts.log')).toHaveLength(1);
    expect(stateOf(s, 'crash.1')?.status).toBe('stopped');
  });

  it('never restarts anything during or after a shutdown', async () => {
    stack = await startStack(
      {
        server: 'node $POLICY_FIXTURES/record-start.mjs server.log stay',
        crash: 'node $POLICY_FIXTURES/record-start.mjs crash.log 1',
      },
      {yaml: 'processes:\n  server:\n    restart: always\n    backoff: {initial: 50ms, max: 50ms}\n  crash:\n    restart: always\n    backoff: {initial: 200ms, max: 200ms}\n'},
    );
    const s = stack;
    await s.waitForLine('server.1', /^started at/);
    await waitFor(() => stateOf(s, 'crash.1')?.status === 'restarting');
    const crashStarts = startsIn(s, 'crash.log').length;
    await s.api.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(startsIn(s, 'server.log')).toHaveLength(1);
    expect(startsIn(s, 'crash.log')).toHaveLength(crashStarts);
    expect(s.api.snapshot().instances.map((i) => i.state.status)).toEqual(['stopped', 'stopped']);
  });
});
