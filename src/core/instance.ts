/**
 * One running copy of a process type (`web.1`) and its state machine. Only
 * `enter` changes the state; every timer is tied to the state that set it
 * through `epoch`, so a late timer after a state change does nothing, and
 * `enter` clears them (and ends a readiness check) so none outlives its state.
 * The policies (restart, readiness, cron, max_memory) live in `policy/`.
 */
import type {ExitInfo, InstanceId, InstanceSnapshot, InstanceState} from './api.js';
import {shellScript} from './shell-command.js';
import type {Outcome} from './commands.js';
import type {ProcessSpec} from '../config/spec.js';
import type {Clock} from './clock.js';
import type {ChildExit, ChildHandle, Spawner} from './spawn.js';
import {findPipeHolders} from './stats/pipe-holders.js';
import {LineSplitter, type LineSource} from './lines.js';
import {signalGroup, signalProcess, terminateGroup, type ProcessRef} from './process-group.js';
import {isSameProcess, readProcessEntry} from './stats/process-table.js';
import {describeExit, describeExitShort} from './describe-exit.js';
import {decideAfterExit, formatSeconds} from './policy/restart.js';
import {ReadinessWatch, describeReadyCheck} from './policy/readiness.js';
import {CronSchedule, formatClockTime} from './policy/cron.js';
import {MemoryLimit, describeMemoryStop} from './policy/max-memory.js';

/** What an instance needs from the supervisor that owns it. */
export interface InstanceHost {
  clock: Clock;
  spawn: Spawner;
  /** How this instance's `exec:` readiness checks are spawned (recorded while they run). */
  probeSpawnerFor(instance: Instance): Spawner;
  /** SpawnRequest.stdin for every run. */
  childStdin: 'pipe' | 'ignore';
  /** The full environment for this instance, computed when it starts. */
  envFor(instance: Instance): Record<string, string>;
  onState(instance: Instance): void;
  /** A line of output, and where it lies (LineSplitter). */
  onLine(instance: Instance, stream: 'stdout' | 'stderr', text: string, time: number, source: LineSource, start: number): void;
  /** The line a stream has begun but not ended ('' when there is none), after each chunk: mostly unchanged. */
  onUnfinished(instance: Instance, stream: 'stdout' | 'stderr', text: string): void;
  system(message: string): void;
  /** The instance's tree as last seen: group members, and descendants that left the group. */
  treeOf(instance: Instance): {members: ProcessRef[]; escapees: ProcessRef[]};
  /** Called before spawning: e.g. to warn that PORT is taken. */
  beforeSpawn(instance: Instance): void;
  /** True once a shutdown has begun: from then on nothing starts by itself (restart, cron, memory). */
  isShuttingDown(): boolean;
  /**
   * Ends what the instance's run started at or after `sinceTicks` (its
   * leader's start) and left behind with no group, parent link or output:
   * found by the run's id in their environment (run-marker.ts).
   */
  endStrays(instance: Instance, sinceTicks: number): Promise<void>;
  /** The readiness check timed out (the state stays `starting`): dependents may want to say why they wait. */
  onReadyTimeout(instance: Instance): void;
}

const aliveStatuses = new Set<InstanceState['status']>(['starting', 'running', 'stopping']);

export class Instance {
  state: InstanceState = {status: 'stopped'};
  restarts = 0;
  /** Crash restarts since the last run that stayed up long enough (backoff and max_restarts count these). */
  private consecutiveRestarts = 0;
  cpuPercent = 0;
  rssBytes = 0;
  listenPorts: number[] = [];
  /** From the stats: the group is stopped (SIGSTOP). Only a live run can be; any other state clears it. */
  paused = false;
  lastSeq = 0;
  /** This run's readiness check passed its timeout without success (it is still being tried). */
  isReadyOverdue = false;
  /** See retire(). */
  private isRetired = false;
  /** Calls of stop(): a restart that sees it change while it waits does not start the process again. */
  private stopsRequested = 0;
  /** Runs spawned so far: a restart that finds one spawned while it waited has had its effect. */
  private runsStarted = 0;
  private epoch = 0;
  /** Timers set in the current state; `enter` clears them so none holds the event loop after a stop. */
  private readonly timers = new Set<unknown>();
  /** The readiness check of the current run, while it is `starting`. */
  private readiness: ReadinessWatch | undefined;
  /** Present for `cron:` processes; armed from start until a user stop or shutdown. */
  private readonly schedule: CronSchedule | undefined;
  private readonly memoryLimit: MemoryLimit | undefined;
  private child: ChildHandle | null = null;
  /** Shows a line sent to the current run's stdin in its log, as a terminal's echo would. */
  private echoInput: ((text: string) => void) | null = null;
  /** Resolves when the current stop (or cleanup of a leftover group) has finished. */
  private settling: Promise<void> = Promise.resolve();

