/** Turns a 5-field cron line into systemd `OnCalendar=` expressions (systemd.time(7)). */
import {UsageError} from '../config/errors.js';

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const rules: FieldRule[] = [
  {name: 'minute', min: 0, max: 59},
  {name: 'hour', min: 0, max: 23},
  {name: 'day of month', min: 1, max: 31},
  {name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']},
  {name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']},
];
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * One or two `OnCalendar=` values for a cron line. Two when both day fields
 * are restricted: cron runs when either matches, systemd when both do, and
 * a timer with two OnCalendar= lines fires on either.
 */
export function cronToOnCalendar(cron: string): string[] {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new UsageError(`systemd: cron ${JSON.stringify(cron)} must have 5 fields here`);
  const [minute, hour, dom, month, dow] = fields.map((field, i) => expandField(field, rules[i] as FieldRule, cron));
  const time = `${listOf(hour, 2)}:${listOf(minute, 2)}:00`;
  const date = (days: number[] | undefined): string => `*-${listOf(month, 2)}-${listOf(days, 2)}`;
  const weekday = dow === undefined ? '' : `${[...new Set(dow.map((d) => weekdays[d % 7]))].join(',')} `;
  if (dom !== undefined && dow !== undefined) return [`${date(dom)} ${time}`, `${weekday}${date(undefined)} ${time}`];
  return [`${weekday}${date(dom)} ${time}`];
}

/** The field's values in order, or undefined for "every value" (`*`). */
function expandField(field: string, rule: FieldRule, cron: string): number[] | undefined {
  if (field === '*' || field === '?') return undefined;
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|[a-z0-9]+)(?:-([a-z0-9]+))?(?:\/(\d+))?$/i.exec(part);
    if (!match) throw unsupported(cron, rule, part);
    const [, start = '', end, step] = match;
    const from = start === '*' ? rule.min : toNumber(start, rule, cron);
    const to = end !== undefined ? toNumber(end, rule, cron) : start === '*' || step !== undefined ? rule.max : from;
    const by = step !== undefined ? Number(step) : 1;
    if (from > to || by < 1) throw unsupported(cron, rule, part);
    for (let value = from; value <= to; value += by) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function toNumber(text: string, rule: FieldRule, cron: string): number {
  const named = rule.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + (rule.name === 'month' ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= rule.min && value <= rule.max)) throw unsupported(cron, rule, text);
  return value;
}

function listOf(values: number[] | undefined, width: number): string {
  return values === undefined ? '*' : values.map((value) => String(value).padStart(width, '0')).join(',');
}

function unsupported(cron: string, rule: FieldRule, part: string): UsageError {
  return new UsageError(`systemd: cron ${JSON.stringify(cron)}: ${rule.name} ${JSON.stringify(part)} cannot be turned into a timer (use numbers, names, ranges, lists and steps)`);
}
