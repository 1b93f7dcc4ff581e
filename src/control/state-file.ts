/**
 * The state file behind orphan recovery (SPEC §8): a running procdeck keeps a
 * small JSON file listing the process groups it started, each with its
 * leader's start time, and the run's id, which every process of the run
 * carries in its environment. If procdeck is killed hard (SIGKILL, OOM),
 * nothing ends those groups; the next `procdeck start` in the same project
 * reads the file and ends what is still ours (recovery.ts).
 */
import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {SupervisorApi} from '../core/api.js';
import type {StackSpec} from '../config/spec.js';
import type {ProbeGroups} from '../core/probe-groups.js';
import {isGroupAlive} from '../core/process-group.js';
import {hasProcFs, readProcText} from '../core/stats/proc-files.js';
import {isEnded, readProcessEntry} from '../core/stats/process-table.js';
import {readPsStartTime} from '../core/stats/ps-table.js';
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

/** The file's content; undefined when there is none (the usual case) or it is torn. */
function readStateFile(file: string): Partial<StateFileContent> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<StateFileContent>;
  } catch {
    return undefined;
  }
}

/** True when the recorded owner is a procdeck alive now: the same pid with the same start time. */
function isLiveOwner(owner: {pid: number; startTime?: unknown}): boolean {
  return readStartTime(owner.pid) === owner.startTime;
}

/** The pid of the procdeck that wrote `file` while it is still alive (and not this one), else undefined. */
export function readLiveOwnerPid(file: string): number | undefined {
  const owner = readStateFile(file)?.owner;
  return typeof owner?.pid === 'number' && owner.pid !== process.pid && isLiveOwner(owner) ? owner.pid : undefined;
}

/**
 * What a killed procdeck left running, from its state file: its pid and the
 * ids of the recorded groups that still have members; undefined when its
 * owner lives, nothing is left, or there is no such file.
 */
export function readLeftBehind(file: string): {ownerPid: number; ids: string[]} | undefined {
  const content = readStateFile(file);
  const owner = content?.owner;
  if (typeof owner?.pid !== 'number' || isLiveOwner(owner) || content?.bootId !== readBootId()) return undefined;
  const ids = (Array.isArray(content.groups) ? content.groups : []).filter((group) => Number.isInteger(group.pgid) && group.pgid > 1 && isGroupAlive(group.pgid)).map((group) => group.id);
  return ids.length > 0 ? {ownerPid: owner.pid, ids} : undefined;
}

export function readBootId(): string {
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

/** Gone already, or torn: nothing of ours to remove. */
function isOwnedBy(file: string, owner: {pid: number; startTime: number}): boolean {
  const written = readStateFile(file)?.owner;
  return written?.pid === owner.pid && written.startTime === owner.startTime;
}
