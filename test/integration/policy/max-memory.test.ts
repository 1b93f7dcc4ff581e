import {afterEach, describe, expect, it} from 'vitest';
import {startStack, startsIn, type TestStack} from '../../helpers/stack.js';
import {waitFor} from '../../helpers/wait-for.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.dispose(); // throws if any process group is left
  stack = undefined;
});

const instance = (s: TestStack, id: string) => s.api.snapshot().instances.find((i) => i.id === id);

describe('max_memory with real processes', () => {
  it('restarts an instance whose tree RSS stays over the limit, saying why and how much', async () => {
    stack = await startStack(
      {
        hog: 'node $POLICY_FIXTURES/allocate.mjs hog.log 200',
        lean: 'node $POLICY_FIXTURES/allocate.mjs lean.log 0',
      },
      {statsIntervalMs: 150, yaml: 'processes:\n  hog:\n    max_memory: 150MB\n  lean:\n    max_memory: 150MB\n'},
    );
    const s = stack;
    const line = await s.waitForLine('system', /^hog\.1 uses /, 10_000);
    expect(line.text).toMatch(/^hog\.1 uses \d+(\.\d)?MB, over max_memory 150MB on 2 samples in a row: stopping it$/);
    const figure = Number(/uses ([\d.]+)MB/.exec(line.text)?.[1]);
    expect(figure).toBeGreaterThan(150);
    await waitFor(() => startsIn(s, 'hog.log').length >= 2 && instance(s, 'hog.1')?.state.status === 'running', {
      describe: () => JSON.stringify(instance(s, 'hog.1')?.state),
    });
    expect(instance(s, 'hog.1')?.restarts).toBeGreaterThanOrEqual(1);
    // The process under its limit was sampled the whole time and never restarted.
    expect(startsIn(s, 'lean.log')).toHaveLength(1);
    expect(instance(s, 'lean.1')?.rssBytes).toBeGreaterThan(0);
    expect(s.lines.some((l) => l.id === 'system' && l.text.startsWith('lean.1 uses'))).toBe(false);
  });

  it('counts memory restarts as a crash loop: backoff between them, then failed after max_restarts', async () => {
    stack = await startStack(
      {hog: 'node $POLICY_FIXTURES/allocate.mjs hog.log 200'},
      {statsIntervalMs: 150, yaml: 'processes:\n  hog:\n    max_memory: 150MB\n    max_restarts: 1\n    backoff: {initial: 300ms, max: 300ms}\n'},
    );
    const s = stack;
    await waitFor(() => instance(s, 'hog.1')?.state.status === 'failed', {timeoutMs: 20_000, describe: () => JSON.stringify(instance(s, 'hog.1')?.state)});
    const story = s.lines.filter((l) => l.id === 'system' && l.text.startsWith('hog.1 ')).map((l) => l.text.replace(/\d+(\.\d)?MB, over/, 'NMB, over').replace(/\(pid \d+\)/, '(pid N)'));
    expect(story).toEqual([
      'hog.1 started (pid N)',
      'hog.1 uses NMB, over max_memory 150MB on 2 samples in a row: stopping it',
      'hog.1 stopped (SIGTERM)',
      'hog.1 restarting in 0.3s (max_memory, attempt 1 of 1)',
      'hog.1 started (pid N)',
      'hog.1 uses NMB, over max_memory 150MB on 2 samples in a row: stopping it',
      'hog.1 stopped (SIGTERM)',
      'hog.1 failed: gave up after 1 restart (max_restarts)',
    ]);
    expect(startsIn(s, 'hog.log')).toHaveLength(2);
    expect(instance(s, 'hog.1')?.restarts).toBe(1);
  });
});
