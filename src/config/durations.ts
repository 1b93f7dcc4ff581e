/**
 * Durations and sizes as users write them in procdeck.yaml and on the command
 * line (`5s`, `512MB`). One syntax for both places, so the schema and the flags
 * can never disagree.
 */
import {UsageError} from './errors.js';

/** What a duration string may look like: a number and an optional unit (seconds when bare). */
export const durationPattern = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?\s*$/;

/** What a size string may look like: a number and an optional unit (bytes when bare). */
// Spelled out case by case (no `i` flag) so the same pattern works in the JSON Schema.
export const sizePattern = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*((?:[kKmMgGtT][iI]?)?[bB])?\s*$/;

const msPerUnit: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

// Decimal units are powers of 1000 (MB = 1000^2), binary units powers of 1024
// (MiB = 1024^2), as the SI and IEC define them; `ps` and most tools that show
// "MB" for RSS really mean MiB, so users who care can say which they want.
const bytesPerUnit: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** The problem with a duration value, or undefined when it is valid. */
export function describeDurationProblem(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return undefined;
  if (typeof value === 'string' && durationPattern.test(value)) return undefined;
  return `expected a duration like 500ms, 5s or 2m, got ${describeValue(value)}`;
}

/** The problem with a size value, or undefined when it is valid. */
export function describeSizeProblem(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return undefined;
  if (typeof value === 'string' && sizePattern.test(value)) return undefined;
  return `expected a size like 512MB, 1GiB or a number of bytes, got ${describeValue(value)}`;
}

/**
 * Converts `500ms`, `5s`, `2m`, `1h`, `1.5s` or a number of seconds (number or
 * numeric string) to milliseconds. Throws a UsageError prefixed with `label`
 * (for example the flag name) when the value is not a duration.
 */
export function parseDuration(value: string | number, label?: string): number {
  const problem = describeDurationProblem(value);
  if (problem) throw new UsageError(label ? `${label}: ${problem}` : problem);
  if (typeof value === 'number') return Math.round(value * 1000);
  const [, amount = '0', unit = 's'] = durationPattern.exec(value) ?? [];
  return Math.round(Number(amount) * (msPerUnit[unit] ?? 1000));
}

/**
 * Converts `512MB`, `1GiB`, `100kb` or a number of bytes to bytes. MB, GB… are
 * powers of 1000 and MiB, GiB… powers of 1024. Throws a UsageError prefixed
 * with `label` when the value is not a size.
 */
export function parseSize(value: string | number, label?: string): number {
  const problem = describeSizeProblem(value);
  if (problem) throw new UsageError(label ? `${label}: ${problem}` : problem);
  if (typeof value === 'number') return Math.round(value);
  const [, amount = '0', unit = 'b'] = sizePattern.exec(value) ?? [];
  return Math.round(Number(amount) * (bytesPerUnit[unit.toLowerCase()] ?? 1));
}

/** Formats milliseconds back into the shortest exact form users write (`1500ms`, `5s`, `2m`). */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Formats bytes back into the largest unit that divides them exactly (`512MiB`, `512MB`, `100B`). */
export function formatSize(bytes: number): string {
  const units = [['TiB', 1024 ** 4], ['TB', 1000 ** 4], ['GiB', 1024 ** 3], ['GB', 1000 ** 3], ['MiB', 1024 ** 2], ['MB', 1000 ** 2], ['KiB', 1024], ['kB', 1000]] as const;
  for (const [unit, size] of units) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

/** Renders a value the user wrote, for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
