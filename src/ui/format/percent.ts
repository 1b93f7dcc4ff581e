/** CPU percentages: one decimal below 100, whole numbers above (several cores). */
export function formatPercent(cpuPercent: number): string {
  if (!Number.isFinite(cpuPercent) || cpuPercent < 0) return '-';
  return cpuPercent < 99.95 ? `${cpuPercent.toFixed(1)}%` : `${Math.round(cpuPercent)}%`;
}
