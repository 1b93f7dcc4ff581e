/** The CPU and memory cells of a process (or of a total): the list, the headers and `procdeck status`. */
import {formatBytes} from './bytes.js';
import {formatPercent} from './percent.js';

/**
 * `-` for both until a stats tick has measured the process: a live process
 * tree always has memory, so 0 bytes means "not measured yet" (or nothing
 * running), not an idle process.
 */
export function formatUsage(cpuPercent: number, rssBytes: number): {cpu: string; mem: string} {
  if (!(rssBytes > 0)) return {cpu: '-', mem: '-'};
  return {cpu: formatPercent(cpuPercent), mem: formatBytes(rssBytes)};
}
