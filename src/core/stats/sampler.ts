/**
 * One sampling pass per tick for every instance's whole process tree.
 *
 *   const sampler = new StatsSampler();
 *   const sample = await sampler.sample([{id: 'web.1', pid, pgid}]); // every second
 *   sampler.scanTree([{id: 'web.1', pid, pgid}]);  // fresh look right before a stop
 *   for (const m of sampler.knownMembers('web.1')) // setsid escapees, even orphaned
 *     if (isSameProcess(m.pid, m.startTime)) process.kill(m.pid, 'SIGTERM');
 *   sampler.forget('web.1');                       // the instance is gone for good
 *
 * What a tick costs (Linux, bench/stats.mjs: ~370 processes, 20 instances,
 * 52 tree pids, on this 2-vCPU VM; "quiet" figures from an idle machine,
 * "loaded" ones with load average ~5, where a /proc read costs ~2-3x):
 *   - a full /proc scan: ~12 µs per process, ~4.5 ms quiet (7.5 ms loaded).
 *     Every second, that alone would be ~0.5% of a core, the whole idle
 *     budget; so it runs every `fullScanEveryTicks` (60), and only if a
 *     process was created since the last one. It is the safety net for what
 *     the walk can miss (below: creations too many to probe).
 *   - the walk, on the other ticks: /proc/PID/stat of each known member
 *     through a held fd (~5 µs quiet, 8 loaded). New members: if
 *     /proc/loadavg says no pid was handed out since the last tick, there are
 *     none; if a few were, each is probed (new-processes.ts, ~12 µs); if more
 *     than there are members, every member's /proc/PID/task/PID/children is
 *     read instead (~2.5 µs quiet, 4.6 loaded, through held fds).
 *   - listening sockets: /proc/net/tcp + tcp6 cost ~1 ms quiet, 2.4 loaded
 *     and paced (the kernel walks its whole connection hash however few
 *     sockets exist), the largest single item. So they are read every
 *     `portsEveryTicks` (10) ticks, plus 0, 1, 2, 4 and 8 ticks after any
 *     tree gained or lost a pid, when the count of TCP sockets in use
 *     (/proc/net/sockstat, ~20 µs) changed since the last read: a restarted
 *     server usually listens within seconds, while a shell loop starting a
 *     `sleep 1` every second changes its tree every tick and opens no
 *     socket. The ports are only displayed, so a late one can wait.
 * Paced at one tick per second (CPU of all threads from schedstat, after a
 * 2-minute warm-up so the JIT has settled): ~3.0 ms per second on a quiet
 * machine against ~1 ms for the same Node process with no sampling, so the
 * sampler costs ~2 ms a tick, ~0.2% of a core. A tight loop does a tick in
 * ~1.1 ms: paced ticks pay for cold caches and page faults, not contention.
 *
 * Why CPU% is computed here rather than with pidusage: utime and stime are
 * in the /proc/PID/stat lines the walk has just read, so CPU% costs nothing
 * more. pidusage would read each of them again (2.5 ms per call for the 52
 * pids, loaded: twice our whole tick), spawns `getconf` twice on its first
 * call, keeps an fd per pid for a minute after the pid was last asked about,
 * and reports 0% for every pid on the first call. Without /proc, one `ps` run
 * per tick already gives CPU time for every instance; pidusage would run
 * `ps` a second time.
 */
import type {InstanceId, StatsSample} from '../api.js';
import {attachCreated, scanTrees, walkTrees, type InstanceGroup} from './find-trees.js';
import {HeldProcFiles} from './held-proc-files.js';
import {ListenPortTracker, readListenSockets, readTcpSocketCount} from './listen-ports.js';
import {readCreatedProcesses} from './new-processes.js';
import {hasProcFs, readLastCreatedPid, readUptimeTicks} from './proc-files.js';
import {hasChildrenFiles, readProcessTable, type ProcessEntry} from './process-table.js';
import {readPsTableAsync} from './ps-table.js';

export type {InstanceGroup};

/** A process seen in an instance's tree; `pid` + `startTime` name it safely. */
export interface TreeMember {
  pid: number;
  ppid: number;
  pgid: number;
  startTime: number;
  comm: string;
}

interface MemberRecord extends TreeMember {
  /** CPU time at the last tick, the baseline for the next delta. */
  cpuTicks: number;
}

export interface StatsSamplerOptions {
  /** Read all of /proc at most every this many ticks (default 60); walk known members in between. */
  fullScanEveryTicks?: number;
  /**
   * Find new members by probing the pids created since the last tick when
   * there are at most this many (default: the number of members, at least
   * 32); above it, read every member's children file instead.
   */
  probeLimit?: number;
  /** What says whether sockets were opened or closed (default `readTcpSocketCount`; tests pass a fake). */
  tcpSocketCount?: () => string;
  /** Re-read listening sockets every this many ticks (default 10), and 0, 1, 2, 4, 8 ticks after a tree changes. */
  portsEveryTicks?: number;
}