  /** `web.1`: built once, since every line of output is tagged with it. */
  readonly id: InstanceId;

  constructor(
    readonly spec: ProcessSpec,
    readonly index: number,
    readonly port: number,
    private readonly host: InstanceHost,
  ) {
    this.id = `${spec.name}.${index}`;
    if (spec.cron !== undefined) this.schedule = new CronSchedule(spec.cron, host.clock, (at) => this.onCronFire(at));
    if (spec.maxMemoryBytes !== undefined) this.memoryLimit = new MemoryLimit(spec.maxMemoryBytes);
  }

  get pid(): number | null {
    const s = this.state;
    return s.status === 'running' || s.status === 'starting' || s.status === 'stopping' ? s.pid : null;
  }

  get isAlive(): boolean {
    return aliveStatuses.has(this.state.status);
  }

  snapshot(): InstanceSnapshot {
    return {
      id: this.id,
      type: this.spec.name,
      index: this.index,
      state: this.state,
      pid: this.pid,
      port: this.port,
      cpuPercent: this.cpuPercent,
      rssBytes: this.rssBytes,
      listenPorts: this.listenPorts,
      paused: this.paused,
      restarts: this.restarts,
      lastSeq: this.lastSeq,
    };
  }

  /**
   * Starts the process unless it is already alive; a cron process gets its
   * schedule armed instead. While it is stopping, starts it once it has
   * stopped (`x` then `s` on a slow process).
   */
  start(): Outcome | Promise<Outcome> {
    if (this.isRetired) return this.refuseRetired();
    if (this.state.status === 'stopping') return this.startAfterStop();
    this.consecutiveRestarts = 0; // a start by hand begins a new crash loop: max_restarts and the backoff count again
    if (this.schedule) return this.armSchedule();
    return this.run();
  }

  /**
   * Holds the instance back until the types in `on` meet their `depends_on`
   * conditions; the supervisor decides when, and calls `start`.
   */
  wait(on: string[]): void {
    const s = this.state;
    if (s.status === 'waiting' && s.on.length === on.length && s.on.every((name, i) => name === on[i])) return;
    this.enter({status: 'waiting', on});
  }

  /**
   * Records one stats sample's tree RSS; over `max_memory` on consecutive
   * samples, stops the instance and restarts it as the policy would a crash
   * (backoff, max_restarts): a process that is over its limit from the start
   * must not be restarted every two seconds for ever.
   */
  observeMemory(rssBytes: number): void {
    const limit = this.memoryLimit;
    const s = this.state;
    if (!limit || (s.status !== 'running' && s.status !== 'starting')) return;
    if (!limit.observe(rssBytes) || this.host.isShuttingDown()) return;
    limit.reset();
    this.host.system(describeMemoryStop(this.id, rssBytes, limit.limitBytes));
    const since = s.since;
    void this.stop().then(() => {
      // Stopped as asked, and nobody started it or began a shutdown meanwhile.
      const stopped = this.state;
      if (stopped.status !== 'stopped' || !stopped.exit || this.host.isShuttingDown()) return;
      // A cron job's run ended early; as after a crash, its schedule goes on (stop() cancelled it).
      if (this.schedule) this.armSchedule();
      else this.decideAfterRun(stopped.exit, since, 'max_memory');
    });
  }

  /**
   * Scaled away: it is being stopped to be removed, so nothing may start it
   * again (a restart, a crash restart, a cron run), or its process would
   * outlive its place in the stack.
   */
  retire(): void {
    this.isRetired = true;
  }

  private refuseRetired(): Outcome {
    return {ok: false, message: `${this.id} is being removed (scaled down)`};
  }

  private async startAfterStop(): Promise<Outcome> {
    const runsBefore = this.runsStarted;
    await this.settling;
    if (this.host.isShuttingDown()) return {ok: false, message: `${this.id}: the stack is shutting down`};
    if (this.runsStarted !== runsBefore && this.isAlive) return {ok: true, message: `${this.id} started (pid ${this.pid})`};
    return this.start();
  }

