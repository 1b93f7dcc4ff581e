import {describe, expect, it} from 'vitest';
import type {InstanceState} from '../../../../src/core/api.js';
import {describeStatus} from '../../../../src/ui/format/status.js';

const now = 1_000_000;

describe('describeStatus', () => {
  it.each<[InstanceState, string, string, string]>([
    [{status: 'running', pid: 1, since: 0}, '●', 'running', 'ok'],
    [{status: 'starting', pid: 1, since: 0}, '◐', 'starting', 'busy'],
    [{status: 'waiting', on: ['db']}, '◌', 'waiting', 'busy'],
    [{status: 'stopping', pid: 1, since: 0, signal: 'SIGTERM', killAt: now + 1}, '◑', 'stopping', 'busy'],
    [{status: 'stopped'}, '○', 'stopped', 'idle'],
    [{status: 'exited', exit: {code: 0, signal: null}}, '■', 'exit 0', 'idle'],
    [{status: 'exited', exit: {code: 137, signal: null}}, '✗', 'exit 137', 'bad'],
    [{status: 'exited', exit: {code: null, signal: 'SIGKILL'}}, '✗', 'SIGKILL', 'bad'],
    [{status: 'completed', exit: {code: 0, signal: null}}, '✓', 'done', 'ok'],
    [{status: 'restarting', exit: {code: 1, signal: null}, at: now + 2500}, '↻', '↻ 3s', 'busy'],
    [{status: 'failed', exit: {code: 1, signal: null}}, '✗', 'failed 1', 'bad'],
    [{status: 'failed', exit: {code: 127, signal: null}}, '✗', 'failed', 'bad'],
    [{status: 'failed', exit: {code: null, signal: 'SIGSEGV'}}, '✗', 'failed', 'bad'],
    [{status: 'scheduled', nextRunAt: now + 90_000}, '◷', 'in 1m30s', 'info'],
    [{status: 'scheduled', nextRunAt: null}, '◷', 'cron', 'info'],
  ])('%j shows %s %s (%s)', (state, symbol, label, tone) => {
    expect(describeStatus(state, now)).toEqual({symbol, label, tone});
  });

  it('keeps every label within the 9-column state column', () => {
    const look = describeStatus({status: 'scheduled', nextRunAt: now + 23 * 3600_000 + 59 * 60_000}, now);
    expect(look.label.length).toBeLessThanOrEqual(9);
  });
});
