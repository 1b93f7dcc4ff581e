/**
 * Marks every process a stack run starts, so that recovery can find them all
 * after a hard kill. Process groups and parent links are not enough: a
 * descendant that called `setsid` leaves the group, and once its parent has
 * died nothing links it to us any more (a headless run may never even have
 * scanned for it). What it keeps is the environment it was started with.
 *
 * Each run picks a random id, records it in the state file, and sets
 * `PROCDECK_RUN_ID=<id>` in every instance's environment. Recovery reads
 * /proc/PID/environ of the processes it may read (the user's own) and ends
 * those carrying the killed run's id. 128 random bits cannot be carried by a
 * process procdeck did not start (or one of its descendants) by chance.
 * A process that cleared its environment (`env -i`) is out of reach here.
 */
import {randomBytes} from 'node:crypto';
import {hasProcFs, readProcBytes} from './stats/proc-files.js';
import {isEnded, type ProcessEntry} from './stats/process-table.js';

/** The variable naming the stack run in each instance's environment. */
export const runIdVariable = 'PROCDECK_RUN_ID';

/** A fresh id for one stack run. */
export function newRunId(): string {
  return randomBytes(16).toString('hex');
}

/** A live process carrying a run's id; `instance` is its PS (`web.1`) when it still has one. */
export interface MarkedProcess {
  pid: number;
  startTime: number;
  pgid: number;
  comm: string;
  instance: string | undefined;
}

/**
 * The live processes of `table` whose environment carries `runId`. Only
 * processes started at or after `notBefore` (the run's own start) can carry
 * it; this procdeck and its ancestors are never counted, should it have been
 * started from a shell the killed run started.
 */
export function findMarkedProcesses(runId: string, table: ReadonlyMap<number, ProcessEntry>, notBefore: number): MarkedProcess[] {
  if (!hasProcFs) return [];
  const needle = Buffer.from(`${runIdVariable}=${runId}\0`);
  const exempt = ancestorsOfSelf(table);
  const marked: MarkedProcess[] = [];
  for (const entry of table.values()) {
    if (isEnded(entry) || entry.startTime < notBefore || exempt.has(entry.pid)) continue;
    // null: another user's process (EACCES), or it ended since the table was read.
    const environ = readProcBytes(`/proc/${entry.pid}/environ`);
    if (environ === null || !hasVariable(environ, needle)) continue;
    // The pid is trusted with the start time read before its environment; signals check it again.
    marked.push({pid: entry.pid, startTime: entry.startTime, pgid: entry.pgid, comm: entry.comm, instance: readVariable(environ, 'PS')});
  }
  return marked;
}

function hasVariable(environ: Buffer, needle: Buffer): boolean {
  const at = environ.indexOf(needle);
  if (at === 0) return true;
  // A match inside another variable's value (FOO=PROCDECK_RUN_ID=…) is not the variable.
  for (let from = at; from > 0; from = environ.indexOf(needle, from + 1)) if (environ[from - 1] === 0) return true;
  return false;
}

function readVariable(environ: Buffer, name: string): string | undefined {
  const prefix = `${name}=`;
  return environ.toString('utf8').split('\0').find((pair) => pair.startsWith(prefix))?.slice(prefix.length);
}

function ancestorsOfSelf(table: ReadonlyMap<number, ProcessEntry>): Set<number> {
  const pids = new Set<number>();
  for (let pid: number | undefined = process.pid; pid !== undefined && pid > 1 && !pids.has(pid); pid = table.get(pid)?.ppid) pids.add(pid);
  return pids;
}
