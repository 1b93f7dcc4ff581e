import {describe, expect, it} from 'vitest';
import {CronSchedule, formatClockTime} from '../../../../src/core/policy/cron.js';
import {FakeClock} from './fake-clock.js';

const at = (text: string) => new Date(text).getTime(); // local time, as cron reads patterns

describe('CronSchedule in virtual time', () => {
  it('fires a 6-field (seconds) schedule at each run time and plans the next one', () => {
    const clock = new FakeClock(at('2026-03-01T10:00:00.500'));
    const fired: number[] = [];
    const schedule = new CronSchedule('*/15 * * * * *', clock, (time) => fired.push(time));
    expect(schedule.arm()).toBe(at('2026-03-01T10:00:15'));
    clock.advance(14_000);
    expect(fired).toEqual([]);
    clock.advance(500);
    expect(fired).toEqual([at('2026-03-01T10:00:15')]);
    expect(schedule.nextRunAt).toBe(at('2026-03-01T10:00:30'));
    clock.advance(30_000);
    expect(fired).toEqual([at('2026-03-01T10:00:15'), at('2026-03-01T10:00:30'), at('2026-03-01T10:00:45')]);
  });

  it('reads 5 fields as minutes (seconds zero)', () => {
    const clock = new FakeClock(at('2026-03-01T02:59:10'));
    const schedule = new CronSchedule('0 3 * * *', clock, () => {});
    expect(schedule.arm()).toBe(at('2026-03-01T03:00:00'));
  });

  it('waits longer than a timer can hold (a yearly job) in steps, firing exactly once', () => {
    const clock = new FakeClock(at('2026-01-02T00:00:00'));
    const fired: number[] = [];
    const schedule = new CronSchedule('0 0 1 1 *', clock, (time) => fired.push(time));
    schedule.arm();
    clock.advance(at('2026-12-31T23:59:59') - clock.now());
    expect(fired).toEqual([]);
    clock.advance(1000);
    expect(fired).toEqual([at('2027-01-01T00:00:00')]);
    expect(clock.pending).toBe(1); // only the wait for 2028
  });

  it('cancel clears its timer: nothing fires, nothing is left pending', () => {
    const clock = new FakeClock(at('2026-03-01T10:00:00'));
    const fired: number[] = [];
    const schedule = new CronSchedule('* * * * * *', clock, (time) => fired.push(time));
    schedule.arm();
    schedule.cancel();
    expect(schedule.nextRunAt).toBeNull();
    expect(clock.pending).toBe(0);
    clock.advance(10_000);
    expect(fired).toEqual([]);
  });

  it('arming twice keeps one timer', () => {
    const clock = new FakeClock(at('2026-03-01T10:00:00'));
    const schedule = new CronSchedule('* * * * * *', clock, () => {});
    schedule.arm();
    schedule.arm();
    expect(clock.pending).toBe(1);
  });

  it('formats run times as HH:MM:SS local time', () => {
    expect(formatClockTime(at('2026-03-01T09:05:07'))).toBe('09:05:07');
  });
});
