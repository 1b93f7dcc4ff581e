/** `procdeck [start] [NAME...]`: runs the stack in the terminal UI or headless. */
import path from 'node:path';
import type {Command} from 'commander';
import {loadStack, selectProcesses} from '../config/load.js';
import {parseDuration, parseSize} from '../config/durations.js';
import {UsageError} from '../config/errors.js';
import {Supervisor} from '../core/supervisor.js';
import {LazySpawner} from '../core/lazy-spawn.js';
import {ExitTracker} from '../core/exit-tracker.js';
import {PrefixedPrinter} from '../output/prefixed.js';
import {HoldableSpawner, heldOutputWriter} from '../output/held-output.js';
import {makeWritableDirectory} from '../output/make-directory.js';
import {shouldColor} from '../output/colors.js';
import {addStackOptions, parseIntegerFlag, type StackOptions} from './stack-options.js';
import {toLoadOptions} from './load-options.js';
import {ensurePrivateDir, projectDirFor, projectPaths, stateDirPurpose, type ProjectPaths} from '../control/paths.js';
import {ControlSession, ensureNotRunning, recoverLeftovers} from '../control/session.js';
import {spawnDaemon, takeDaemonChildMarker} from '../control/daemon.js';
import {newRunId} from '../core/run-marker.js';

interface StartOptions extends StackOptions {
  tui: boolean;
  abortOnExit?: boolean;
  exitCodeFrom?: string;
  scrollback: string;
  statsInterval: string;
  daemon?: boolean;
  logDir?: string;
  logMaxSize: string;
}

export function registerStart(program: Command): void {
  addStackOptions(
    program
      .command('start', {isDefault: true})
      .description('start the stack (all processes, or only the NAMEs given)')
      .argument('[names...]', 'process types to start (default: all)'),
  )
    .option('--no-tui', 'print prefixed log lines instead of the terminal UI')
    .option('--abort-on-exit', 'stop everything when any process ends, exit with its code')
    .option('--exit-code-from <name>', 'stop everything when NAME ends, exit with its code')
    .option('--scrollback <lines>', 'log lines kept per process', '10000')
    .option('--stats-interval <duration>', 'how often CPU and memory are sampled', '1s')
    .option('-D, --daemon', 'run in the background (no UI, logs to files); print its pid, socket and log directory')
    .option('--log-dir <dir>', 'write each instance\'s output to DIR/NAME.N.log (daemon default: $XDG_STATE_HOME/procdeck/<hash>/logs)')
    .option('--log-max-size <size>', 'rotate a log file at this size, keeping 3 old ones', '10MB')
    .action(async (names: string[], options: StartOptions) => {
      process.exitCode = await runStart(names, options, program.commands.map((command) => command.name()));
    });
}

