import {describe, expect, it} from 'vitest';
import type {InstanceState} from '../../../../src/core/api.js';
import {checkDependencies, meetsCondition, type DependencyInstance} from '../../../../src/core/policy/depends-on.js';

const running: InstanceState = {status: 'running', pid: 1, since: 0};
const starting: InstanceState = {status: 'starting', pid: 1, since: 0};
const completed: InstanceState = {status: 'completed', exit: {code: 0, signal: null}};
const exitedClean: InstanceState = {status: 'exited', exit: {code: 0, signal: null}};
const exitedFailed: InstanceState = {status: 'exited', exit: {code: 1, signal: null}};
const failed: InstanceState = {status: 'failed', exit: {code: 137, signal: 'SIGKILL'}};
const waiting: InstanceState = {status: 'waiting', on: ['db']};
const stopped: InstanceState = {status: 'stopped'};

const instance = (id: string, state: InstanceState, spec: Partial<DependencyInstance['spec']> = {}): DependencyInstance => ({
  id,
  state,
  spec: {autostart: true, oneshot: false, ...spec},
});

describe('meetsCondition', () => {
  it.each([
    ['started', starting, true],
    ['started', running, true],
    ['started', completed, true],
    ['started', waiting, false],
    ['started', exitedFailed, false],
    ['ready', starting, false],
    ['ready', running, true],
    ['ready', completed, true],
    ['completed', running, false],
    ['completed', completed, true],
    ['completed', exitedClean, true],
    ['completed', exitedFailed, false],
    ['completed', failed, false],
    ['completed', {status: 'scheduled', nextRunAt: 1} satisfies InstanceState, false],
    ['completed', {status: 'scheduled', nextRunAt: 1, exit: {code: 0, signal: null}} satisfies InstanceState, true],
  ] as const)('%s holds for %j: %s', (condition, state, expected) => {
    expect(meetsCondition(state, condition)).toBe(expected);
  });
});

describe('checkDependencies', () => {
  const world: Record<string, DependencyInstance[]> = {
    db: [instance('db.1', running), instance('db.2', starting)],
    migrate: [instance('migrate.1', exitedFailed, {oneshot: true})],
    cache: [],
    api: [instance('api.1', running)],
    manual: [instance('manual.1', stopped, {autostart: false})],
    job: [instance('job.1', running, {oneshot: true})],
    slow: [{...instance('slow.1', starting, {ready: {check: {kind: 'tcp', port: '5432'}, intervalMs: 1000, timeoutMs: 60_000}}), isReadyOverdue: true}],
  };
  const check = (dependsOn: Record<string, 'started' | 'ready' | 'completed'>) => checkDependencies({dependsOn}, (type) => world[type] ?? []);

  it('holds only when every instance of the dependency meets the condition', () => {
    expect(check({db: 'started'})).toMatchObject({pending: [], blockedBy: []});
    expect(check({db: 'ready'})).toMatchObject({pending: ['db'], blockedBy: []});
  });

  it('does not wait for a type with no instances (run elsewhere, as with -m cache=0)', () => {
    expect(check({cache: 'ready'})).toMatchObject({pending: [], blockedBy: []});
  });

  it('names what blocks a dependent: a failed job, a stopped process, a server waited on to complete', () => {
    expect(check({migrate: 'completed', manual: 'started', api: 'completed'})).toMatchObject({
      mayStillPass: false,
      pending: ['migrate', 'manual', 'api'],
      blockedBy: [
        'migrate.1 exited with code 1',
        'manual.1 is stopped (autostart: false; start it)',
        'api.1 is running (not oneshot: it may never complete)',
      ],
    });
  });

  it('names a dependency whose readiness check timed out, unless only started is asked', () => {
    // The check goes on: the dependent still waits, and may start yet.
    expect(check({slow: 'ready'})).toEqual({pending: ['slow'], blockedBy: ['slow.1 is not ready after 60s'], mayStillPass: true});
    expect(check({slow: 'started'})).toMatchObject({pending: [], blockedBy: []});
  });

  it('names a waiting dependency only when it is blocked itself', () => {
    const chain = (isBlocked: boolean) =>
      checkDependencies({dependsOn: {db: 'started'}}, () => [instance('db.1', waiting)], (id) => isBlocked && id === 'db.1');
    expect(chain(false)).toMatchObject({pending: ['db'], blockedBy: []});
    expect(chain(true)).toMatchObject({pending: ['db'], blockedBy: ['db.1 cannot start either']});
  });

  it('a cron job in its run is pending for completed, not called a server that may never complete', () => {
    const report = [instance('report.1', running, {cron: '*/2 * * * * *'})];
    expect(checkDependencies({dependsOn: {report: 'completed'}}, () => report)).toMatchObject({pending: ['report'], blockedBy: []});
  });

  it('a oneshot still running is pending, not blocked', () => {
    expect(check({job: 'completed'})).toMatchObject({pending: ['job'], blockedBy: []});
  });
});
