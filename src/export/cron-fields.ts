/**
 * A process's `cron:` line taken apart into the values of each field, for
 * the exporters that rebuild it in their own scheduler's syntax. procdeck
 * runs cron with croner, which takes more than those schedulers do (`L`, `#`,
 * `W`, a seconds field, day of week 7); what cannot be carried over exactly
 * is refused here, naming the process and what to write instead.
 */
import type {ProcessSpec} from '../config/spec.js';
import {UsageError} from '../config/errors.js';

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const rules = {
  second: {name: 'second', min: 0, max: 59},
  minute: {name: 'minute', min: 0, max: 59},
  hour: {name: 'hour', min: 0, max: 23},
  dayOfMonth: {name: 'day of month', min: 1, max: 31},
  month: {name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']},
  // 7 is Sunday as well as 0, as croner reads it; parsed values fold it to 0.
  dayOfWeek: {name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']},
} satisfies Record<string, FieldRule>;

/** The nicknames croner takes, as the 5 fields they stand for. */
const nicknames: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

type FieldName = keyof typeof rules;

/** Each field's text (seconds `0` when the line has none) and values; values are undefined for "every value" (`*`). */
export type CronFields = Record<FieldName, {text: string; values: number[] | undefined}>;

/**
 * Parses the process's cron line for `format` (the scheduler named in
 * errors). Takes numbers, names, ranges, lists and steps, like every cron.
 */
export function parseCronFields(proc: ProcessSpec, format: string): CronFields {
  const cron = (proc.cron ?? '').trim();
  const expanded = cron.startsWith('@') ? nicknames[cron.toLowerCase()] : cron;
  if (expanded === undefined) throw cronError(proc, format, `${JSON.stringify(cron)} has no fixed times`, 'write the 5 fields it stands for');
  const texts = expanded.split(/\s+/);
  if (texts.length === 5) texts.unshift('0');
  const names = Object.keys(rules) as FieldName[];
  const entries = names.map((name, i) => {
    const text = texts[i] ?? '';
    return [name, {text, values: expandField(text, rules[name], proc, format)}];
  });
  return Object.fromEntries(entries) as CronFields;
}

/** The values of one field, Sunday always 0, in order; undefined for `*` or `?`. */
function expandField(field: string, rule: FieldRule, proc: ProcessSpec, format: string): number[] | undefined {
  if (field === '*' || field === '?') return undefined;
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|[a-z0-9]+)(?:-([a-z0-9]+))?(?:\/(\d+))?$/i.exec(part);
    if (!match) throw unsupported(proc, format, rule, part);
    const [, start = '', end, step] = match;
    const from = start === '*' ? rule.min : toNumber(start, rule, proc, format);
    const to = end !== undefined ? toNumber(end, rule, proc, format) : start === '*' || step !== undefined ? rule.max : from;
    const by = step !== undefined ? Number(step) : 1;
    if (from > to || by < 1) throw unsupported(proc, format, rule, part);
    for (let value = from; value <= to; value += by) values.add(rule === rules.dayOfWeek ? value % 7 : value);
  }
  return [...values].sort((a, b) => a - b);
}

function toNumber(text: string, rule: FieldRule, proc: ProcessSpec, format: string): number {
  const named = rule.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + (rule === rules.month ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= rule.min && value <= rule.max)) throw unsupported(proc, format, rule, text);
  return value;
}

/**
 * The 5-field line Kubernetes takes (robfig/cron's ParseStandard): no seconds,
 * and day of week 0-6 only, so that field is written out from its values
 * (`5-7` → `0,5-6`); the other fields mean the same there and stay as written.
 */
export function toStandardCron(proc: ProcessSpec, format: string): string {
  const fields = parseCronFields(proc, format);
  if (fields.second.values?.join() !== '0') {
    throw cronError(proc, format, `${format} schedules have no seconds field and run at second 0`, 'use 5 fields, or 0 as the seconds');
  }
  const {minute, hour, dayOfMonth, month, dayOfWeek} = fields;
  const weekdays = dayOfWeek.values === undefined ? dayOfWeek.text : toCronList(dayOfWeek.values);
  return [minute.text, hour.text, dayOfMonth.text, month.text, weekdays].join(' ');
}

/** Values as a cron list with runs as ranges: [0, 5, 6] → `0,5-6`. */
export function toCronList(values: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === (values[j] ?? 0) + 1) j++;
    runs.push(i === j ? String(values[i]) : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  return runs.join(',');
}

function unsupported(proc: ProcessSpec, format: string, rule: FieldRule, part: string): UsageError {
  return cronError(proc, format, `${rule.name} ${JSON.stringify(part)} cannot be carried over`, `write that field with numbers, names, ranges, lists and steps only (${rule.min}-${rule.max})`);
}

/** `systemd: process backup (procdeck.yaml) has cron "0 0 L * *": PROBLEM (FIX)`, one line. */
export function cronError(proc: ProcessSpec, format: string, problem: string, fix: string): UsageError {
  return new UsageError(`${format}: process ${proc.name} (${proc.source}) has cron ${JSON.stringify(proc.cron)}: ${problem} (${fix})`);
}
