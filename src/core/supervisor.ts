/**
 * The engine: owns every instance of a stack, runs commands against them,
 * stores their output, samples their stats, and shuts everything down. It
 * knows nothing of terminals or sockets; every face is a SupervisorApi client.
 */
import type {FirstStatus, InstanceId, LogLine, LogWindow, StackSnapshot, SupervisorApi, SupervisorEvents, UnfinishedLine} from './api.js';
import type {Command, Outcome} from './commands.js';
import type {ProcessSpec, StackSpec} from '../config/spec.js';
import {instanceEnv} from '../config/env.js';
import {describePortOverflow, instancePort} from '../config/ports.js';
import {systemClock, type Clock} from './clock.js';
import {Emitter} from './events.js';
import {Instance, type InstanceHost} from './instance.js';
import {UnfinishedLines} from './unfinished-lines.js';
import {LogRing, mergeWindows} from './log-ring.js';
import type {LineSource} from './lines.js';
import type {Spawner} from './spawn.js';
import {ProbeGroups} from './probe-groups.js';
import {findPortHolder, ListeningPorts} from './ports.js';
import {StatsSampler, type TreeMember} from './stats/sampler.js';
import {resolveTargets} from './targets.js';
import {shutdownWaves} from './shutdown-order.js';
import {DependencyGate} from './policy/depends-on.js';
import {isGroupAlive, signalGroup, signalProcess, terminateGroup, type ProcessRef} from './process-group.js';
import {findMarkedProcesses, runIdVariable, type MarkedProcess} from './run-marker.js';
import {isSameProcess, readProcessEntry, readProcessTable} from './stats/process-table.js';

/** How long start() spawns before it lets the event loop run (keys, signals, a frame). */
const launchSliceMs = 30;

/** Launching it spawns its process now: it waits for no dependency and no cron time. */
function spawnsAtLaunch(instance: Instance): boolean {
  return Object.keys(instance.spec.dependsOn).length === 0 && instance.spec.cron === undefined;
}

export interface SupervisorOptions {
  /** Lines kept per instance (and in the merged view). */
  scrollback: number;
  /** 0 turns periodic stats off (headless without memory limits needs none). */
  statsIntervalMs: number;
  inheritedEnv: NodeJS.ProcessEnv;
  /**
   * This run's id (run-marker.ts), set last in every instance's environment:
   * recovery after a hard kill, and the end of a shutdown, find by it what
   * left both the process groups and every parent link.
   */
  runId?: string;
  clock?: Clock;
  /** How processes are started: execa's spawner (through LazySpawner) or a test's fake. */
  spawn: Spawner;
  /** What the processes read as stdin (SpawnRequest.stdin); default `pipe`, for the `i` key. */
  childStdin?: 'pipe' | 'ignore';
}

export class Supervisor implements SupervisorApi {
  private readonly events = new Emitter<SupervisorEvents>();
  private readonly instances: Instance[] = [];
  private readonly rings = new Map<InstanceId, LogRing>();
  private readonly unfinished = new UnfinishedLines();
  private readonly systemRing: LogRing;
  private readonly formation = new Map<string, number>();
  private readonly sampler = new StatsSampler();
  /** The scale in progress (see scale()). */
  private scaling: Promise<unknown> = Promise.resolve();
  /** Readiness checks' process groups while they run, for the state file. */
  readonly probeGroups = new ProbeGroups();
  private readonly clock: Clock;
  private readonly host: InstanceHost;
  private seq = 0;
  private lastTreeScanAt = 0;
  private isTreeScannedThisTurn = false;
  /** Ports listened on, asked before each spawn. */
  private readonly listeningPorts = new ListeningPorts();
  private statsTimer: NodeJS.Timeout | undefined;
  /** 0 while stats are off; `enableStats` turns them on later. */
  private statsIntervalMs: number;
  private statsEnabling: Promise<void> | undefined;
  /** The group leaders the last stats sample covered. */
  private sampledPids = new Set<number>();
  private shuttingDown: {force: boolean; done: Promise<void>} | null = null;
  /** Pids endMarkedStrays has named already. */
  private readonly namedStrays = new Set<number>();
  /** True while `start` launches everything: dependencies are judged once all have had their chance. */
  private isLaunching = false;
  private readonly gate = new DependencyGate({
    instances: () => this.instances,
    system: (message) => this.system(message),
    isHeld: () => this.isLaunching || this.shuttingDown !== null,
  });

