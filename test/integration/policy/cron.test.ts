import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {stateOf, systemTexts, startStack, type TestStack} from '../../helpers/stack.js';
import {waitFor} from '../../helpers/wait-for.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.dispose(); // throws if any process group is left
  stack = undefined;
});

const runsOf = (s: TestStack): number[] => {
  try {
    return readFileSync(path.join(s.dir, 'runs.log'), 'utf8').trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const cronYaml = (pattern: string) => `processes:\n  job:\n    cron: "${pattern}"\n`;

describe('cron with real processes', () => {
  it('is scheduled, not started, at launch, and runs at the next run time (6-field cron, every second)', async () => {
    const launchedAt = Date.now();
    stack = await startStack({job: 'node $POLICY_FIXTURES/record-start.mjs runs.log 0'}, {yaml: cronYaml('* * * * * *')});
    const s = stack;
    const state = stateOf(s, 'job.1');
    if (state?.status !== 'scheduled') throw new Error(`expected scheduled, got ${JSON.stringify(state)}`);
    expect(state.nextRunAt).toBeGreaterThan(launchedAt);
    // The next whole second after the launch, which happened at most `setupMs` after launchedAt.
    const setupMs = Date.now() - launchedAt;
    expect(state.nextRunAt! - launchedAt).toBeLessThanOrEqual(1000 + setupMs);
    expect(state.nextRunAt! % 1000).toBe(0);
    expect(runsOf(s)).toEqual([]);
    expect(s.api.snapshot().instances[0]?.pid).toBeNull();
    expect(systemTexts(s).some((t) => /^job\.1 scheduled \(cron "\* \* \* \* \* \*"\): next run at \d\d:\d\d:\d\d$/.test(t))).toBe(true);

    const [firstRun] = await waitFor(() => (runsOf(s).length > 0 ? runsOf(s) : undefined), {timeoutMs: 4000});
    expect(firstRun!).toBeGreaterThanOrEqual(state.nextRunAt!);
    // After the run it is scheduled again, with its exit and a later run time.
    await waitFor(() => {
      const after = stateOf(s, 'job.1');
      return after?.status === 'scheduled' && after.exit !== undefined && (after.nextRunAt ?? 0) > state.nextRunAt! ? after : undefined;
    }, {describe: () => JSON.stringify(stateOf(s, 'job.1'))});
    expect(stateOf(s, 'job.1')).toMatchObject({status: 'scheduled', exit: {code: 0, signal: null}});
  });

  it('skips a run while the previous one is still going, and says so', async () => {
    stack = await startStack({job: `sh -c 'date +%s%N >> runs.log; sleep 2.5'`}, {yaml: cronYaml('* * * * * *')});
    const s = stack;
    const skipped = await s.waitForLine('system', /^job\.1: skipped the \d\d:\d\d:\d\d run: the previous run is still going \(pid \d+\)$/, 6000);
    const pid = Number(/pid (\d+)/.exec(skipped.text)?.[1]);
    expect(stateOf(s, 'job.1')).toMatchObject({status: 'running', pid});
    expect(runsOf(s)).toHaveLength(1);
  });

  it('restart runs it now and it stays on its schedule; stop ends the schedule', async () => {
    stack = await startStack({job: 'node $POLICY_FIXTURES/record-start.mjs runs.log 0'}, {yaml: cronYaml('0 0 1 1 *')});
    const s = stack;
    expect(stateOf(s, 'job.1')?.status).toBe('scheduled');
    const outcome = await s.api.dispatch({type: 'restart', target: 'job'});
    expect(outcome.ok).toBe(true);
    expect(outcome.message).toMatch(/^job\.1 running now \(pid \d+\)$/);
    await waitFor(() => runsOf(s).length === 1);
    await waitFor(() => stateOf(s, 'job.1')?.status === 'scheduled', {describe: () => JSON.stringify(stateOf(s, 'job.1'))});
    const state = stateOf(s, 'job.1');
    expect(state).toMatchObject({status: 'scheduled', exit: {code: 0, signal: null}});
    expect(new Date((state as {nextRunAt: number}).nextRunAt).getMonth()).toBe(0);

    await s.api.dispatch({type: 'stop', target: 'job'});
    expect(stateOf(s, 'job.1')?.status).toBe('stopped');
    // Start arms the schedule again; it does not run the job.
    const started = await s.api.dispatch({type: 'start', target: 'job'});
    expect(started.message).toMatch(/^job\.1 scheduled: next run at \d\d:\d\d:\d\d$/);
    expect(stateOf(s, 'job.1')?.status).toBe('scheduled');
    expect(runsOf(s)).toHaveLength(1);
  });

  it('a stopped schedule never fires', async () => {
    stack = await startStack({job: 'node $POLICY_FIXTURES/record-start.mjs runs.log 0'}, {yaml: cronYaml('* * * * * *')});
    const s = stack;
    await s.api.dispatch({type: 'stop', target: 'job'});
    const linesAtStop = s.lines.length;
    // Over a second of every-second run times (a run begun just before the stop was stopped with it).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(s.lines.slice(linesAtStop).filter((l) => l.id === 'system' && /^job\.1 started/.test(l.text))).toEqual([]);
    expect(stateOf(s, 'job.1')?.status).toBe('stopped');
  });
});
