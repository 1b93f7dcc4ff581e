/**
 * `cron:` schedules. croner parses the pattern and computes the next run;
 * the timer runs on the injected clock, so schedules can be tested in
 * virtual time and every timer is cleared when the schedule is cancelled.
 *
 *   const schedule = new CronSchedule('*\/15 * * * * *', clock, (at) => run(at));
 *   schedule.arm();         // nextRunAt is set; onFire(at) at each run time
 *   schedule.cancel();      // user stop or shutdown: nothing fires after this
 */
import {Cron} from 'croner';
import type {Clock} from '../clock.js';

/** setTimeout holds at most 2^31-1 ms (~24.8 days); longer waits are taken in steps. */
const maxTimerMs = 2 ** 31 - 1;

/** A cron pattern's timer: fires `onFire` at each run time until cancelled. */
export class CronSchedule {
  private readonly cron: Cron;
  private timer: unknown;
  private next: number | null = null;
  private isArmed = false;

  constructor(
    readonly pattern: string,
    private readonly clock: Clock,
    private readonly onFire: (scheduledAt: number) => void,
  ) {
    // Validated by the config schema (5 fields, or 6 with seconds first).
    this.cron = new Cron(pattern, {paused: true});
  }

  /** When the next run is due (ms since the epoch), or null when not armed or no run is left. */
  get nextRunAt(): number | null {
    return this.isArmed ? this.next : null;
  }

  get armed(): boolean {
    return this.isArmed;
  }

  /** Starts (or keeps) the schedule; returns the next run time. */
  arm(): number | null {
    if (!this.isArmed) {
      this.isArmed = true;
      this.planAfter(this.clock.now());
    }
    return this.next;
  }

  cancel(): void {
    this.isArmed = false;
    this.next = null;
    this.clearTimer();
  }

  /** The first run strictly after `time`, or null when the pattern has none. */
  private planAfter(time: number): void {
    this.clearTimer();
    const next = this.cron.nextRun(new Date(time));
    this.next = next ? next.getTime() : null;
    if (this.next !== null) this.wait(this.next);
  }

  private wait(at: number): void {
    const delayMs = Math.max(0, at - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.isArmed) return;
      if (this.clock.now() < at) {
        this.wait(at); // a step of a long wait, or a timer that fired a little early
        return;
      }
      // Plan from the scheduled time, not from now, so a late timer cannot run the same slot twice.
      this.planAfter(at);
      this.onFire(at);
    }, Math.min(delayMs, maxTimerMs));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** `14:03:05`, local time, for `system` lines about runs. */
export function formatClockTime(ms: number): string {
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
