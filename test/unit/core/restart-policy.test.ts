import {describe, expect, it} from 'vitest';
import {backoffDelayMs, decideAfterExit} from '../../../src/core/policy/restart.js';
import {processDefaults, type ProcessSpec} from '../../../src/config/spec.js';

const spec = (overrides: Partial<ProcessSpec>): ProcessSpec => ({
  ...processDefaults,
  name: 'web', command: 'true', cwd: '/', index: 0, env: {}, instances: 1, dependsOn: {}, source: 'Procfile:1',
  ...overrides,
});
const crash = {code: 1, signal: null};
const clean = {code: 0, signal: null};
const ctx = (consecutiveRestarts: number, uptimeMs = 1000) => ({consecutiveRestarts, uptimeMs, now: 0});

describe('decideAfterExit', () => {
  it('does not restart with the default policy', () => {
    expect(decideAfterExit(spec({}), crash, ctx(0)).state.status).toBe('exited');
  });

  it('restarts on failure only with on-failure', () => {
    expect(decideAfterExit(spec({restart: 'on-failure'}), crash, ctx(0)).kind).toBe('restart');
    expect(decideAfterExit(spec({restart: 'on-failure'}), clean, ctx(0)).kind).toBe('end');
  });

  it('restarts a clean exit with always', () => {
    expect(decideAfterExit(spec({restart: 'always'}), clean, ctx(0)).kind).toBe('restart');
  });

  it('marks the instance failed after max_restarts', () => {
    const decision = decideAfterExit(spec({restart: 'always', maxRestarts: 3}), crash, ctx(3));
    expect(decision.state.status).toBe('failed');
  });

  it('resets the crash loop after 30s of uptime', () => {
    const decision = decideAfterExit(spec({restart: 'always', maxRestarts: 3}), crash, ctx(3, 31_000));
    expect(decision.kind).toBe('restart');
    expect(decision.kind === 'restart' && decision.delayMs).toBe(1000);
  });

  it('restarts a process stopped over max_memory whatever the policy, with backoff, up to max_restarts', () => {
    const terminated = {code: null, signal: 'SIGTERM' as const};
    const first = decideAfterExit(spec({}), terminated, ctx(0), 'max_memory');
    expect(first).toMatchObject({kind: 'restart', delayMs: 1000, reason: 'max_memory, attempt 1 of 10', consecutiveRestarts: 1});
    expect(decideAfterExit(spec({}), terminated, ctx(2), 'max_memory')).toMatchObject({kind: 'restart', delayMs: 4000});
    expect(decideAfterExit(spec({maxRestarts: 2}), terminated, ctx(2), 'max_memory')).toMatchObject({kind: 'give-up', state: {status: 'failed'}});
  });

  it('completes a oneshot that exits 0', () => {
    expect(decideAfterExit(spec({oneshot: true, restart: 'on-failure'}), clean, ctx(0)).state.status).toBe('completed');
  });
});

describe('backoffDelayMs', () => {
  it('doubles from initial up to max', () => {
    const backoff = {initialMs: 1000, maxMs: 5000};
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelayMs(backoff, attempt))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
