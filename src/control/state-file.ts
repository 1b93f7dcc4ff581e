/**
 * Orphan recovery (SPEC §8): a running procdeck keeps a small JSON file
 * listing the process groups it started, each with its leader's start time.
 * If procdeck is killed hard (SIGKILL, OOM), nothing ends those groups; the
 * next `procdeck start` in the same project reads the file and ends the ones
 * that are still ours. A pid is only trusted together with its start time:
 * a pid the kernel has since given to another process is never signalled.
 * The file also holds the run's id, which every process of the run carries
 * in its environment, so descendants that left their group are found too.
 */
import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {SupervisorApi} from '../core/api.js';
import type {StackSpec} from '../config/spec.js';
import type {ProbeGroups} from '../core/probe-groups.js';
import {isGroupAlive, terminateGroup, type ProcessRef} from '../core/process-group.js';
import {hasProcFs, readProcText} from '../core/stats/proc-files.js';
import {collectTree, isEnded, readProcessEntry, readProcessTable, type ProcessEntry} from '../core/stats/process-table.js';
import {readPsStartTime} from '../core/stats/ps-table.js';
import {findMarkedProcesses} from './run-marker.js';
import {ensurePrivateDir} from './paths.js';

/** One process group a procdeck started. */
export interface RecordedGroup {
  /** `web.1`, or `web.1 ready check` for a readiness check's group. */
  id: string;
  /** The leader's pid, which is also the group id. */
  pgid: number;
  /** The leader's start time (see ProcessEntry.startTime): with the pid, it names one process. */
  startTime: number;
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
}

export interface StateFileContent {
  version: 1;
  /** The procdeck that wrote it; while it lives, its groups are its own business. */
  owner: {pid: number; startTime: number};
  /** Start times count from boot: after a reboot they mean nothing, and nothing is left anyway. */
  bootId: string;
  projectDir: string;
  /** Set in every instance's environment (run-marker.ts); absent in files of older versions. */
  runId?: string;
  groups: RecordedGroup[];
}

/** Start time of a living process, or null when it is gone. */
export function readStartTime(pid: number): number | null {
  if (!hasProcFs) return readPsStartTime(pid);
  const entry = readProcessEntry(pid);
  return entry === null || isEnded(entry) ? null : entry.startTime;
}

/** The pid of the procdeck that wrote `file` while it is still alive (and not this one), else undefined. */
export function readLiveOwnerPid(file: string): number | undefined {
  let owner: {pid?: unknown; startTime?: unknown} | undefined;
  try {
    owner = (JSON.parse(readFileSync(file, 'utf8')) as Partial<StateFileContent>).owner;
  } catch {
    // No file (the usual case) or a torn one: nobody to protect.
    return undefined;
  }
  if (typeof owner?.pid !== 'number' || owner.pid === process.pid) return undefined;
  return readStartTime(owner.pid) === owner.startTime ? owner.pid : undefined;
}

function readBootId(): string {
  return readProcText('/proc/sys/kernel/random/boot_id')?.trim() ?? '';
}

/** Keeps the state file in step with the engine's running groups; removes it on `close`. */
export class StateFileRecorder {
  private readonly startTimes = new Map<number, number>();
  private recorded: RecordedGroup[] = [];
  private lastWritten = '';
  private readonly unsubscribe: () => void;
  private pendingUpdate: NodeJS.Immediate | undefined;
  private readonly owner: {pid: number; startTime: number};
  private readonly bootId = readBootId();

  constructor(
    private readonly api: SupervisorApi,
    private readonly file: string,
    private readonly stack: StackSpec,
    private readonly projectDir: string,
    private readonly runId: string,
    private readonly probes?: Pick<ProbeGroups, 'list' | 'onChange'>,
  ) {
    this.owner = {pid: process.pid, startTime: readStartTime(process.pid) ?? 0};
    const offState = api.on('state', () => this.requestUpdate());
    const offFormation = api.on('formation', () => this.requestUpdate());
    const offProbes = probes?.onChange(() => this.requestUpdate());
    this.unsubscribe = () => {
      offState();
      offFormation();
      offProbes?.();
    };
    this.update();
  }

  /**
   * Starting ten processes changes state ten times in one pass: write once,
   * right after it (a macrotask later, so a hard kill can still find them).
   */
  private requestUpdate(): void {
    if (this.pendingUpdate) return;
    this.pendingUpdate = setImmediate(() => {
      this.pendingUpdate = undefined;
      this.update();
    });
  }

  /** Rewrites the file when the set of live groups changed (atomically: write, then rename). */
  update(): void {
    const groups: RecordedGroup[] = [];
    const seen = new Set<number>();
    const record = (id: string, pgid: number, stopSignal: NodeJS.Signals, stopTimeoutMs: number): void => {
      let startTime = this.startTimes.get(pgid);
      if (startTime === undefined) {
        const read = readStartTime(pgid);
        if (read === null) return; // already gone: nothing to recover
        startTime = read;
        this.startTimes.set(pgid, startTime);
      }
      groups.push({id, pgid, startTime, stopSignal, stopTimeoutMs});
      seen.add(pgid);
    };
    for (const instance of this.api.snapshot().instances) {
      if (instance.pid === null) continue;
      const spec = this.stack.processes.find((p) => p.name === instance.type);
      record(instance.id, instance.pid, spec?.stopSignal ?? 'SIGTERM', spec?.stopTimeoutMs ?? 5000);
    }
    // A check is only a probe: procdeck kills it outright when it takes too long, and so does recovery.
    for (const probe of this.probes?.list() ?? []) record(`${probe.id} ready check`, probe.pgid, 'SIGKILL', 0);
    // A crashed leader's children are still being ended in the background; keep their group until it is empty.
    for (const group of this.recorded) {
      if (!seen.has(group.pgid) && isGroupAlive(group.pgid)) groups.push(group);
    }
    for (const pid of this.startTimes.keys()) if (!groups.some((group) => group.pgid === pid)) this.startTimes.delete(pid);
    this.recorded = groups;
    const content: StateFileContent = {version: 1, owner: this.owner, bootId: this.bootId, projectDir: this.projectDir, runId: this.runId, groups};
    const text = `${JSON.stringify(content, null, 1)}\n`;
    if (text === this.lastWritten) return;
    // Ours was deleted and another procdeck has started here since: its file is not ours to replace.
    if (readLiveOwnerPid(this.file) !== undefined) return;
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, text, {mode: 0o600});
      renameSync(temporary, this.file);
      this.lastWritten = text;
    } catch {
      // The runtime directory was wiped (a tmp cleaner, logind): `ensurePresent` makes it again and writes then.
      rmSync(temporary, {force: true});
    }
  }

  /** Writes the file again if it has gone (see ControlServer.ensureBound): the next start must see this stack. */
  ensurePresent(): void {
    if (existsSync(this.file)) return;
    ensurePrivateDir(path.dirname(this.file));
    this.lastWritten = '';
    this.update();
  }

  /** Stops recording and removes the file, if it is still ours: every group has ended. */
  close(): void {
    this.unsubscribe();
    if (this.pendingUpdate) clearImmediate(this.pendingUpdate);
    if (isOwnedBy(this.file, this.owner)) rmSync(this.file, {force: true});
  }
}

function isOwnedBy(file: string, owner: {pid: number; startTime: number}): boolean {
  try {
    const written = (JSON.parse(readFileSync(file, 'utf8')) as Partial<StateFileContent>).owner;
    return written?.pid === owner.pid && written.startTime === owner.startTime;
  } catch {
    return false; // gone already, or torn: nothing of ours to remove
  }
}

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
