import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {InstanceState} from '../../../src/core/api.js';
import {randomBasePort, stateOf, systemTexts, startStack, type TestStack} from '../../helpers/stack.js';
import {waitFor} from '../../helpers/wait-for.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.dispose(); // throws if any process group is left
  stack = undefined;
});


/** `<ms> name` lines written by mark.mjs, as name → start time. */
function readMarks(s: TestStack): Map<string, number> {
  const marks = new Map<string, number>();
  try {
    for (const line of readFileSync(path.join(s.dir, 'order.log'), 'utf8').trim().split('\n')) {
      const [time, name] = line.split(' ');
      if (name && !marks.has(name)) marks.set(name, Number(time));
    }
  } catch {
    // Not written yet: nothing has started.
  }
  return marks;
}

/** Every state each instance entered, with the time it was seen. */
function recordStates(s: TestStack) {
  const seen: {id: string; state: InstanceState; time: number}[] = s.api
    .snapshot()
    .instances.map((i) => ({id: i.id, state: i.state, time: Date.now()}));
  s.api.on('state', (id, state) => seen.push({id, state, time: Date.now()}));
  return {
    seen,
    firstTime: (id: string, status: string) => seen.find((e) => e.id === id && e.state.status === status)?.time,
  };
}

const mark = (name: string, rest = 'stay') => `node $POLICY_FIXTURES/mark.mjs ${name} order.log ${rest}`;