  /** Spawns one run of the command. */
  private run(): Outcome {
    if (this.isRetired) return this.refuseRetired();
    if (this.isAlive) return {ok: false, message: `${this.id} is already running (pid ${this.pid})`};
    this.runsStarted += 1;
    this.host.beforeSpawn(this);
    const env = this.host.envFor(this);
    // One clock reading per chunk, not per line: a chunk's lines arrived together.
    let chunkTime = 0;
    // While echoing the user's input (echoInput below): a `log:` readiness pattern is about the process's output, not what was typed.
    let isEchoing = false;
    const onLine = (stream: 'stdout' | 'stderr', text: string, source: LineSource, start: number) => {
      this.host.onLine(this, stream, text, chunkTime, source, start);
      if (!isEchoing) this.readiness?.observeLine(text);
    };
    const splitters = {
      stdout: new LineSplitter((text, source, start) => onLine('stdout', text, source, start)),
      stderr: new LineSplitter((text, source, start) => onLine('stderr', text, source, start)),
    };
    // A prompt or progress bar shows before its newline comes (the host passes on changes only).
    const reportUnfinished = (stream: 'stdout' | 'stderr') => this.host.onUnfinished(this, stream, splitters[stream].unfinished());
    // The previous run's, if its pipes outlived it.
    this.host.onUnfinished(this, 'stdout', '');
    this.host.onUnfinished(this, 'stderr', '');
    const child = this.host.spawn(
      {command: shellScript(this.spec.command, this.spec.stopSignal), cwd: this.spec.cwd, env, stdin: this.host.childStdin},
      {
        onData: (stream, chunk) => {
          chunkTime = this.host.clock.now();
          splitters[stream].push(chunk);
          reportUnfinished(stream);
        },
        onStreamsEnd: () => {
          chunkTime = this.host.clock.now();
          splitters.stdout.end();
          splitters.stderr.end();
          reportUnfinished('stdout');
          reportUnfinished('stderr');
        },
      },
    );
    this.child = child;
    // Pipes do not echo: what the user sends goes where a terminal would show
    // it, after the prompt it answers (the stream with a line begun), so the
    // log reads `Name? bob`, then the process's answer.
    this.echoInput = (text) => {
      const stream = splitters.stdout.unfinished() === '' && splitters.stderr.unfinished() !== '' ? 'stderr' : 'stdout';
      chunkTime = this.host.clock.now();
      isEchoing = true;
      try {
        splitters[stream].push(`${text}\n`);
      } finally {
        isEchoing = false;
      }
      reportUnfinished(stream);
    };
    if (child.pid === null) {
      void child.exited.then((exit) => {
        this.host.system(`${this.id} could not start: ${exit.error ?? 'spawn failed'}`);
        this.enter({status: 'exited', exit: {code: 127, signal: null}});
      });
      return {ok: false, message: `${this.id} could not start`};
    }
    const pid = child.pid;
    const since = this.host.clock.now();
    this.memoryLimit?.reset();
    this.isReadyOverdue = false;
    // Said before the state changes: that releases what depends on it, whose own lines must come after.
    this.host.system(`${this.id} started (pid ${pid})`);
    this.enter({status: this.spec.ready ? 'starting' : 'running', pid, since});
    if (this.spec.ready) this.watchReadiness(pid, since, env);
    void child.exited.then((exit) => this.onExit(child, pid, exit));
    return {ok: true, message: `${this.id} started (pid ${pid})`};
  }

  /** `starting` until the `ready:` check passes; a timeout is reported once and checking goes on. */
  private watchReadiness(pid: number, since: number, env: Record<string, string>): void {
    const ready = this.spec.ready;
    if (!ready) return;
    const watch = new ReadinessWatch(
      ready,
      {port: this.port, cwd: this.spec.cwd, env, spawn: this.host.probeSpawnerFor(this), clock: this.host.clock},
      {
        onReady: (elapsedMs) => {
          if (this.state.status !== 'starting') return;
          this.host.system(`${this.id} ready after ${formatSeconds(elapsedMs)}`);
          this.enter({status: 'running', pid, since});
        },
        onTimeout: (elapsedMs) => {
          this.isReadyOverdue = true;
          this.host.system(`${this.id} not ready after ${formatSeconds(elapsedMs)} (${describeReadyCheck(ready.check, this.port)})`);
          this.host.onReadyTimeout(this);
        },
      },
    );
    this.readiness = watch;
    watch.start();
  }