  constructor(
    readonly stack: StackSpec,
    private readonly options: SupervisorOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.statsIntervalMs = options.statsIntervalMs;
    this.systemRing = new LogRing(options.scrollback);
    this.host = {
      clock: this.clock,
      spawn: options.spawn,
      probeSpawnerFor: (instance) => this.probeGroups.spawnerFor(instance.id, options.spawn),
      childStdin: options.childStdin ?? 'pipe',
      envFor: (instance) => ({...instanceEnv(stack, instance.spec, instance.index, options.inheritedEnv), ...(options.runId && {[runIdVariable]: options.runId})}),
      onState: (instance) => {
        // A run that ended uses no CPU, memory or port: its last sample must not show on until the next.
        if (!instance.isAlive) this.clearStats(instance);
        this.events.emit('state', instance.id, instance.state);
        this.gate.release();
      },
      onLine: (instance, stream, text, time, source, start) => this.storeLine(instance, stream, text, time, source, start),
      onUnfinished: (instance, stream, text) => {
        if (this.unfinished.set(instance.id, stream, text)) this.events.emit('unfinished', instance.id);
      },
      system: (message) => this.system(message),
      treeOf: (instance) => this.treeOf(instance),
      beforeSpawn: (instance) => this.warnIfPortTaken(instance),
      isShuttingDown: () => this.shuttingDown !== null,
      endStrays: (instance, sinceTicks) => this.endStrays(this.findMarkedStrays(sinceTicks).filter((stray) => stray.instance === instance.id), false),
      onReadyTimeout: () => this.gate.release(),
    };
    for (const spec of stack.processes) {
      this.formation.set(spec.name, spec.instances);
      for (let i = 1; i <= spec.instances; i++) this.addInstance(spec, i);
    }
  }

  /**
   * Starts the autostart processes (all, or only `names` when given); reports
   * types with 0 instances. A spawn blocks the event loop while the child is
   * forked (~10 ms, more on a loaded machine), so a big stack is launched
   * `launchSliceMs` at a time: 60 processes in one pass held it for a second
   * or more, the screen stale and Q or a second Ctrl-c unanswered.
   */
  start(): void {
    for (const spec of this.stack.processes) {
      if (spec.instances > 0) continue;
      // Taken as run elsewhere (`-m db=0`): its dependants do not wait for it, and are told so.
      const dependants = this.stack.processes.filter((other) => other.instances > 0 && spec.name in other.dependsOn).map((other) => other.name);
      const unwaited = dependants.length === 0 ? '' : `; ${dependants.join(', ')} ${dependants.length === 1 ? 'does' : 'do'} not wait for it`;
      this.system(`${spec.name} has 0 instances in the formation: not started${unwaited}`);
    }
    const queue = this.autostartInstances();
    this.isLaunching = true;
    const launchSome = (): void => {
      const sliceEnd = performance.now() + launchSliceMs;
      try {
        // Only a spawn costs time: one that waits for its dependencies, or for its cron time, is held at once.
        while (queue.length > 0 && this.shuttingDown === null && (performance.now() < sliceEnd || !spawnsAtLaunch(queue[0] as Instance))) {
          this.gate.launch(queue.shift() as Instance);
        }
      } finally {
        if (queue.length > 0 && this.shuttingDown === null) setImmediate(launchSome);
        else this.isLaunching = false;
      }
      // A shutdown that came between slices launches nothing more, and nothing waiting is released.
      if (this.isLaunching || this.shuttingDown !== null) return;
      this.gate.release();
      // enableStats may have started the loop already (a control client was quicker).
      if (this.statsIntervalMs > 0 && this.statsEnabling === undefined) this.scheduleStats();
    };
    launchSome();
  }

