/** Turns a process's cron line into systemd `OnCalendar=` expressions (systemd.time(7)). */
import type {ProcessSpec} from '../config/spec.js';
import {parseCronFields} from './cron-fields.js';

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * One or two `OnCalendar=` values for the process's cron line (seconds
 * included: a calendar has them). Two when both day fields are restricted:
 * cron runs when either matches, systemd when both do, and a timer with two
 * OnCalendar= lines fires on either.
 */
export function cronToOnCalendar(proc: ProcessSpec): string[] {
  const {second, minute, hour, dayOfMonth, month, dayOfWeek} = parseCronFields(proc, 'systemd');
  const time = `${listOf(hour.values)}:${listOf(minute.values)}:${listOf(second.values)}`;
  const date = (days: number[] | undefined): string => `*-${listOf(month.values)}-${listOf(days)}`;
  const weekday = dayOfWeek.values === undefined ? '' : `${dayOfWeek.values.map((day) => weekdays[day]).join(',')} `;
  if (dayOfMonth.values !== undefined && dayOfWeek.values !== undefined) return [`${date(dayOfMonth.values)} ${time}`, `${weekday}${date(undefined)} ${time}`];
  return [`${weekday}${date(dayOfMonth.values)} ${time}`];
}

function listOf(values: number[] | undefined): string {
  return values === undefined ? '*' : values.map((value) => String(value).padStart(2, '0')).join(',');
}