  /** Cron `start`: arms the schedule and waits for the next run time. */
  private armSchedule(): Outcome {
    const schedule = this.schedule;
    if (!schedule) return this.run();
    if (this.isAlive) return {ok: false, message: `${this.id} is already running (pid ${this.pid})`};
    if (this.state.status === 'scheduled' && schedule.armed) {
      return {ok: false, message: `${this.id} is already scheduled (${describeNextRun(schedule.nextRunAt)}); restart runs it now`};
    }
    const nextRunAt = schedule.arm();
    const previous = this.state;
    if (nextRunAt === null) {
      schedule.cancel();
      this.host.system(`${this.id}: cron "${schedule.pattern}" has no future run; not scheduled`);
      return {ok: false, message: `${this.id}: cron "${schedule.pattern}" has no future run`};
    }
    this.enter({status: 'scheduled', nextRunAt, ...('exit' in previous && previous.exit ? {exit: previous.exit} : {})});
    this.host.system(`${this.id} scheduled (cron "${schedule.pattern}"): ${describeNextRun(nextRunAt)}`);
    return {ok: true, message: `${this.id} scheduled: ${describeNextRun(nextRunAt)}`};
  }

  /** A run time has come: run now, unless the previous run is still going. */
  private onCronFire(scheduledAt: number): void {
    if (this.host.isShuttingDown()) return;
    if (this.isAlive || this.state.status === 'restarting') {
      const pid = this.pid;
      this.host.system(`${this.id}: skipped the ${formatClockTime(scheduledAt)} run: the previous run is still going${pid === null ? '' : ` (pid ${pid})`}`);
      return;
    }
    this.run();
  }

  /**
   * Stops gracefully: the stop signal to the group, SIGKILL after the stop
   * timeout, and resolves once the group and its escapees are all gone.
   */
  async stop(options: {force?: boolean} = {}): Promise<Outcome> {
    this.stopsRequested += 1;
    return this.halt(options);
  }

  /** stop() without counting as a request: a restart's own stop. */
  private async halt(options: {force?: boolean} = {}): Promise<Outcome> {
    // A user stop or shutdown also ends a cron schedule: nothing runs again until started.
    this.schedule?.cancel();
    const s = this.state;
    if (s.status === 'stopping') {
      // A force quit while a stop is under way hurries that stop along; its end is reported once, by it.
      if (options.force && s.pid !== null && s.signal !== 'SIGKILL') {
        this.enter({...s, signal: 'SIGKILL', killAt: this.host.clock.now()});
        signalGroup(s.pid, 'SIGKILL');
        for (const ref of this.host.treeOf(this).escapees) if (isSameProcess(ref.pid, ref.startTime)) signalProcess(ref.pid, 'SIGKILL');
      }
      await this.settling;
      return {ok: true, message: `${this.id} stopped`};
    }
    if (s.status !== 'running' && s.status !== 'starting') {
      // Not running, but a pending restart or schedule must not fire later.
      if (s.status === 'restarting' || s.status === 'scheduled' || s.status === 'waiting') {
        this.enter({status: 'stopped', exit: 'exit' in s ? s.exit : undefined});
        return {ok: true, message: `${this.id} stopped`};
      }
      await this.settling;
      return {ok: false, message: `${this.id}: no such process is running`};
    }
    const signal = options.force ? 'SIGKILL' : this.spec.stopSignal;
    const now = this.host.clock.now();
    const pid = s.pid;
    const child = this.child;
    // Read while the leader lives: what its run started later may outlive the group (a --daemonize child).
    const runStart = this.host.isShuttingDown() ? undefined : readProcessEntry(pid)?.startTime;
    this.enter({status: 'stopping', pid, since: now, signal, killAt: now + (options.force ? 0 : this.spec.stopTimeoutMs)});
    this.settling = this.killTree(pid, signal).then(async (escalated) => {
      const exit = child ? await child.exited : undefined;
      // (A force quit sends SIGKILL first: no timeout passed, and `stopped (SIGKILL)` below says it all.)
      if (escalated && signal !== 'SIGKILL') {
        // The leader may have obeyed while something else in its group did not: say which, or the next line contradicts it.
        const who = exit && exit.signal !== 'SIGKILL' ? `${this.id}: the rest of its process group` : this.id;
        this.host.system(`${who} did not stop within ${this.spec.stopTimeoutMs / 1000}s: killed with SIGKILL`);
      }
      if (child && exit?.isOutputHeld) await this.endOutputHolders(child, pid);
      // A stop by hand (x, r, a scale down): ended now, not at quit; the shutdown sweeps everything once at its end.
      if (runStart !== undefined) await this.host.endStrays(this, runStart);
      // As foreman does: the log says each process is gone, and how.
      this.host.system(`${this.id} stopped${exit ? ` (${describeExitShort(exit)})` : ''}`);
      this.enter({status: 'stopped', exit: exit && {code: exit.code, signal: exit.signal}});
    });
    await this.settling;
    return {ok: true, message: `${this.id} stopped`};
  }