/** Ticks after a tree change on which listening sockets are read again. */
const portsTicksAfterChange = new Set([0, 1, 2, 4, 8]);

/** Samples CPU, RSS and listening ports of every instance's process tree in one pass. */
export class StatsSampler {
  readonly #fullScanEveryTicks: number;
  readonly #portsEveryTicks: number;
  readonly #probeLimit: number | undefined;
  readonly #readTcpSocketCount: () => string;
  /** id → pid → member: every process seen in its tree and not since seen dead. */
  readonly #members = new Map<InstanceId, Map<number, MemberRecord>>();
  readonly #procFiles = new HeldProcFiles();
  readonly #portTracker = new ListenPortTracker();
  #ports = new Map<InstanceId, number[]>();
  #ticks = 0;
  #fullScanTick = 0;
  #portsTick = 0;
  #treeChangeTick = 0;
  #treePids = new Set<number>();
  /** `readTcpSocketCount()` when the socket tables were last read. */
  #tcpSocketCount = '';
  /** Last created pid at the previous tick and at the previous full scan. */
  #lastPid: number | null = null;
  #lastPidAtFullScan: number | null = null;
  /** Clock ticks since boot (Linux) or since the epoch (elsewhere) at the last sample. */
  #lastTime: number | null = null;

  constructor(options: StatsSamplerOptions = {}) {
    this.#fullScanEveryTicks = Math.max(1, options.fullScanEveryTicks ?? 60);
    this.#portsEveryTicks = Math.max(1, options.portsEveryTicks ?? 10);
    this.#probeLimit = options.probeLimit;
    this.#readTcpSocketCount = options.tcpSocketCount ?? readTcpSocketCount;
  }

