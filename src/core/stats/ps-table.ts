/**
 * The process table from `ps`, for systems without /proc (macOS, the BSDs).
 * One `ps` run per call, for every instance at once.
 *
 *   const table = readPsTable(); // same shape as readProcessTable() on Linux
 */
import {execFile, execFileSync} from 'node:child_process';
import type {ProcessEntry} from './process-table.js';

// `ps` prints `time` as [[dd-]hh:]mm:ss[.cc]; we report it in the same
// 100-per-second ticks that Linux uses for /proc/PID/stat.
const ticksPerSecond = 100;

function parseCpuTime(text: string): number {
  const [days, clock] = text.includes('-') ? text.split('-', 2) : ['0', text];
  let seconds = 0;
  for (const part of (clock ?? '').split(':')) seconds = seconds * 60 + Number.parseFloat(part);
  seconds += Number(days) * 86_400;
  return Number.isFinite(seconds) ? Math.round(seconds * ticksPerSecond) : 0;
}

// lstart is five words (`Wed Nov 25 15:50:39 2026`) under LC_ALL=C.
function parseStartTime(words: string[]): number {
  const ms = Date.parse(words.join(' '));
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}

function runPs(args: string[]): string | null {
  try {
    return execFileSync('ps', args, {encoding: 'utf8', env: {...process.env, LC_ALL: 'C'}, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000});
  } catch {
    // `ps -p` exits 1 when the pid is gone; a missing `ps` leaves us blind.
    // Either way there is nothing to report.
    return null;
  }
}

/** Parses `ps -A -o pid=,ppid=,pgid=,stat=,time=,rss=,lstart=,comm=` output. */
export function parsePsTable(text: string): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words.length < 12) continue;
    const [pid, ppid, pgid, stat, time, rss] = words;
    table.set(Number(pid), {
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      sid: -1,
      startTime: parseStartTime(words.slice(6, 11)),
      state: (stat ?? '?').charAt(0),
      comm: words.slice(11).join(' '),
      cpuTicks: parseCpuTime(time ?? '0'),
      rssBytes: Number(rss) * 1024,
    });
  }
  return table;
}

/** Every process, from one `ps` run; empty when `ps` cannot run. */
export function readPsTable(): Map<number, ProcessEntry> {
  const text = runPs(['-A', '-o', 'pid=,ppid=,pgid=,stat=,time=,rss=,lstart=,comm=']);
  return text === null ? new Map() : parsePsTable(text);
}

/** Start time of a living, non-zombie `pid` in readPsTable units, or null. */
export function readPsStartTime(pid: number): number | null {
  const text = runPs(['-o', 'stat=,lstart=', '-p', String(pid)]);
  const words = text?.trim().split(/\s+/) ?? [];
  if (words.length < 6 || words[0]?.startsWith('Z')) return null;
  return parseStartTime(words.slice(1, 6));
}

/** readPsTable without blocking the event loop while `ps` runs (for the sampler's tick). */
export async function readPsTableAsync(): Promise<Map<number, ProcessEntry>> {
  return new Promise((resolve) => {
    execFile(
      'ps',
      ['-A', '-o', 'pid=,ppid=,pgid=,stat=,time=,rss=,lstart=,comm='],
      {encoding: 'utf8', env: {...process.env, LC_ALL: 'C'}, timeout: 5000},
      // An error leaves us blind for this tick: report an empty table.
      (error, stdout) => resolve(error ? new Map() : parsePsTable(stdout)),
    );
  });
}