  /** Restart: stop if alive, then start. A cron process runs now and stays on its schedule. */
  async restart(): Promise<Outcome> {
    if (this.isRetired) return this.refuseRetired();
    this.consecutiveRestarts = 0; // as for start(): a failed process given another go gets its restarts back
    const stopsBefore = this.stopsRequested;
    const runsBefore = this.runsStarted;
    // Never run yet (autostart: false): this is its first start, not a restart, and is not counted as one.
    const isFirstRun = runsBefore === 0;
    if (this.isAlive) await this.halt();
    else await this.settling;
    // A shutdown that began while this one was stopping has stopped it for good.
    if (this.host.isShuttingDown()) return {ok: false, message: `${this.id}: the stack is shutting down`};
    // So has a stop asked for meanwhile (x while a slow process was going down for the restart).
    if (this.stopsRequested !== stopsBefore) return {ok: false, message: `${this.id} was stopped before it could restart`};
    // Another restart (or a start) asked for while this one waited has run it anew: one restart for both.
    if (this.runsStarted !== runsBefore && this.isAlive) return {ok: true, message: `${this.id} restarted (pid ${this.pid})`};
    this.schedule?.arm();
    // Counted before the run: its state change carries the snapshot an attached UI gets.
    const isCounted = !isFirstRun && !this.schedule;
    if (isCounted) this.restarts += 1;
    const outcome = this.run();
    if (!outcome.ok) {
      if (isCounted) this.restarts -= 1;
      return outcome;
    }
    if (this.schedule) return {ok: true, message: `${this.id} running now (pid ${this.pid})`};
    if (isFirstRun) return {ok: true, message: `${this.id} started (pid ${this.pid})`};
    return {ok: true, message: `${this.id} restarted (pid ${this.pid})`};
  }

  signal(signal: NodeJS.Signals): Outcome {
    const pid = this.pid;
    if (pid === null) return {ok: false, message: `${this.id}: no such process is running`};
    if (!signalGroup(pid, signal)) return {ok: false, message: `${this.id}: process group ${pid} is gone`};
    this.host.system(`${this.id} sent ${signal} (pid ${pid})`);
    return {ok: true, message: `${signal} sent to ${this.id} (pid ${pid})`};
  }

  input(text: string): Outcome {
    if (!this.child || !this.isAlive || !this.child.write(`${text}\n`)) {
      return {ok: false, message: `${this.id}: stdin is not open`};
    }
    this.echoInput?.(text);
    return {ok: true, message: `sent to ${this.id}`};
  }

  /** Resolves when no process of this instance is left (after a stop or a crash cleanup). */
  settled(): Promise<void> {
    return this.settling;
  }

  /** Signals the group and its escapees; resolves (true if SIGKILL was needed) once all are gone. */
  private async killTree(pgid: number, signal: NodeJS.Signals): Promise<boolean> {
    const {members, escapees} = this.host.treeOf(this);
    for (const ref of escapees) this.host.system(`${this.id}: ending pid ${ref.pid}, which left the process group`);
    const timeoutMs = signal === 'SIGKILL' ? 0 : this.spec.stopTimeoutMs;
    const {escalated} = await terminateGroup({pgid, signal, timeoutMs, members, escapees});
    return escalated;
  }

  /**
   * Ends what still holds this run's output once its group is gone: a child
   * that daemonized (a double fork, setsid) and so left both the group and
   * every parent link. Named, as escapees are; then the pipes are let go,
   * or procdeck would wait for their end for ever.
   */
  private async endOutputHolders(child: ChildHandle, pgid: number): Promise<void> {
    const ends = child.outputEnds;
    const holders = findPipeHolders(ends.links).filter((holder) => ends.startedSince === undefined || holder.startTime >= ends.startedSince);
    for (const holder of holders) {
      this.host.system(`${this.id}: ending pid ${holder.pid} (${holder.comm}), which still held its output after it exited`);
    }
    if (holders.length > 0) {
      await terminateGroup({pgid, signal: this.spec.stopSignal, timeoutMs: this.spec.stopTimeoutMs, escapees: holders});
    } else if (child.isOutputOpen() && !(await outputClosesWithin(child, outputCloseGraceMs))) {
      // Its command exited before its output could be traced (within a millisecond or two of the spawn).
      this.host.system(`${this.id}: warning: a process it started still holds its output, and procdeck cannot tell which; it may still be running`);
    }
    child.closeOutput();
  }