  /**
   * What `start()` will make of each instance, for a UI drawn before it is
   * called: `starting` for those it spawns at once, `waiting` for those with
   * `depends_on`. Not cron jobs: start() gives them a state of their own
   * (scheduled), or none at all (a pattern with no future run), and they
   * must not read `starting` for ever.
   */
  firstStatusesAtStart(): Map<InstanceId, FirstStatus> {
    const statuses = new Map<InstanceId, FirstStatus>();
    for (const instance of this.autostartInstances()) {
      if (spawnsAtLaunch(instance)) statuses.set(instance.id, 'starting');
      else if (instance.spec.cron === undefined) statuses.set(instance.id, 'waiting');
    }
    return statuses;
  }

  private autostartInstances(): Instance[] {
    return this.instances.filter((instance) => instance.spec.autostart);
  }

  snapshot(): StackSnapshot {
    const shutdown = this.shuttingDown
      ? {
          force: this.shuttingDown.force,
          waitingFor: this.instances.flatMap((instance) =>
            instance.state.status === 'stopping'
              ? [{id: instance.id, signal: instance.state.signal, killAt: instance.state.killAt}]
              : [],
          ),
        }
      : null;
    return {
      name: this.stack.name,
      root: this.stack.root,
      types: this.stack.processes.map((spec) => ({
        name: spec.name,
        instances: this.formation.get(spec.name) ?? 0,
        oneshot: spec.oneshot,
        autostart: spec.autostart,
        ...(spec.cron ? {cron: spec.cron} : {}),
      })),
      instances: this.instances.map((instance) => instance.snapshot()),
      shutdown,
      remote: false,
    };
  }

