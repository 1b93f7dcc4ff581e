import {describe, expect, it} from 'vitest';
import {ReadinessWatch, describeReadyCheck, parseTcpTarget} from '../../../../src/core/policy/readiness.js';
import type {ReadySpec} from '../../../../src/config/spec.js';
import type {Spawner} from '../../../../src/core/spawn.js';
import {FakeClock} from './fake-clock.js';

const noSpawn: Spawner = () => {
  throw new Error('no process expected');
};

function watchLog(pattern: string, clock: FakeClock) {
  const events: string[] = [];
  const spec: ReadySpec = {check: {kind: 'log', pattern}, intervalMs: 1000, timeoutMs: 5000};
  const watch = new ReadinessWatch(spec, {port: 5000, cwd: '/', env: {}, spawn: noSpawn, clock}, {
    onReady: (ms) => events.push(`ready ${ms}`),
    onTimeout: (ms) => events.push(`timeout ${ms}`),
  });
  watch.start();
  return {watch, events};
}

describe('readiness values', () => {
  it('reads tcp targets as a port, or host:port', () => {
    expect(parseTcpTarget('5432')).toEqual({host: 'localhost', port: 5432});
    expect(parseTcpTarget('db:5432')).toEqual({host: 'db', port: 5432});
    expect(parseTcpTarget('[::1]:80')).toEqual({host: '::1', port: 80});
  });

  it('describes each check with $PORT expanded, for the timeout message', () => {
    expect(describeReadyCheck({kind: 'http', url: 'http://localhost:$PORT/health'}, 5000)).toBe('http://localhost:5000/health');
    expect(describeReadyCheck({kind: 'tcp', port: '$PORT'}, 5000)).toBe('tcp localhost:5000');
    expect(describeReadyCheck({kind: 'log', pattern: 'listening'}, 5000)).toBe('log /listening/');
    expect(describeReadyCheck({kind: 'exec', command: 'pg_isready -p $PORT'}, 5000)).toBe('exec pg_isready -p 5000');
  });
});

describe('ReadinessWatch in virtual time (log check)', () => {
  it('is ready on the first matching line, ignoring ANSI colors, and leaves no timer', () => {
    const clock = new FakeClock(0);
    const {watch, events} = watchLog('^listening on \\d+$', clock);
    watch.observeLine('booting');
    clock.advance(1200);
    watch.observeLine('\u001b[32mlistening on 5000\u001b[0m');
    expect(events).toEqual(['ready 1200']);
    expect(clock.pending).toBe(0);
    watch.observeLine('listening on 5000');
    expect(events).toEqual(['ready 1200']);
  });

  it('reports the timeout once and still becomes ready later', () => {
    const clock = new FakeClock(0);
    const {watch, events} = watchLog('up', clock);
    clock.advance(5000);
    expect(events).toEqual(['timeout 5000']);
    clock.advance(20_000);
    watch.observeLine('up');
    expect(events).toEqual(['timeout 5000', 'ready 25000']);
  });

  it('cancel clears the timeout timer and ignores later lines', () => {
    const clock = new FakeClock(0);
    const {watch, events} = watchLog('up', clock);
    watch.cancel();
    expect(clock.pending).toBe(0);
    clock.advance(10_000);
    watch.observeLine('up');
    expect(events).toEqual([]);
  });
});