async function runStart(names: string[], options: StartOptions, commandNames: string[]): Promise<number> {
  const isTerminal = Boolean(process.stdout.isTTY) && !isCiSet(process.env.CI);
  // The UI's chunk takes ~45 ms to load (~20 of them string-width's
  // Intl.Segmenter): start now, while the stack's files are read and the
  // control socket opens (a daemon's stdout is no terminal).
  const uiModule = options.tui && isTerminal ? import('../ui/render.js') : undefined;
  uiModule?.catch(() => undefined); // a bad Procfile may end the run before it is awaited
  const wholeStack = await loadStack(toLoadOptions(options));
  // `procdeck -f X check`: with options first, commander takes the command for a name to start.
  const command = names.find((name) => commandNames.includes(name) && !wholeStack.processes.some((proc) => proc.name === name));
  if (command !== undefined) throw new UsageError(`"${command}" is a command, not a process: put procdeck's options after it (see procdeck ${command} --help)`);
  const stack = selectProcesses(wholeStack, names);
  const scrollback = parseIntegerFlag('--scrollback', options.scrollback, 1);
  const statsIntervalMs = parseDuration(options.statsInterval, '--stats-interval');
  if (options.exitCodeFrom !== undefined) {
    const known = stack.processes.flatMap((p) => [p.name, ...Array.from({length: p.instances}, (_, i) => `${p.name}.${i + 1}`)]);
    if (!known.includes(options.exitCodeFrom)) {
      throw new UsageError(`--exit-code-from: no process named ${JSON.stringify(options.exitCodeFrom)} (known: ${known.join(', ')})`);
    }
    if (stack.processes.some((p) => p.name === options.exitCodeFrom && p.instances === 0)) {
      throw new UsageError(`--exit-code-from: ${options.exitCodeFrom} has 0 instances in the formation, so it would never end (give it one with -m ${options.exitCodeFrom}=1)`);
    }
  }
  const logMaxBytes = parseSize(options.logMaxSize, '--log-max-size');
  if (logMaxBytes < 1) throw new UsageError(`--log-max-size: expected a size of at least 1 byte, got ${JSON.stringify(options.logMaxSize)}`);
  const isDaemonChild = takeDaemonChildMarker();
  const paths = projectPaths(projectDirFor(options.procfile));
  // An unset variable (--log-dir "$LOGS") would otherwise scatter log files into the current directory.
  if (options.logDir?.trim() === '') throw new UsageError('--log-dir: the path is empty (pass a directory)');
  const logDir = options.logDir !== undefined ? path.resolve(options.logDir) : isDaemonChild || options.daemon ? paths.defaultLogDir : undefined;
  // Made (or refused: a file in the way, no permission) before anything starts, the daemon's fork included.
  // The default one is under the project's state directory, which only the user may read (logs hold secrets).
  if (logDir === paths.defaultLogDir) ensurePrivateDir(paths.stateDir, stateDirPurpose);
  if (logDir !== undefined) makeWritableDirectory(logDir, {label: '--log-dir', argument: '--log-dir'});
  await ensureNotRunning(paths);
  if (options.daemon && !isDaemonChild) {
    // Said as it happens: a leftover that ignores its stop signal takes its whole stop timeout.
    await recoverLeftovers(paths, (message) => process.stdout.write(`procdeck: ${message}\n`));
    return startDaemon(paths, logDir!);
  }
  const useTui = options.tui && !isDaemonChild && isTerminal;
  // Headless runs sample nothing (idle CPU) until a control client asks for the numbers.
  const needsStats = useTui || isDaemonChild || stack.processes.some((p) => p.maxMemoryBytes !== undefined);
  const spawner = new LazySpawner();
  const held = new HoldableSpawner(spawner.spawn);
  // Recorded in the state file before anything is spawned: after a hard kill, the next start finds every process by it.
  const runId = newRunId();
  const supervisor = new Supervisor(stack, {
    scrollback,
    statsIntervalMs: needsStats ? statsIntervalMs : 0,
    inheritedEnv: process.env,
    runId,
    spawn: held.spawn,
    // A headless run has nobody to type into its processes: a read of stdin ends at once (as under
    // foreman with </dev/null) instead of hanging a CI job. The UI and the daemon (attach) keep a pipe for `i`.
    childStdin: useTui || isDaemonChild ? 'pipe' : 'ignore',
  });
  let isStopped = false;
  const stopped = new Promise<void>((resolve) =>
    supervisor.on('stopped', () => {
      isStopped = true;
      resolve();
    }),
  );
  // Headless output begins before the first system line: what recovery ended is said there too.
  // (The daemon's output is its log files, opened with the control session; its stdout is only for procdeck's own errors.)
  const printer = useTui || isDaemonChild ? undefined : printPrefixedLines(supervisor, held);
  // Recovery's lines go to the system log (headless: printed at once); the UI is not up yet, so it gets them on stderr meanwhile.
  const reportRecovery = useTui ? (message: string) => process.stderr.write(`procdeck: ${message}\n`) : undefined;
  const control = await ControlSession.open({
    supervisor,
    stack,
    paths,
    scrollback,
    statsIntervalMs,
    logMaxBytes,
    runId,
    ...(logDir !== undefined && {logDir}),
    ...(reportRecovery && {reportRecovery}),
  });

  const tracker = new ExitTracker(
    supervisor,
    {abortOnExit: Boolean(options.abortOnExit), ...(options.exitCodeFrom !== undefined && {exitCodeFrom: options.exitCodeFrom})},
    // A daemon serves until `procdeck quit` (or a signal), and the UI until
    // `q`: with every process ended they are still there to start them again
    // (and the UI to show why they ended).
    (reason) => {
      if (isDaemonChild || (useTui && reason === 'all-ended')) return;
      void supervisor.shutdown();
    },
  );
  const removeSignalHandlers = handleSignals(supervisor);
  // Whatever ends this process (an uncaught error included), no child outlives it.
  const killLeftovers = () => supervisor.killEverythingNow();
  process.on('exit', killLeftovers);
  try {
    if (useTui) {
      const {runTui} = await (uiModule ?? import('../ui/render.js'));
      // The first frame goes up before execa loads and ten spawns delay it;
      // the UI shows them arriving. Ink, which only reads keys, loads after
      // the spawns: compiling it meanwhile held them back (keys typed in
      // between wait in the terminal, raw mode already on).
      const spawned = spawner.load().then(() => supervisor.start());
      const tui = runTui(supervisor, {
        statsIntervalMs,
        noColor: Boolean(process.env.NO_COLOR),
        launching: supervisor.firstStatusesAtStart(),
        inkAfter: spawned,
      });
      tui.catch(() => undefined); // awaited below; a UI failure while execa loads is not unhandled
      await spawned;
      await tui;
      await supervisor.shutdown();
      // The log went with the alternate screen: say why the exit code is not 0 (the demo's flaky crashes on purpose).
      const reason = tracker.exitReason;
      if (reason !== undefined) process.stderr.write(`procdeck: exit code ${tracker.exitCode} because ${reason}\n`);
    } else {
      await spawner.load();
      supervisor.start();
      tracker.check();
      await stopped;
      printer?.close();
    }
  } finally {
    removeSignalHandlers();
    process.off('exit', killLeftovers);
    await control.close(isStopped);
  }
  return tracker.exitCode;
}