  private onExit(child: ChildHandle, pid: number, childExit: ChildExit): void {
    if (child !== this.child) return; // an earlier run's late exit
    if (this.state.status === 'stopping') return; // stop() reports it
    const exit: ExitInfo = {code: childExit.code, signal: childExit.signal};
    const since = this.state.status === 'running' || this.state.status === 'starting' ? this.state.since : this.host.clock.now();
    this.host.system(`${this.id} ${describeExit(exit)}`);
    // The leader is gone but its children may not be: end them, we never leave orphans.
    this.settling = this.killTree(pid, this.spec.stopSignal).then(() => (childExit.isOutputHeld ? this.endOutputHolders(child, pid) : undefined));
    if (this.schedule?.armed) {
      // A cron job's retry is its next run: the restart policy does not apply between runs.
      this.enter({status: 'scheduled', nextRunAt: this.schedule.nextRunAt, exit});
      return;
    }
    this.decideAfterRun(exit, since, 'exit');
  }

  /** The restart policy's decision on a run that ended (`since`: when it began), acted on. */
  private decideAfterRun(exit: ExitInfo, since: number, cause: 'exit' | 'max_memory'): void {
    // Shutting down, nothing is restarted: saying "restarting in 0.1s" would not be true.
    if (this.host.isShuttingDown()) {
      this.enter({status: 'exited', exit});
      return;
    }
    const decision = decideAfterExit(this.spec, exit, {
      consecutiveRestarts: this.consecutiveRestarts,
      uptimeMs: this.host.clock.now() - since,
      now: this.host.clock.now(),
    }, cause);
    this.consecutiveRestarts = decision.consecutiveRestarts;
    // Said before the state changes: a state can end the run (--abort-on-exit), and
    // the reason must come before its "stopping every process".
    if (decision.kind === 'restart') {
      this.host.system(`${this.id} restarting in ${formatSeconds(decision.delayMs)} (${decision.reason})`);
    } else if (decision.kind === 'give-up') {
      this.host.system(`${this.id} failed: ${decision.reason}`);
    }
    this.enter(decision.state);
    if (decision.kind === 'restart') this.after(decision.delayMs, () => void this.settling.then(() => this.restartAfterCrash()));
  }

  private restartAfterCrash(): void {
    if (this.state.status !== 'restarting') return; // stopped meanwhile
    if (this.host.isShuttingDown()) return; // shutdown stops it; a restart now would only be killed again
    this.restarts += 1;
    this.run();
  }

  private enter(next: InstanceState): void {
    this.state = next;
    // `running` may follow `starting` in the same run; every other state is a new run or none.
    if (next.status !== 'running') this.paused = false;
    this.epoch += 1; // invalidates every timer set in the previous state
    // Clear them too: a 30s backoff or a 60s readiness timeout must not keep procdeck alive after a stop.
    for (const handle of this.timers) this.host.clock.clearTimeout(handle);
    this.timers.clear();
    this.readiness?.cancel();
    this.readiness = undefined;
    this.host.onState(this);
  }

  /** Runs `callback` after `ms` unless the state has changed meanwhile. */
  protected after(ms: number, callback: () => void): void {
    const epoch = this.epoch;
    const handle = this.host.clock.setTimeout(() => {
      this.timers.delete(handle);
      if (epoch === this.epoch) callback();
    }, ms);
    this.timers.add(handle);
  }
}

/** `next run at 14:03:05`. */
function describeNextRun(nextRunAt: number | null): string {
  return nextRunAt === null ? 'no next run' : `next run at ${formatClockTime(nextRunAt)}`;
}

/**
 * How long output found open, with nobody left holding it, may take to be
 * seen closed: its last holder (a server draining on SIGTERM under npm) can
 * exit just before the /proc scan, with the pipe's end not yet read here.
 */
const outputCloseGraceMs = 300;

/** Resolves true once `child`'s output is closed, false if still open after `ms`. */
async function outputClosesWithin(child: ChildHandle, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (child.isOutputOpen()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
