/**
 * Finding each instance's tree for one tick, three ways (the sampler picks):
 *
 *   scanTrees(groups, readProcessTable(), members)            // full scan
 *   const {trees, claimed} = walkTrees(groups, members, files, false); // known members
 *   attachCreated(groups, trees, claimed, readCreatedProcesses(…));   // plus the newborn
 *
 * A pid belongs to at most one tree per tick (`claimed`): the first group
 * that reaches it keeps it.
 */
import type {InstanceId} from '../api.js';
import type {HeldProcFiles} from './held-proc-files.js';
import {collectTree, isEnded, type ProcessEntry} from './process-table.js';

/** One running instance: `pid` is the process procdeck spawned, `pgid` its group. */
export interface InstanceGroup {
  id: InstanceId;
  pid: number;
  pgid: number;
}

/** id → pid → every member seen alive (pid + start time name it against reuse). */
export type KnownMembers = ReadonlyMap<InstanceId, ReadonlyMap<number, {pid: number; startTime: number}>>;

/** Trees from a full process table: group, spawned pid, known members, and their descendants. */
export function scanTrees(
  groups: readonly InstanceGroup[],
  table: Map<number, ProcessEntry>,
  members: KnownMembers,
): Map<InstanceId, ProcessEntry[]> {
  const claimed = new Set<number>();
  const trees = new Map<InstanceId, ProcessEntry[]>();
  for (const group of groups) {
    const known: number[] = [];
    for (const member of members.get(group.id)?.values() ?? []) {
      if (table.get(member.pid)?.startTime === member.startTime) known.push(member.pid);
    }
    const entries: ProcessEntry[] = [];
    for (const pid of collectTree(table, group, known)) {
      const entry = table.get(pid) as ProcessEntry;
      if (claimed.has(pid) || isEnded(entry)) continue;
      claimed.add(pid);
      entries.push(entry);
    }
    trees.set(group.id, entries);
  }
  return trees;
}

/**
 * Trees by re-reading the spawned pid and known members, following the
 * children files of members seen for the first time, and of all members
 * when `isEveryChildRead` (too many creations since the last tick to probe).
 */
export function walkTrees(
  groups: readonly InstanceGroup[],
  members: KnownMembers,
  files: HeldProcFiles,
  isEveryChildRead: boolean,
): {trees: Map<InstanceId, ProcessEntry[]>; claimed: Set<number>} {
  const claimed = new Set<number>();
  const trees = new Map<InstanceId, ProcessEntry[]>();
  for (const group of groups) {
    const known = members.get(group.id);
    // A known pid must still have its start time (else it was reused);
    // a pid listed as a child is a descendant whatever it was before.
    const queue: {pid: number; isChild: boolean}[] = [{pid: group.pid, isChild: true}];
    for (const pid of known?.keys() ?? []) queue.push({pid, isChild: false});
    const entries: ProcessEntry[] = [];
    for (let i = 0; i < queue.length; i++) {
      const {pid, isChild} = queue[i] as {pid: number; isChild: boolean};
      if (claimed.has(pid)) continue;
      const entry = files.readStat(pid);
      if (entry === null || isEnded(entry)) continue;
      if (!isChild && known?.get(pid)?.startTime !== entry.startTime) continue;
      claimed.add(pid);
      entries.push(entry);
      // A member we have walked before can only have children created
      // since the last tick, which probing finds; one we have not might
      // have older ones.
      if (isEveryChildRead || known?.get(pid)?.startTime !== entry.startTime) {
        for (const child of files.readChildren(pid) ?? []) queue.push({pid: child, isChild: true});
      }
    }
    trees.set(group.id, entries);
  }
  return {trees, claimed};
}

/**
 * Adds each created process whose parent is in a tree (or that is in a
 * group) to that tree, oldest first so that a new child's new parent is
 * already placed.
 */
export function attachCreated(
  groups: readonly InstanceGroup[],
  trees: Map<InstanceId, ProcessEntry[]>,
  claimed: Set<number>,
  created: readonly ProcessEntry[],
): void {
  const idByPid = new Map<number, InstanceId>();
  for (const [id, entries] of trees) for (const entry of entries) idByPid.set(entry.pid, id);
  const idByPgid = new Map(groups.map((group) => [group.pgid, group.id]));
  for (const entry of created) {
    if (claimed.has(entry.pid)) continue;
    const id = idByPid.get(entry.ppid) ?? idByPgid.get(entry.pgid);
    if (id === undefined) continue;
    claimed.add(entry.pid);
    idByPid.set(entry.pid, id);
    trees.get(id)?.push(entry);
  }
}
