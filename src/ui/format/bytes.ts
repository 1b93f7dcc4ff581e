/** Byte counts in at most six columns, for the process list and header. */

const units = ['K', 'M', 'G', 'T'] as const;

/** `0B`, `900B`, `12K`, `9.5M`, `512M`, `1.21G`: compact, base 1024, never wider than 6 columns. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-';
  if (bytes < 1024) return `${Math.round(bytes)}B`;
  let value = bytes;
  for (const unit of units) {
    value /= 1024;
    // Round first so that 1023.96K becomes 1.0M rather than a 7-column "1024K".
    if (value < 10 && Number(value.toFixed(1)) < 10) return `${value.toFixed(1)}${unit}`;
    if (Math.round(value) < 1024 || unit === 'T') return `${Math.round(value)}${unit}`;
  }
  return '-';
}
