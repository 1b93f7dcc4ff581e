/**
 * Every process on the machine, and the trees procdeck's instances grew.
 *
 *   const table = readProcessTable();                  // one /proc scan
 *   const pids = collectTree(table, {pgid, pid});      // the group + descendants
 *   if (isSameProcess(pid, startTime)) process.kill(pid, 'SIGKILL'); // pid-reuse guard
 *   findLiveGroupMember(pgid);                         // "is the group empty yet?"
 *
 * Cost (this VM, Node 20, bench/stats.mjs): a full scan is ~12 µs per
 * process, ~4.5 ms for 370 processes. Every second that alone is ~0.5% of a
 * core, the whole idle budget, so the sampler scans fully only every 30 ticks
 * and otherwise follows known members (see sampler.ts). Code that polls
 * (waiting for a group to end) should prefer findLiveGroupMember and
 * isSameProcess, which read a few files, over readProcessTable.
 */
import {readdirSync} from 'node:fs';
import {clockTicksPerSecond, hasProcFs, pageSizeBytes, readProcText} from './proc-files.js';
import {readPsTable, readPsStartTime} from './ps-table.js';

/** One process, as /proc/PID/stat (or `ps` elsewhere) describes it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Process group id. */
  pgid: number;
  /** Session id (-1 where `ps` cannot tell). */
  sid: number;
  /**
   * Field 22 of /proc/PID/stat: clock ticks since boot (elsewhere: seconds
   * since the epoch, from `ps -o lstart`). With `pid`, it names one process
   * for its whole life, which a bare pid does not once pids wrap.
   */
  startTime: number;
  /** One letter: R running, S sleeping, D disk wait, Z zombie, T stopped, … */
  state: string;
  /** Executable name, at most 15 characters on Linux. */
  comm: string;
  /** User + system CPU time so far, in `clockTicksPerSecond` units. */
  cpuTicks: number;
  rssBytes: number;
}

/**
 * Parses one /proc/PID/stat line. `comm` may hold spaces and parentheses
 * (`(sd-pam)`, `(my (odd) prog)`), so the fixed fields start after the LAST
 * `)`, never after the first space.
 */
export function parseStatLine(text: string): ProcessEntry | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // Only 8 of the ~50 fields are wanted: find their bounds instead of
  // split(' '), which would allocate every field of every process every tick.
  // starts[n] is where field n (1-based, as in proc(5)) begins, for n >= 3.
  const starts: number[] = [];
  let at = close + 2;
  for (let field = 3; field <= 25 && at > 0; field++) {
    starts[field] = at;
    at = text.indexOf(' ', at) + 1;
  }
  if (at <= 0) return null; // fewer than 25 fields: a truncated line
  const field = (n: number): number => Number(text.slice(starts[n], (starts[n + 1] as number) - 1));
  return {
    pid: Number(text.slice(0, open - 1)),
    ppid: field(4),
    pgid: field(5),
    sid: field(6),
    startTime: field(22),
    state: text.charAt(close + 2),
    comm: text.slice(open + 1, close),
    cpuTicks: field(14) + field(15),
    rssBytes: field(24) * pageSizeBytes,
  };
}

/** One process from /proc, or null when it is gone (or /proc is not there). */
export function readProcessEntry(pid: number): ProcessEntry | null {
  const text = readProcText(`/proc/${pid}/stat`, true);
  return text === null ? null : parseStatLine(text);
}

/**
 * Children of `pid` from /proc/PID/task/PID/children: the children its main
 * thread forked. Children forked from other threads (Go programs, Node worker
 * threads) are listed under those threads only; the sampler's periodic full
 * scan finds them. Null when the file is missing (kernel without
 * CONFIG_PROC_CHILDREN) or the process is gone.
 */
export function readChildPids(pid: number): number[] | null {
  const text = readProcText(`/proc/${pid}/task/${pid}/children`);
  return text === null ? null : parseChildPids(text);
}

/** Parses a children file: pids separated (and followed) by spaces. */
export function parseChildPids(text: string): number[] {
  const pids: number[] = [];
  for (const word of text.split(' ')) if (word !== '') pids.push(Number(word));
  return pids;
}

/** True when this kernel lists children per task (checked once, on ourselves). */
export const hasChildrenFiles: boolean = hasProcFs && readChildPids(process.pid) !== null;

/** Every process visible now, by pid. Processes that end mid-scan are left out. */
export function readProcessTable(): Map<number, ProcessEntry> {
  if (!hasProcFs) return readPsTable();
  const table = new Map<number, ProcessEntry>();
  for (const name of readdirSync('/proc')) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue; // not a pid directory
    const entry = readProcessEntry(Number(name));
    // null: it ended between readdir and open; it has no place in a table of the living.
    if (entry !== null) table.set(entry.pid, entry);
  }
  return table;
}

