/**
 * The one seam between the engine and its faces. In-process it is the
 * Supervisor; in `procdeck attach` it is a socket client. Neither the TUI nor
 * the headless printer can tell which one it was given.
 */
import type {Command, Outcome} from './commands.js';

/** `web.1`: the type name, a dot, the 1-based instance number. */
export type InstanceId = string;

/** The state `start()` gives an instance it launches: spawned at once, or held for its `depends_on`. */
export type FirstStatus = 'starting' | 'waiting';

/** How a process ended. `code` is null when a signal ended it. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The closed set of states an instance can be in. */
export type InstanceState =
  /** Never started, or stopped by the user or by shutdown. */
  | {status: 'stopped'; exit?: ExitInfo}
  /** Held back until its `depends_on` conditions hold. */
  | {status: 'waiting'; on: string[]}
  /** Running, but its readiness check has not passed yet. */
  | {status: 'starting'; pid: number; since: number}
  | {status: 'running'; pid: number; since: number}
  /** Stop signal sent; SIGKILL to the group follows at `killAt`. */
  | {status: 'stopping'; pid: number | null; since: number; signal: NodeJS.Signals; killAt: number}
  /** Ended on its own (code 0, non-zero, or a signal nobody sent through procdeck). */
  | {status: 'exited'; exit: ExitInfo}
  /** A one-shot process that exited 0. */
  | {status: 'completed'; exit: ExitInfo}
  /** Crashed; the restart policy starts it again at `at`. */
  | {status: 'restarting'; exit: ExitInfo; at: number}
  /** Crashed more than `max_restarts` times; no more restarts. */
  | {status: 'failed'; exit: ExitInfo}
  /** A cron process between runs. */
  | {status: 'scheduled'; nextRunAt: number | null; exit?: ExitInfo};

export type InstanceStatus = InstanceState['status'];

/** A line of output. `seq` is global across the stack, so merged views sort by it. */
export interface LogLine {
  seq: number;
  /** `web.1`, or `system` for procdeck's own messages. */
  id: InstanceId;
  stream: 'stdout' | 'stderr' | 'system';
  text: string;
  /** Milliseconds since the epoch when the line was complete. */
  time: number;
  /** The line was longer than the scrollback keeps; `text` is its start. */
  cut?: boolean;
}

export interface InstanceSnapshot {
  id: InstanceId;
  type: string;
  /** 1-based instance number. */
  index: number;
  state: InstanceState;
  pid: number | null;
  /** The PORT it was given. */
  port: number;
  cpuPercent: number;
  /** RSS of the whole process tree. */
  rssBytes: number;
  /** TCP ports the tree listens on. */
  listenPorts: number[];
  /** Every process of its group is stopped (SIGSTOP, SIGTSTP) as of the last stats sample. */
  paused: boolean;
  restarts: number;
  /** Seq of the newest line in its scrollback, or 0. */
  lastSeq: number;
}

export interface ShutdownProgress {
  force: boolean;
  /** Instances still alive, with the signal sent and when SIGKILL follows. */
  waitingFor: {id: InstanceId; signal: NodeJS.Signals; killAt: number}[];
}

export interface StackSnapshot {
  name: string;
  root: string;
  /** Process types in Procfile order, with their current formation. */
  types: {name: string; instances: number; cron?: string; oneshot: boolean; autostart: boolean}[];
  instances: InstanceSnapshot[];
  shutdown: ShutdownProgress | null;
  /** True when this API talks to a daemon over a socket (`procdeck attach`). */
  remote: boolean;
}

export interface StatsSample {
  time: number;
  instances: Record<InstanceId, InstanceStats>;
}

export interface InstanceStats {
  /** Of one core, summed over the tree. */
  cpuPercent: number;
  rssBytes: number;
  listenPorts: number[];
  /** Every process of the instance's group is stopped (state T: SIGSTOP, SIGTSTP). */
  paused: boolean;
}

export type SupervisorEvents = {
  state: [id: InstanceId, state: InstanceState];
  /** A line was stored (the object is the stored one; do not mutate it). */
  log: [line: LogLine];
  /** An instance's unfinished lines changed (see `SupervisorApi.unfinishedLines`). */
  unfinished: [id: InstanceId];
  stats: [sample: StatsSample];
  /** Instances were added or removed (scale). */
  formation: [];
  /** Every process has ended after a shutdown; the engine is idle. */
  stopped: [];
};

export interface UnfinishedLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface LogWindow {
  /** Lines with a smaller seq than this (default: up to the newest). */
  beforeSeq?: number;
  /** Lines with a larger seq than this. */
  afterSeq?: number;
  /** At most this many, the newest of the window when `afterSeq` is absent. */
  limit: number;
}

export interface SupervisorApi {
  snapshot(): StackSnapshot;
  dispatch(command: Command): Promise<Outcome>;
  /**
   * Lines of one instance, of `system`, or of `all` (every instance and
   * system merged), oldest first; `keep` leaves lines out without costing
   * the window its size (a UI's cleared lines).
   */
  readLog(id: InstanceId | 'all', window: LogWindow, keep?: (line: LogLine) => boolean): readonly LogLine[];
  /**
   * What an instance has begun printing on each stream but not yet ended
   * with a newline: a prompt waiting for input, a progress bar. Not stored;
   * it becomes a line of the log when it ends (or the process does).
   */
  unfinishedLines(id: InstanceId): readonly UnfinishedLine[];
  on<E extends keyof SupervisorEvents>(event: E, listener: (...args: SupervisorEvents[E]) => void): () => void;
}
