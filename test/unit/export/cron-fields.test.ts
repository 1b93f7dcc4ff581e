import {Cron} from 'croner';
import {describe, expect, it} from 'vitest';
import {toCronList, toStandardCron} from '../../../src/export/cron-fields.js';
import {makeProcess} from '../../fixtures/export/stacks.js';

const backup = (cron: string): ReturnType<typeof makeProcess> => makeProcess('backup', 0, {cron});

/** The next runs croner (procdeck's scheduler) computes for a pattern, from a fixed start. */
function nextRuns(pattern: string): number[] {
  return new Cron(pattern, {paused: true}).nextRuns(40, new Date(2030, 0, 1)).map((date) => date.getTime());
}

describe('cron for Kubernetes (robfig/cron ParseStandard)', () => {
  // Regression: `0 3 * * 7` and `5-7` went out unchanged, and the API server refuses a day of week above 6.
  it.each([
    ['0 3 * * 7', '0 3 * * 0'],
    ['0 3 * * 5-7', '0 3 * * 0,5-6'],
    ['0 3 * * 1-7/2', '0 3 * * 0-1,3,5'],
    ['0 3 * * sun-sat', '0 3 * * 0-6'],
    ['*/15 9-17 1,15 jan-jun 1-5', '*/15 9-17 1,15 jan-jun 1-5'],
    ['0 30 3 * * *', '30 3 * * *'],
    ['@daily', '0 0 * * *'],
    ['0 0 ? * *', '0 0 ? * *'],
  ])('writes %j as %j, which runs at the same times', (cron, expected) => {
    expect(toStandardCron(backup(cron), 'kubernetes')).toBe(expected);
    expect(nextRuns(expected)).toEqual(nextRuns(cron));
  });

  it.each([
    ['0 0 L * *', /day of month "L" cannot be carried over \(write that field with numbers/],
    ['0 0 * * 5#2', /day of week "5#2" cannot be carried over/],
    ['0 0 * * 5L', /day of week "5L" cannot be carried over/],
    ['0 0 15W * *', /day of month "15W" cannot be carried over/],
    ['30 0 3 * * *', /kubernetes schedules have no seconds field and run at second 0 \(use 5 fields, or 0 as the seconds\)/],
    ['@reboot', /"@reboot" has no fixed times \(write the 5 fields it stands for\)/],
  ])('refuses %j, naming the process and the fix', (cron, problem) => {
    expect(() => toStandardCron(backup(cron), 'kubernetes')).toThrow(/^kubernetes: process backup \(Procfile:1\) has cron "/);
    expect(() => toStandardCron(backup(cron), 'kubernetes')).toThrow(problem);
  });

  it('writes runs of values as ranges', () => {
    expect([toCronList([0, 5, 6]), toCronList([1]), toCronList([0, 1, 2, 4])]).toEqual(['0,5-6', '1', '0-2,4']);
  });
});