/**
 * Headless output on stdout. A reader that falls behind makes the children
 * wait (held-output.ts); `procdeck | head`: once the reader is gone, stop the
 * stack instead of crashing.
 */
function printPrefixedLines(supervisor: Supervisor, held: HoldableSpawner): PrefixedPrinter {
  let isOutputOpen = true;
  process.stdout.on('error', () => {
    isOutputOpen = false;
    held.hold(false); // what the children still print goes nowhere; they must not wait for a reader that left
    void supervisor.shutdown();
  });
  const write = heldOutputWriter(process.stdout, held);
  return new PrefixedPrinter(supervisor, {
    color: shouldColor(process.stdout, process.env),
    write: (text) => isOutputOpen && write(text),
  });
}

async function startDaemon(paths: ProjectPaths, logDir: string): Promise<number> {
  const started = await spawnDaemon(paths);
  if (!started.ok) {
    process.stderr.write(`${started.message}\n`);
    return started.exitCode;
  }
  process.stdout.write(
    `procdeck is running in the background for ${paths.projectDir}\n` +
      `  pid:    ${started.pid}\n  socket: ${paths.socket}\n  logs:   ${logDir}\n` +
      `procdeck attach opens the UI, procdeck status shows the processes, procdeck quit stops the stack.\n`,
  );
  return 0;
}

/**
 * SIGINT, SIGTERM and SIGHUP stop the stack gracefully; a second SIGINT
 * kills every process group at once.
 */
function handleSignals(supervisor: Supervisor): () => void {
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGINT') interrupts += 1;
    void supervisor.shutdown({force: interrupts >= 2});
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}

/** `CI` as CI services set it (`true`, `1`, a name); `CI=false` or `CI=0` (a local override) is not CI. */
export function isCiSet(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false', 'no'].includes(value.trim().toLowerCase());
}