  on<E extends keyof SupervisorEvents>(event: E, listener: (...args: SupervisorEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  readLog(id: InstanceId | 'all', window: LogWindow, keep?: (line: LogLine) => boolean): readonly LogLine[] {
    if (id === 'all') {
      // Merged per read (one window per frame), not per line: each line is stored once.
      return mergeWindows([this.systemRing, ...this.rings.values()].map((ring) => ring.read(window, keep)), window);
    }
    if (id === 'system') return this.systemRing.read(window, keep);
    return this.rings.get(id)?.read(window, keep) ?? [];
  }

  unfinishedLines(id: InstanceId): readonly UnfinishedLine[] {
    return this.unfinished.of(id);
  }

  async dispatch(command: Command): Promise<Outcome> {
    switch (command.type) {
      case 'shutdown':
        void this.shutdown({force: command.force});
        return {ok: true, message: command.force ? 'killing every process group' : 'stopping the stack'};
      case 'scale':
        return this.scale(command.process, command);
      default:
        break;
    }
    if (this.shuttingDown) return {ok: false, message: 'the stack is shutting down'};
    const resolved = resolveTargets(command.target, this.instances);
    if (typeof resolved === 'string') return {ok: false, message: resolved};
    const outcomes = await Promise.all(resolved.map((instance) => this.apply(instance, command)));
    return {ok: outcomes.every((o) => o.ok), message: outcomes.map((o) => o.message).join('; ')};
  }

  /** Stops every instance (dependents first) and resolves when no process is left. */
  shutdown(options: {force?: boolean} = {}): Promise<void> {
    const force = options.force ?? false;
    if (this.shuttingDown && (this.shuttingDown.force || !force)) return this.shuttingDown.done;
    this.scanAllTrees();
    // Marked before the first stop: a waiting or scheduled instance stops synchronously, and
    // listeners of that state change must already see a shutdown (nothing new may start).
    const shuttingDown = {force, done: Promise.resolve()};
    this.shuttingDown = shuttingDown;
    if (this.instances.some((instance) => instance.isAlive)) {
      this.system(force ? 'force quit: killing every process group' : 'stopping every process');
    }
    shuttingDown.done = this.stopEverything(force);
    return shuttingDown.done;
  }

  private async stopEverything(force: boolean): Promise<void> {
    if (force) {
      await Promise.all(this.instances.map((instance) => instance.stop({force: true})));
    } else {
      for (const wave of shutdownWaves(this.stack.processes, this.instances)) {
        await Promise.all(wave.map((instance) => instance.stop()));
      }
    }
    await Promise.all(this.instances.map((instance) => instance.settled()));
    await this.endStrays(this.findMarkedStrays(), force);
    if (this.statsTimer) clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
    this.events.emit('stopped');
  }

  /**
   * Ends what is left of the run once every group is gone: a daemon that
   * double-forked, called setsid and closed its output (`--daemonize`) keeps
   * no group, parent link or pipe to us, only the run's id in its
   * environment. Named, then given its instance's stop signal and timeout
   * (SIGKILL at once on a force quit).
   */
  private async endStrays(strays: readonly MarkedProcess[], force: boolean): Promise<void> {
    await Promise.all(strays.map(async (stray) => {
      const spec = this.instances.find((instance) => instance.id === stray.instance)?.spec;
      // Named once: a force quit during a graceful shutdown ends the same strays again, with SIGKILL.
      if (!this.namedStrays.has(stray.pid)) {
        this.namedStrays.add(stray.pid);
        this.system(`${stray.instance ?? 'a process'}: ending pid ${stray.pid} (${stray.comm}), which it started and which left its process group and output`);
      }
      const policy = force ? {signal: 'SIGKILL' as const, timeoutMs: 0} : {signal: spec?.stopSignal ?? 'SIGTERM', timeoutMs: spec?.stopTimeoutMs ?? 5000};
      await terminateGroup({pgid: null, escapees: [{pid: stray.pid, startTime: stray.startTime}], ...policy});
    }));
  }

  /**
   * The live processes carrying this run's id (none without one) started at
   * or after `sinceTicks` (default: procdeck's own start); called once their
   * groups are gone.
   */
  private findMarkedStrays(sinceTicks?: number): MarkedProcess[] {
    const since = sinceTicks ?? readProcessEntry(process.pid)?.startTime;
    return this.options.runId === undefined || since === undefined ? [] : findMarkedProcesses(this.options.runId, readProcessTable(), since);
  }

  /**
   * Last resort when procdeck itself is exiting abnormally (an uncaught
   * error, a closed stdout): SIGKILL every group and known escapee now,
   * synchronously, so nothing outlives us.
   */
  killEverythingNow(): void {
    for (const instance of this.instances) {
      const pgid = instance.pid;
      if (pgid === null) continue;
      signalGroup(pgid, 'SIGKILL');
      for (const member of this.sampler.knownMembers(instance.id)) {
        if (isSameProcess(member.pid, member.startTime)) signalProcess(member.pid, 'SIGKILL');
      }
    }
    for (const stray of this.findMarkedStrays()) if (isSameProcess(stray.pid, stray.startTime)) signalProcess(stray.pid, 'SIGKILL');
  }

  /** Adds a procdeck message to the `system` log (and every listener's view). */
  system(message: string): void {
    const line: LogLine = {seq: ++this.seq, id: 'system', stream: 'system', text: message, time: this.clock.now()};
    this.systemRing.push(line);
    this.events.emit('log', line);
  }

  private apply(instance: Instance, command: Exclude<Command, {type: 'shutdown' | 'scale'}>): Promise<Outcome> | Outcome {
    switch (command.type) {
      case 'start':
        return instance.start();
      case 'stop':
        return instance.stop();
      case 'restart':
        return instance.restart();
      case 'signal':
        return instance.signal(command.signal);
      case 'input':
        return instance.input(command.text);
    }
  }

  /**
   * One scale at a time: a scale down waits for its instances to stop, and
   * one begun meanwhile must count from its result, or two `web.2` coexist
   * and one is forgotten while its process runs.
   */
  private scale(type: string, change: {by?: number; to?: number}): Promise<Outcome> {
    const outcome = this.scaling.then(() => this.scaleNow(type, change));
    this.scaling = outcome.catch(() => undefined);
    return outcome;
  }

  private async scaleNow(type: string, change: {by?: number; to?: number}): Promise<Outcome> {
    const spec = this.stack.processes.find((p) => p.name === type);
    if (!spec) {
      return {ok: false, message: `no process type ${JSON.stringify(type)} (known: ${this.stack.processes.map((p) => p.name).join(', ')})`};
    }
    if (this.shuttingDown) return {ok: false, message: 'the stack is shutting down'};
    const current = this.formation.get(type) ?? 0;
    const target = change.to ?? current + (change.by ?? 0);
    if (!Number.isInteger(target) || target < 0) return {ok: false, message: `cannot scale ${type} below 0 (it has ${current})`};
    if (target === current) return {ok: true, message: `${type} already has ${current} instance${current === 1 ? '' : 's'}`};
    const overflow = describePortOverflow(this.stack, [{...spec, instances: target}]);
    if (overflow) return {ok: false, message: `cannot scale ${type} to ${target}: ${overflow}`};
    this.formation.set(type, target);
    if (target > current) {
      // Said before the launches, so the log reads `web scaled from 1 to 2`, then `web.2 started`.
      const added: Instance[] = [];
      for (let i = current + 1; i <= target; i++) added.push(this.addInstance(spec, i));
      this.reportScale(type, current, target);
      for (const instance of added) this.gate.launch(instance);
      this.gate.release();
    } else {
      // Said once the removed instances are gone, after their `stopped` lines.
      const removed = this.instances.filter((instance) => instance.spec.name === type && instance.index > target);
      for (const instance of removed) instance.retire();
      await Promise.all(removed.map((instance) => instance.stop()));
      for (const instance of removed) this.removeInstance(instance);
      this.reportScale(type, current, target);
    }
    return {ok: true, message: `${type} scaled to ${target}`};
  }

  private reportScale(type: string, from: number, to: number): void {
    this.events.emit('formation');
    this.system(`${type} scaled from ${from} to ${to}`);
  }

  private addInstance(spec: ProcessSpec, index: number): Instance {
    const instance = new Instance(spec, index, instancePort(this.stack, spec, index), this.host);
    const at = this.instances.findIndex((other) => other.spec.index > spec.index || (other.spec.index === spec.index && other.index > index));
    this.instances.splice(at === -1 ? this.instances.length : at, 0, instance);
    // Scaled back up, an instance goes on in the log it had.
    if (!this.rings.has(instance.id)) this.rings.set(instance.id, new LogRing(this.options.scrollback));
    return instance;
  }

  private removeInstance(instance: Instance): void {
    this.instances.splice(this.instances.indexOf(instance), 1);
    // Its log stays, in `all` and for `procdeck logs`: what it printed (a crash's
    // message, say) is still worth reading. Rings are per id, so memory stays
    // bounded by the most instances the type ever had.
    this.unfinished.forget(instance.id);
    this.sampler.forget(instance.id);
  }

  private storeLine(instance: Instance, stream: 'stdout' | 'stderr', text: string, time: number, source: LineSource, start: number): void {
    const line: LogLine = {seq: ++this.seq, id: instance.id, stream, text, time};
    // Listeners (headless output, log files) get the whole line; the ring keeps its start.
    this.rings.get(instance.id)?.push(line, source, start);
    instance.lastSeq = line.seq;
    this.events.emit('log', line);
  }

  private treeOf(instance: Instance): {members: ProcessRef[]; escapees: ProcessRef[]} {
    const pgid = instance.pid;
    if (pgid === null) return {members: [], escapees: []};
    // A fresh look at the tree now, while parent links are still intact
    // (shutdown scans every tree at once, just before stopping them all).
    // Not when no process of the tree is left (the usual exit): a scan finds
    // descendants by parent links from live members, so it would find none,
    // and it reads all of /proc (~5-50 ms) on every exit of a short command.
    // Only the living, with their group as of now: the sampler forgets the
    // dead at its next tick (a crash loop faster than that would name an
    // earlier run's ended members as having left the group), and a member
    // seen before it called setsid has left the group since (ended unnamed
    // otherwise, as a member that moved).
    const living = (): TreeMember[] =>
      this.sampler
        .knownMembers(instance.id)
        .filter((member) => isSameProcess(member.pid, member.startTime))
        .map((member) => ({...member, pgid: readProcessEntry(member.pid)?.pgid ?? member.pgid}));
    let known = living();
    if ((isGroupAlive(pgid) || known.length > 0) && !this.isTreeScanFresh()) {
      this.sampler.scanTree([{id: instance.id, pid: pgid, pgid}]);
      this.noteTreeScan();
      known = living();
    }
    return {
      members: known.filter((member) => member.pgid === pgid),
      escapees: known.filter((member) => member.pgid !== pgid && member.pid !== pgid),
    };
  }

  /** One /proc scan for every live instance, so a shutdown does not scan once per instance. */
  private scanAllTrees(): void {
    const groups = this.liveGroups();
    if (groups.length === 0) return;
    this.sampler.scanTree(groups);
    this.noteTreeScan();
  }

  /**
   * A scan within the last 100 ms, or in this same turn however long it has
   * taken: stopping 60 instances in one pass after a shutdown's scan must
   * not scan again for each (on a loaded machine the pass outlasts 100 ms,
   * and every scan made the next ones later still).
   */
  private isTreeScanFresh(): boolean {
    return this.isTreeScannedThisTurn || this.clock.now() - this.lastTreeScanAt <= 100;
  }

  private noteTreeScan(): void {
    this.lastTreeScanAt = this.clock.now();
    if (this.isTreeScannedThisTurn) return;
    this.isTreeScannedThisTurn = true;
    queueMicrotask(() => (this.isTreeScannedThisTurn = false));
  }

  private warnIfPortTaken(instance: Instance): void {
    // Who holds a taken port is looked up only then.
    if (!this.listeningPorts.isListening(instance.port)) return;
    const holder = findPortHolder(instance.port);
    // No holder found: another user's process (its /proc/PID/fd is closed to us) has it all the same.
    const by = holder ? `by pid ${holder.pid} (${holder.command})` : '(by a process procdeck cannot see)';
    this.system(`${instance.id}: PORT ${instance.port} is already in use ${by}; starting it anyway`);
  }

  /**
   * Turns periodic stats on at `intervalMs` if they are off (a headless run
   * samples nothing until a control client asks for the table), resolving
   * after a first sample so the asker sees memory and ports at once.
   */
  enableStats(intervalMs: number): Promise<void> {
    if (this.statsEnabling === undefined) {
      if (this.statsIntervalMs > 0 || intervalMs <= 0 || this.shuttingDown) return Promise.resolve();
      this.statsIntervalMs = intervalMs;
      this.statsEnabling = this.sampleStats();
    } else if (this.liveGroups().some((group) => !this.sampledPids.has(group.pid))) {
      // A client that asked first, before start() spawned anything, would
      // otherwise read a sample with none of the processes for an interval.
      this.statsEnabling = this.statsEnabling.then(() => this.takeSample());
    }
    return this.statsEnabling;
  }

  private scheduleStats(): void {
    this.statsTimer = setTimeout(() => void this.sampleStats(), this.statsIntervalMs);
    this.statsTimer.unref();
  }

  /** Every instance with a live process: its leader is its group's id (spawned detached). */
  private liveGroups(): {id: InstanceId; pid: number; pgid: number}[] {
    return this.instances.flatMap((instance) => {
      const pid = instance.pid;
      return pid === null ? [] : [{id: instance.id, pid, pgid: pid}];
    });
  }

  private async sampleStats(): Promise<void> {
    try {
      await this.takeSample();
    } finally {
      if (this.statsTimer !== undefined || !this.shuttingDown) this.scheduleStats();
    }
  }

  private clearStats(instance: Instance): void {
    instance.cpuPercent = 0;
    instance.rssBytes = 0;
    instance.listenPorts = [];
  }

  /** One stats sample, applied to the instances and emitted. */
  private async takeSample(): Promise<void> {
    const groups = this.liveGroups();
    const sample = await this.sampler.sample(groups);
    this.sampledPids = new Set(groups.map((group) => group.pid));
    for (const instance of this.instances) {
      const stats = sample.instances[instance.id];
      instance.cpuPercent = stats?.cpuPercent ?? 0;
      instance.rssBytes = stats?.rssBytes ?? 0;
      instance.listenPorts = stats?.listenPorts ?? [];
      instance.paused = stats?.paused ?? false;
      if (stats) instance.observeMemory(stats.rssBytes);
    }
    this.events.emit('stats', sample);
  }
}
