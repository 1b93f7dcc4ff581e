/**
 * Everything a running `procdeck start` keeps beside the engine: the control
 * socket, the state file for orphan recovery, and the log files. `start`
 * opens one session and closes it when the stack has stopped.
 */
import type {StackSpec} from '../config/spec.js';
import type {Supervisor} from '../core/supervisor.js';
import {UsageError} from '../config/errors.js';
import {LogFileWriter} from '../output/log-files.js';
import {probeServer} from './connection.js';
import {ensurePrivateDir, type ProjectPaths} from './paths.js';
import {AlreadyRunningError, ControlServer} from './server.js';
import {recoverOrphans} from './recovery.js';
import {readLiveOwnerPid, StateFileRecorder} from './state-file.js';

export interface ControlSessionOptions {
  supervisor: Supervisor;
  stack: StackSpec;
  paths: ProjectPaths;
  scrollback: number;
  /** Stats interval for when a client asks for numbers and stats are off (headless). */
  statsIntervalMs: number;
  /** Write per-instance log files here (none when undefined). */
  logDir?: string;
  logMaxBytes: number;
  /** The run's id, which the supervisor sets in every instance's environment (run-marker.ts). */
  runId: string;
  /** Hears what recovery ends, as it goes (besides the system log, which gets it too). */
  reportRecovery?: (message: string) => void;
}

/**
 * Throws a UsageError (exit 2) saying where it runs when a procdeck already
 * serves this project: its socket answers, or the procdeck that wrote the
 * state file is still alive.
 */
export async function ensureNotRunning(paths: ProjectPaths): Promise<void> {
  const hello = await probeServer(paths.socket);
  if (hello !== null) {
    const pid = hello === 'unknown' ? '' : ` as pid ${hello.pid}`;
    throw new UsageError(`${paths.projectDir}: procdeck is already running here${pid} (control socket ${paths.socket}); use procdeck status, attach or quit`);
  }
  const ownerPid = readLiveOwnerPid(paths.stateFile);
  if (ownerPid !== undefined) {
    throw new UsageError(`${paths.projectDir}: procdeck is already running here as pid ${ownerPid} (its control socket ${paths.socket} is missing); stop it with kill ${ownerPid}`);
  }
}

/** Ends what a hard-killed procdeck left behind, saying what it ends as it goes (see recoverOrphans). */
export async function recoverLeftovers(paths: ProjectPaths, report: (message: string) => void): Promise<void> {
  ensurePrivateDir(paths.runtimeDir);
  const {liveOwnerPid} = await recoverOrphans(paths.stateFile, report);
  if (liveOwnerPid !== undefined) {
    throw new UsageError(`${paths.projectDir}: procdeck is already running here as pid ${liveOwnerPid}`);
  }
}

/** How often a running stack checks that its socket and state file are still there. */
const presenceCheckMs = 1000;

export class ControlSession {
  private readonly presenceTimer: NodeJS.Timeout;

  private constructor(
    private readonly server: ControlServer,
    private readonly recorder: StateFileRecorder,
    private readonly logs: LogFileWriter | undefined,
  ) {
    // Two stat calls a second. Without them a wiped runtime directory left the stack unreachable,
    // and the next start in the project ran a second stack beside it.
    let checking: Promise<void> | undefined;
    this.presenceTimer = setInterval(() => {
      checking ??= this.ensurePresent().finally(() => (checking = undefined));
    }, presenceCheckMs);
    this.presenceTimer.unref();
  }

  private async ensurePresent(): Promise<void> {
    try {
      await this.server.ensureBound();
      this.recorder.ensurePresent();
    } catch {
      // The directory cannot be made again now (a file in its way): the next check tries again.
    }
  }

  static async open(options: ControlSessionOptions): Promise<ControlSession> {
    const {supervisor, paths} = options;
    const logs = options.logDir === undefined
      ? undefined
      : new LogFileWriter(supervisor, {dir: options.logDir, maxBytes: options.logMaxBytes, report: (message) => supervisor.system(message)});
    let server: ControlServer;
    try {
      // With the log files open, so system.log has it too; before the socket
      // and state file are ours, so a live owner is refused before either is touched.
      await recoverLeftovers(paths, (message) => {
        supervisor.system(message);
        options.reportRecovery?.(message);
      });
      server = await ControlServer.listen({
        api: supervisor,
        socketPath: paths.socket,
        scrollback: options.scrollback,
        statsIntervalMs: options.statsIntervalMs,
        beforeRead: () => supervisor.enableStats(options.statsIntervalMs),
        hello: {pid: process.pid, projectDir: paths.projectDir, name: options.stack.name},
      });
    } catch (error) {
      logs?.close();
      if (error instanceof AlreadyRunningError) throw new UsageError(`${paths.projectDir}: ${error.message}`);
      throw error;
    }
    const recorder = new StateFileRecorder(supervisor, paths.stateFile, options.stack, paths.projectDir, options.runId, supervisor.probeGroups);
    return new ControlSession(server, recorder, logs);
  }

  /**
   * Flushes the log files and closes the socket. The state file is removed
   * only when `isStopped` (every group ended); otherwise it stays for the
   * next start to clean up.
   */
  async close(isStopped: boolean): Promise<void> {
    clearInterval(this.presenceTimer);
    this.logs?.close();
    await this.server.close();
    if (isStopped) this.recorder.close();
  }
}
