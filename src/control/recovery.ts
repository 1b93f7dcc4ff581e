/**
 * Orphan recovery (SPEC §8): the next `procdeck start` after a hard kill
 * reads the killed run's state file (state-file.ts) and ends what it left
 * running. A pid is only trusted together with its start time: a pid the
 * kernel has since given to another process is never signalled.
 */
import {readFileSync, rmSync} from 'node:fs';
import {terminateGroup, type ProcessRef} from '../core/process-group.js';
import {collectTree, isEnded, readProcessTable, type ProcessEntry} from '../core/stats/process-table.js';
import {findMarkedProcesses} from '../core/run-marker.js';
import {readBootId, readStartTime, type RecordedGroup, type StateFileContent} from './state-file.js';

export interface RecoveryReport {
  /** The procdeck that wrote the file is still alive: nothing was touched. */
  liveOwnerPid?: number;
}

/**
 * Ends the process groups a killed procdeck left behind, as recorded in
 * `file`: each group whose leader is the same process (pid and start time),
 * or whose leader is gone but whose members are still in the group it
 * created, gets its stop signal, then SIGKILL after its stop timeout; so
 * does every process still carrying the killed run's id in its environment
 * (run-marker.ts), whichever group it is in by now. `report` hears what is
 * being ended before the wait (up to a stop timeout) and how it ended after.
 */
export async function recoverOrphans(file: string, report: (message: string) => void): Promise<RecoveryReport> {
  let content: StateFileContent;
  try {
    content = JSON.parse(readFileSync(file, 'utf8')) as StateFileContent;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    rmSync(file, {force: true});
    report(`ignored an unreadable state file ${file}`);
    return {};
  }
  if (content.version !== 1 || !Array.isArray(content.groups) || typeof content.owner?.pid !== 'number') {
    rmSync(file, {force: true});
    return {};
  }
  if (readStartTime(content.owner.pid) === content.owner.startTime && content.owner.pid !== process.pid) {
    return {liveOwnerPid: content.owner.pid};
  }
  if (content.bootId !== readBootId()) {
    rmSync(file, {force: true});
    return {};
  }
  const table = readProcessTable();
  const leftovers = findLeftovers(content, table);
  const leftBy = `left running by procdeck pid ${content.owner.pid}, which was killed`;
  for (const leftover of leftovers) report(`ending ${leftover.id} (${describeLeftover(leftover)}), ${leftBy}`);
  await Promise.all(
    leftovers.map(async (leftover) => {
      const {escalated} = await terminateGroup(leftover);
      const how = escalated && leftover.signal !== 'SIGKILL' ? `${leftover.signal}, then SIGKILL` : leftover.signal;
      report(`ended ${leftover.id} (${describeLeftover(leftover)}, ${how}), ${leftBy}`);
    }),
  );
  rmSync(file, {force: true});
  return {};
}

/** What recovery ends for one recorded id: its group (null when gone) and the processes that left it. */
interface Leftover {
  id: string;
  pgid: number | null;
  escapees: ProcessRef[];
  signal: NodeJS.Signals;
  timeoutMs: number;
}

/**
 * The recorded groups that are still ours, each with the descendants that
 * left it: those still linked to it by parent pids, and every process
 * carrying the run's id (run-marker.ts) outside those groups, put with the
 * instance its PS names, even when that instance's group is gone.
 */
function findLeftovers(content: StateFileContent, table: Map<number, ProcessEntry>): Leftover[] {
  const leftovers: Leftover[] = content.groups
    .filter((group) => isOurs(group, table))
    .map((group) => ({id: group.id, pgid: group.pgid, escapees: findLinkedEscapees(group, table), ...stopPolicyOf(group)}));
  const isCovered = (pid: number, pgid: number) => leftovers.some((leftover) => leftover.pgid === pgid || leftover.escapees.some((ref) => ref.pid === pid));
  const marked = typeof content.runId === 'string' && content.runId !== '' ? findMarkedProcesses(content.runId, table, content.owner.startTime) : [];
  for (const found of marked) {
    if (isCovered(found.pid, found.pgid)) continue;
    const id = found.instance ?? 'a process';
    let leftover = leftovers.find((candidate) => candidate.id === id);
    if (!leftover) {
      leftover = {id, pgid: null, escapees: [], ...stopPolicyOf(content.groups.find((group) => group.id === id))};
      leftovers.push(leftover);
    }
    leftover.escapees.push({pid: found.pid, startTime: found.startTime});
  }
  return leftovers;
}

/** Descendants that left the group (setsid) but are still linked to it by their parent pids. */
function findLinkedEscapees(group: RecordedGroup, table: Map<number, ProcessEntry>): ProcessRef[] {
  return collectTree(table, {pgid: group.pgid, pid: group.pgid})
    .map((pid) => table.get(pid)!)
    .filter((entry) => entry.pgid !== group.pgid && entry.startTime >= group.startTime)
    .map((entry) => ({pid: entry.pid, startTime: entry.startTime}));
}

/** The group's stop signal and timeout; SIGTERM and 5 s for a process no recorded group names. */
function stopPolicyOf(group: RecordedGroup | undefined): {signal: NodeJS.Signals; timeoutMs: number} {
  if (!group) return {signal: 'SIGTERM', timeoutMs: 5000};
  // The file is ours (a 0700 directory), but a hand-edited value must not make us wait forever.
  const signal = typeof group.stopSignal === 'string' && /^SIG[A-Z0-9]+$/.test(group.stopSignal) ? group.stopSignal : 'SIGTERM';
  const timeoutMs = Math.min(Math.max(Number(group.stopTimeoutMs) || 0, 0), 60_000);
  return {signal, timeoutMs};
}

/** `process group 4312`, `process group 4312 and pid 4400, which left it`, `pid 4400, which left its process group`. */
function describeLeftover(leftover: Leftover): string {
  const pids = `${leftover.escapees.length === 1 ? 'pid' : 'pids'} ${leftover.escapees.map((ref) => ref.pid).join(', ')}`;
  if (leftover.pgid === null) return `${pids}, which left its process group`;
  return leftover.escapees.length === 0 ? `process group ${leftover.pgid}` : `process group ${leftover.pgid} and ${pids}, which left it`;
}

/** True when the recorded group is alive and provably the one procdeck started. */
function isOurs(group: RecordedGroup, table: Map<number, ProcessEntry>): boolean {
  if (!Number.isInteger(group.pgid) || group.pgid <= 1 || typeof group.startTime !== 'number') return false;
  const leader = table.get(group.pgid);
  if (leader && !isEnded(leader)) {
    // Same pid, another start time: the kernel reused the pid. Not ours.
    return leader.startTime === group.startTime && leader.pgid === group.pgid;
  }
  // The leader is gone but the group may live on. Its members were forked
  // after the leader started and, since every instance gets its own session,
  // still carry the leader's pid as session id; a group someone else made
  // later with that pgid would need a leader with that pid alive now.
  for (const entry of table.values()) {
    if (entry.pgid === group.pgid && !isEnded(entry) && (entry.sid === group.pgid || entry.sid === -1) && entry.startTime >= group.startTime) {
      return true;
    }
  }
  return false;
}