/**
 * A living (non-zombie) member of process group `pgid`, or null: for polling
 * "is the group empty yet?" during a stop, once no known member lives. That
 * takes a full scan (~5 ms, more on a loaded machine), and a stack of 60
 * stopping at once polled 60 groups every 40 ms: hundreds of ms of scans,
 * during which procdeck answered no key and no signal. One scan now serves
 * every group asked about within `groupScanReuseMs`; a group it has no
 * member of is looked for again among the processes started since, which
 * the scan could not see (a group created after it, say). A member that has
 * died since the scan costs one more poll.
 */
export function findLiveGroupMember(pgid: number): ProcessEntry | null {
  if (!hasProcFs) {
    for (const entry of readPsTable().values()) if (entry.pgid === pgid && !isEnded(entry)) return entry;
    return null;
  }
  const now = performance.now();
  if (groupScan === null || now - groupScan.scannedAt > groupScanReuseMs) {
    groupScan = {scannedAt: now, seen: new Set(), liveByGroup: new Map()};
  }
  const known = groupScan.liveByGroup.get(pgid);
  if (known !== undefined) return known;
  const {seen, liveByGroup} = groupScan;
  let found: ProcessEntry | null = null;
  for (const name of readdirSync('/proc')) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue; // not a pid directory
    const pid = Number(name);
    if (seen.has(pid)) continue;
    seen.add(pid);
    const entry = readProcessEntry(pid);
    // null: it ended since readdir; it is not a live member.
    if (entry === null || isEnded(entry)) continue;
    if (!liveByGroup.has(entry.pgid)) liveByGroup.set(entry.pgid, entry);
    if (entry.pgid === pgid) found ??= entry;
  }
  return found;
}

const groupScanReuseMs = 25;
let groupScan: {scannedAt: number; seen: Set<number>; liveByGroup: Map<number, ProcessEntry>} | null = null;

/** The root of one instance's tree: its process group and the pid procdeck spawned. */
export interface TreeRoot {
  pgid: number;
  pid: number;
}

// One parent → children index per table, built on first use: the sampler
// calls collectTree for ~20 instances on the same table.
const childIndexes = new WeakMap<Map<number, ProcessEntry>, Map<number, number[]>>();

function indexChildren(table: Map<number, ProcessEntry>): Map<number, number[]> {
  let index = childIndexes.get(table);
  if (index === undefined) {
    index = new Map();
    for (const entry of table.values()) {
      const siblings = index.get(entry.ppid);
      if (siblings === undefined) index.set(entry.ppid, [entry.pid]);
      else siblings.push(entry.pid);
    }
    childIndexes.set(table, index);
  }
  return index;
}

/**
 * Pids of the instance's tree, ascending: every member of process group
 * `root.pgid`, `root.pid`, and every descendant reachable through ppid links
 * from any of them. A child that called `setsid` left the group but is still
 * a descendant, so it is found here. `extraRoots` (pids known to belong to
 * the tree, e.g. an escapee whose parent has died) add their descendants too.
 */
export function collectTree(
  table: Map<number, ProcessEntry>,
  root: TreeRoot,
  extraRoots: Iterable<number> = [],
): number[] {
  const children = indexChildren(table);
  const found = new Set<number>();
  const queue: number[] = [];
  const visit = (pid: number): void => {
    if (!found.has(pid) && table.has(pid)) {
      found.add(pid);
      queue.push(pid);
    }
  };
  visit(root.pid);
  for (const pid of extraRoots) visit(pid);
  for (const entry of table.values()) if (entry.pgid === root.pgid) visit(entry.pid);
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    for (const child of children.get(pid) ?? []) visit(child);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * True while `pid` is the same living process that had `startTime`: false
 * when it has ended (zombies included: they have exited and only wait to be
 * reaped) or the pid now belongs to another process. Check this right before
 * signalling a pid remembered from earlier.
 */
export function isSameProcess(pid: number, startTime: number): boolean {
  if (!hasProcFs) return readPsStartTime(pid) === startTime;
  const entry = readProcessEntry(pid);
  return entry !== null && entry.startTime === startTime && !isEnded(entry);
}

/** True for a zombie (exited, not yet reaped) or a dying task: nothing left to signal. */
export function isEnded(entry: ProcessEntry): boolean {
  return entry.state === 'Z' || entry.state === 'X' || entry.state === 'x';
}

export {clockTicksPerSecond};
