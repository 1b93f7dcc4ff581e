/** Durations for uptime and countdowns: two units at most, so columns stay narrow. */

/** Uptime in at most six columns: `42s`, `3m05s`, `2h04m`, `3d02h`. */
export function formatUptime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const totalSeconds = Math.floor(ms / 1000);
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600) % 24;
  const days = Math.floor(totalSeconds / 86_400);
  if (days > 0) return `${days}d${pad2(hours)}h`;
  if (hours > 0) return `${hours}h${pad2(minutes)}m`;
  if (minutes > 0) return `${minutes}m${pad2(seconds)}s`;
  return `${seconds}s`;
}

/**
 * Time left until a deadline, rounded up so that "0s" only shows once it has
 * passed: `5s`, `1m05s`, `3h10m`. Past deadlines read `0s`.
 */
export function formatCountdown(msLeft: number): string {
  if (!Number.isFinite(msLeft) || msLeft <= 0) return '0s';
  return formatUptime(Math.ceil(msLeft / 1000) * 1000);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