  /** CPU% (of one core, summed over the tree), RSS and listening ports for each group. */
  async sample(groups: readonly InstanceGroup[]): Promise<StatsSample> {
    this.#ticks += 1;
    if (groups.length === 0) {
      // Nothing running: keep the clock current, read nothing else.
      this.#lastTime = hasProcFs ? readUptimeTicks() : (Date.now() / 1000) * 100;
      this.#procFiles.close();
      return {time: Date.now(), instances: {}};
    }
    const trees = await this.#findTrees(groups);
    const now = hasProcFs ? readUptimeTicks() : (Date.now() / 1000) * 100;
    const last = this.#lastTime;
    this.#lastTime = now;
    const elapsedTicks = now !== null && last !== null ? now - last : 0;

    const treePids = new Set<number>();
    for (const entries of trees.values()) for (const entry of entries) treePids.add(entry.pid);
    this.#procFiles.keepOnly(treePids);
    if (!isSameSet(treePids, this.#treePids)) this.#treeChangeTick = this.#ticks;
    this.#treePids = treePids;
    if (treePids.size === 0) {
      // No process left in any tree: nothing can listen, no need to ask the kernel.
      this.#ports = new Map();
    } else if (hasProcFs && this.#arePortsDue()) {
      this.#portsTick = this.#ticks;
      const pidsById = new Map<InstanceId, number[]>();
      for (const [id, entries] of trees) pidsById.set(id, entries.map((entry) => entry.pid));
      this.#ports = this.#portTracker.update(pidsById, readListenSockets());
    }

    const instances: StatsSample['instances'] = {};
    const pgidOf = new Map(groups.map((group) => [group.id, group.pgid]));
    for (const [id, entries] of trees) {
      const previous = this.#members.get(id);
      const next = new Map<number, MemberRecord>();
      let usedTicks = 0;
      let rssBytes = 0;
      let groupSize = 0;
      let stoppedInGroup = 0;
      for (const entry of entries) {
        if (entry.pgid === pgidOf.get(id)) {
          groupSize += 1;
          if (entry.state === 'T' || entry.state === 't') stoppedInGroup += 1;
        }
        const before = previous?.get(entry.pid);
        if (before !== undefined && before.startTime === entry.startTime) {
          usedTicks += Math.max(0, entry.cpuTicks - before.cpuTicks);
        } else if (hasProcFs && last !== null && entry.startTime >= last) {
          // Born since the last tick: all of its CPU time falls in this interval.
          usedTicks += entry.cpuTicks;
        }
        rssBytes += entry.rssBytes;
        next.set(entry.pid, toRecord(entry));
      }
      // Members not found again have ended (the walk re-reads every known
      // member, the full scan roots at them), so dropping them keeps only
      // processes that may still need a signal.
      this.#members.set(id, next);
      instances[id] = {
        cpuPercent: elapsedTicks > 0 ? (usedTicks / elapsedTicks) * 100 : 0,
        rssBytes,
        listenPorts: this.#ports.get(id) ?? [],
        paused: groupSize > 0 && stoppedInGroup === groupSize,
      };
    }
    return {time: Date.now(), instances};
  }

  /** Closes the /proc fds held between ticks (they are reopened if sampling resumes). */
  close(): void {
    this.#procFiles.close();
  }

  /**
   * Processes seen in `id`'s tree while alive and not since seen dead,
   * including descendants that left the group (setsid) and whose parent has
   * since died. Check `isSameProcess(pid, startTime)` before signalling.
   */
  knownMembers(id: InstanceId): TreeMember[] {
    return [...(this.#members.get(id)?.values() ?? [])].map(({cpuTicks: _, ...member}) => member);
  }

  /** Drops what is remembered about `id` (call when the instance is gone for good). */
  forget(id: InstanceId): void {
    this.#members.delete(id);
    this.#ports.delete(id);
  }

  /**
   * A fresh full scan of these trees now (no CPU figures), remembered as
   * known members. Call right before stopping an instance, while parent links
   * still lead to every descendant.
   */
  scanTree(groups: readonly InstanceGroup[]): Map<InstanceId, TreeMember[]> {
    const trees = scanTrees(groups, readProcessTable(), this.#members);
    const result = new Map<InstanceId, TreeMember[]>();
    for (const [id, entries] of trees) {
      const previous = this.#members.get(id);
      const next = new Map<number, MemberRecord>();
      for (const entry of entries) {
        const before = previous?.get(entry.pid);
        // Keep the CPU baseline of a member we already knew, so the next
        // sample's delta still spans exactly one tick.
        next.set(entry.pid, before !== undefined && before.startTime === entry.startTime ? before : toRecord(entry));
      }
      this.#members.set(id, next);
      result.set(id, this.knownMembers(id));
    }
    return result;
  }

  /**
   * Whether this tick reads the socket tables (see the cost notes at the top):
   * the first tick and every `portsEveryTicks`, or a tick soon after a tree
   * change when the TCP socket count moved since the last read.
   */
  #arePortsDue(): boolean {
    const isPeriodic = this.#portsTick === 0 || this.#ticks - this.#portsTick >= this.#portsEveryTicks;
    if (!isPeriodic && !portsTicksAfterChange.has(this.#ticks - this.#treeChangeTick)) return false;
    const count = this.#readTcpSocketCount();
    if (!isPeriodic && count === this.#tcpSocketCount) return false;
    this.#tcpSocketCount = count;
    return true;
  }

  /** Full scan or walk, whichever this tick needs (see the cost notes at the top). */
  async #findTrees(groups: readonly InstanceGroup[]): Promise<Map<InstanceId, ProcessEntry[]>> {
    if (!hasProcFs) return scanTrees(groups, await readPsTableAsync(), this.#members);
    const previousLastPid = this.#lastPid;
    const lastPid = readLastCreatedPid();
    this.#lastPid = lastPid;
    const isFullScanDue =
      !hasChildrenFiles ||
      this.#fullScanTick === 0 ||
      (this.#ticks - this.#fullScanTick >= this.#fullScanEveryTicks && (lastPid === null || lastPid !== this.#lastPidAtFullScan));
    if (isFullScanDue) {
      this.#fullScanTick = this.#ticks;
      this.#lastPidAtFullScan = lastPid;
      return scanTrees(groups, readProcessTable(), this.#members);
    }
    // Probing a created pid costs about what reading one children file does:
    // probe while fewer pids were created than there are tree members.
    let memberCount = 0;
    for (const members of this.#members.values()) memberCount += members.size;
    const created =
      lastPid !== null && lastPid === previousLastPid
        ? []
        : lastPid === null || previousLastPid === null
          ? null
          : readCreatedProcesses(previousLastPid, lastPid, this.#probeLimit ?? Math.max(32, memberCount));
    const {trees, claimed} = walkTrees(groups, this.#members, this.#procFiles, created === null);
    if (created !== null && created.length > 0) attachCreated(groups, trees, claimed, created);
    return trees;
  }
}

function isSameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

function toRecord(entry: ProcessEntry): MemberRecord {
  return {
    pid: entry.pid,
    ppid: entry.ppid,
    pgid: entry.pgid,
    startTime: entry.startTime,
    comm: entry.comm,
    cpuTicks: entry.cpuTicks,
  };
}