describe('depends_on with real processes', () => {
  it('starts each process only once its dependencies meet their conditions (started, ready, completed)', async () => {
    stack = await startStack(
      {
        web: mark('web'),
        db: `sh -c '${mark('db', '0')} && exec node $POLICY_FIXTURES/tcp-listen.mjs 400'`,
        migrate: mark('migrate', '300'),
        cache: mark('cache'),
      },
      {
        port: randomBasePort(),
        yaml: [
          'processes:',
          '  db:',
          '    ready: {tcp: "$PORT", interval: 50ms, timeout: 10s}',
          '  migrate:',
          '    oneshot: true',
          '    depends_on: {db: ready}',
          '  cache:',
          '    depends_on: {db: started}',
          '  web:',
          '    depends_on: {migrate: completed, cache: started}',
          '',
        ].join('\n'),
      },
    );
    const s = stack;
    const states = recordStates(s);
    // At launch, everything with dependencies is held back.
    expect(stateOf(s, 'web.1')).toEqual({status: 'waiting', on: ['migrate']});
    expect(stateOf(s, 'migrate.1')).toEqual({status: 'waiting', on: ['db']});
    expect(stateOf(s, 'cache.1')?.status).toBe('running'); // db was started: enough for cache
    await waitFor(() => readMarks(s).size === 4, {timeoutMs: 10_000, describe: () => JSON.stringify([...readMarks(s)])});
    await waitFor(() => stateOf(s, 'web.1')?.status === 'running');
    const marks = readMarks(s);
    const dbReadyAt = states.firstTime('db.1', 'running')!;
    const migrateDoneAt = states.firstTime('migrate.1', 'completed')!;
    expect(marks.get('db')!).toBeLessThanOrEqual(marks.get('migrate')!);
    expect(marks.get('migrate')!).toBeGreaterThanOrEqual(dbReadyAt - 5);
    expect(marks.get('web')!).toBeGreaterThanOrEqual(migrateDoneAt - 5);
    expect(marks.get('web')! - marks.get('migrate')!).toBeGreaterThanOrEqual(300);
    expect(stateOf(s, 'migrate.1')).toEqual({status: 'completed', exit: {code: 0, signal: null}});
  });

  it('keeps dependents waiting when a dependency fails, says why once, and starts them when it succeeds later', async () => {
    stack = await startStack(
      {
        migrate: `sh -c 'test -f fixed'`,
        web: mark('web'),
      },
      {yaml: 'processes:\n  migrate:\n    oneshot: true\n  web:\n    depends_on: {migrate: completed}\n'},
    );
    const s = stack;
    await s.waitForLine('system', /^web\.1 cannot start/);
    expect(systemTexts(s).filter((t) => t.startsWith('web.1 cannot start'))).toEqual([
      'web.1 cannot start: it waits for migrate (completed), but migrate.1 exited with code 1',
    ]);
    expect(stateOf(s, 'web.1')).toEqual({status: 'waiting', on: ['migrate']});
    expect(readMarks(s).has('web')).toBe(false);

    writeFileSync(path.join(s.dir, 'fixed'), '');
    await s.api.dispatch({type: 'restart', target: 'migrate'});
    await waitFor(() => stateOf(s, 'web.1')?.status === 'running', {describe: () => JSON.stringify(stateOf(s, 'web.1'))});
    expect(stateOf(s, 'migrate.1')?.status).toBe('completed');
  });

  it('says why a dependent waits for a dependency that cannot start either, and starts the chain once unblocked', async () => {
    stack = await startStack(
      {setup: 'true', db: 'sleep 30', web: 'sleep 30'},
      {yaml: 'processes:\n  setup:\n    autostart: false\n  db:\n    depends_on: {setup: completed}\n  web:\n    depends_on: {db: started}\n'},
    );
    const s = stack;
    await s.waitForLine('system', /^web\.1 cannot start/);
    expect(systemTexts(s).filter((t) => t.includes('cannot start'))).toEqual([
      'db.1 cannot start: it waits for setup (completed), but setup.1 is stopped (autostart: false; start it)',
      'web.1 cannot start: it waits for db (started), but db.1 cannot start either',
    ]);
    await s.api.dispatch({type: 'start', target: 'setup'});
    await waitFor(() => stateOf(s, 'web.1')?.status === 'running', {describe: () => JSON.stringify(s.api.snapshot().instances.map((i) => [i.id, i.state.status]))});
  });

  it('says why a dependent still waits when its dependency is not ready in time', async () => {
    stack = await startStack(
      {web: 'sleep 30', worker: mark('worker')},
      {port: randomBasePort(), yaml: 'processes:\n  web:\n    ready: {tcp: "$PORT", interval: 100ms, timeout: 300ms}\n  worker:\n    depends_on: {web: ready}\n'},
    );
    const s = stack;
    await s.waitForLine('system', /^worker\.1 still waits/);
    expect(systemTexts(s)).toContain('worker.1 still waits for web (ready), but web.1 is not ready after 0.3s');
    expect(stateOf(s, 'web.1')?.status).toBe('starting');
    expect(stateOf(s, 'worker.1')).toEqual({status: 'waiting', on: ['web']});
  });

  it('a oneshot that exits 0 is completed, not crashed, and is not restarted', async () => {
    stack = await startStack({job: mark('job', '0')}, {yaml: 'processes:\n  job:\n    oneshot: true\n    restart: on-failure\n'});
    const s = stack;
    await waitFor(() => stateOf(s, 'job.1')?.status === 'completed', {describe: () => JSON.stringify(stateOf(s, 'job.1'))});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stateOf(s, 'job.1')).toEqual({status: 'completed', exit: {code: 0, signal: null}});
    expect(systemTexts(s).some((t) => t.includes('restarting'))).toBe(false);
  });

  it('shuts dependents down before their dependencies', async () => {
    stack = await startStack(
      {
        db: `sh -c 'trap "echo db-stop >> stops.log; exit 0" TERM; echo trapping; while :; do sleep 0.05; done'`,
        web: `sh -c 'trap "sleep 0.2; echo web-stop >> stops.log; exit 0" TERM; echo trapping; while :; do sleep 0.05; done'`,
      },
      {yaml: 'processes:\n  web:\n    depends_on: {db: started}\n'},
    );
    const s = stack;
    // "running" comes at spawn; the traps exist only once each shell says so.
    await s.waitForLine('db.1', /^trapping$/);
    await s.waitForLine('web.1', /^trapping$/);
    await s.api.shutdown();
    expect(readFileSync(path.join(s.dir, 'stops.log'), 'utf8').trim().split('\n')).toEqual(['web-stop', 'db-stop']);
  });
});
