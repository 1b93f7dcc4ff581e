/**
 * The verbs that drive a running stack from another shell, over its control
 * socket: `status`, `restart`, `stop`, `signal`, `scale`, `logs`, `quit`.
 * The project is found like `start` finds it (`-f`, else the current
 * directory); with nothing running there they say so and exit 1.
 */
import type {Command} from 'commander';
import type {LogLine, StackSnapshot} from '../core/api.js';
import type {Outcome} from '../core/commands.js';
import {cutMark} from '../core/log-ring.js';
import {UsageError} from '../config/errors.js';
import {ConnectionClosedError, ControlConnection, lostStackMessage, RemoteError} from '../control/connection.js';
import {projectDirFor, projectPaths} from '../control/paths.js';
import type {OutcomesResult, StatusReport} from '../control/protocol.js';
import {colorFor, paint, shouldColor} from '../output/colors.js';
import {formatUsage} from '../ui/format/usage.js';
import {formatUptime} from '../ui/format/duration.js';
import {parseIntegerFlag} from './stack-options.js';
import {describeUnreachableStack} from './unreachable-stack.js';

interface ProjectOptions {
  procfile?: string;
}

const procfileHelp = 'Procfile of the project (default ./Procfile): names the running stack';

function addProjectOption(command: Command): Command {
  return command.option('-f, --procfile <path>', procfileHelp);
}

/** Registers every control verb. */
export function registerControlVerbs(program: Command): void {
  addProjectOption(program.command('status').description('show the processes of the running stack'))
    .option('--json', 'print JSON: {"version":1,"processes":[…]}')
    .action((options: ProjectOptions & {json?: boolean}) => runVerb(options, (c) => printStatus(c, Boolean(options.json))));

  for (const verb of ['restart', 'stop'] as const) {
    const what = {restart: 'restart processes (starts stopped ones too)', stop: 'stop processes gracefully'}[verb];
    addProjectOption(program.command(verb).description(`${what}; NAME is web.1, or web for all its instances`))
      .argument('<names...>', 'instances (web.1) or types (web)')
      .action((names: string[], options: ProjectOptions) =>
        runVerb(options, async (c) => printOutcomes(await c.request<OutcomesResult>(verb, {targets: names}))),
      );
  }

  addProjectOption(program.command('signal').description('send a signal to the process groups of NAMEs'))
    .argument('<signal>', 'SIGUSR1, USR1 or 10')
    .argument('<names...>', 'instances (web.1) or types (web)')
    .action((signal: string, names: string[], options: ProjectOptions) =>
      runVerb(options, async (c) => printOutcomes(await c.request<OutcomesResult>('signal', {signal, targets: names}))),
    );

  addProjectOption(program.command('scale').description('set the number of instances of process types'))
    .argument('<formation...>', 'TYPE=N, e.g. web=3 worker=0')
    .action((pairs: string[], options: ProjectOptions) => {
      const changes = pairs.map(parseScalePair);
      return runVerb(options, async (c) => {
        // One unknown type refuses the whole request before anything is scaled, as the other verbs refuse names.
        const known = (await c.request<StackSnapshot>('snapshot', {})).types.map((type) => type.name);
        const unknown = changes.find(([type]) => !known.includes(type));
        if (unknown) throw new UsageError(`no process type ${JSON.stringify(unknown[0])} (known: ${known.join(', ')})`);
        let code = 0;
        for (const [type, to] of changes) code = Math.max(code, printOutcomes(await c.request<OutcomesResult>('scale', {process: type, to})));
        return code;
      });
    });

  // `-f` is follow here, as in `tail -f`; the Procfile is given with --procfile.
  program
    .command('logs')
    .description('print buffered log lines, then (with -f) follow new ones')
    .argument('[name]', 'an instance (web.1), a type (web), system, or all (default)')
    .option('-n, --lines <n>', 'buffered lines to print first', '100')
    .option('-f, --follow', 'keep printing new lines until the stack stops')
    .option('--procfile <path>', procfileHelp)
    .action((name: string | undefined, options: ProjectOptions & {lines: string; follow?: boolean}) => {
      const lines = parseIntegerFlag('--lines', options.lines);
      return runVerb(options, (c) => printLogs(c, name, lines, Boolean(options.follow)));
    });

  addProjectOption(program.command('quit').description('stop the whole stack gracefully and wait until it is down'))
    .option('--force', 'SIGKILL every process group now')
    .action((options: ProjectOptions & {force?: boolean}) =>
      runVerb(options, async (c, ending) => {
        printOutcomes(await c.request<OutcomesResult>('quit', options.force ? {force: true} : {}));
        if ((await ending) === 'lost') {
          // Killed mid-shutdown: what it was stopping may still run.
          process.stderr.write(`procdeck: ${lostStackMessage(c.hello.projectDir)}\n`);
          return 1;
        }
        process.stdout.write('the stack has stopped\n');
        return 0;
      }),
    );
}

function parseScalePair(pair: string): [string, number] {
  const match = /^([A-Za-z0-9_-]+)=(\d+)$/.exec(pair.trim());
  if (!match) throw new UsageError(`scale: expected TYPE=N (e.g. web=3), got ${JSON.stringify(pair)}`);
  return [match[1]!, Number(match[2])];
}

/**
 * Connects to the project's stack, runs `body`, and maps failures to messages
 * and exit codes. `ending` settles when the stack stops, or when the
 * connection is lost without that (its procdeck was killed).
 */
async function runVerb(options: ProjectOptions, body: (connection: ControlConnection, ending: Promise<StackEnd>) => Promise<number>): Promise<void> {
  const paths = projectPaths(projectDirFor(options.procfile));
  let connection: ControlConnection;
  try {
    connection = await ControlConnection.connect(paths.socket);
  } catch (error) {
    const message = describeUnreachableStack(error, paths);
    if (message === undefined) throw error;
    process.stderr.write(`procdeck: ${message}\n`);
    process.exitCode = 1;
    return;
  }
  let ending: Promise<StackEnd> | undefined;
  try {
    ({ending} = await watchStackEnd(connection));
    process.exitCode = await body(connection, ending);
  } catch (error) {
    if (error instanceof RemoteError && ['unknown-name', 'bad-request'].includes(error.code)) throw new UsageError(error.message);
    if (error instanceof RemoteError || error instanceof ConnectionClosedError) {
      // A stack that stops (quit from elsewhere) closes the connection of a stop still waiting; so does a
      // procdeck that is killed, and then what it was stopping, and everything else, still runs.
      const isStopped = error instanceof ConnectionClosedError && (await ending) === 'stopped';
      const message = error instanceof RemoteError ? error.message : isStopped ? 'the stack stopped before the command finished' : lostStackMessage(connection.hello.projectDir);
      process.stderr.write(`procdeck: ${message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await connection.close();
  }
}

function printOutcomes(result: OutcomesResult): number {
  let code = 0;
  for (const outcome of result.outcomes as Outcome[]) {
    if (outcome.ok) process.stdout.write(`${outcome.message}\n`);
    else {
      process.stderr.write(`procdeck: ${outcome.message}\n`);
      code = 1;
    }
  }
  return code;
}

async function printStatus(connection: ControlConnection, isJson: boolean): Promise<number> {
  const report = await connection.request<StatusReport>('status', {});
  if (isJson) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  // The JSON's exit_code is null for a process a signal ended; the table names
  // the signal, and says which running processes are paused (SIGSTOP).
  const snapshot = await connection.request<StackSnapshot>('snapshot', {});
  const exits = new Map(snapshot.instances.map((instance) => [instance.id, 'exit' in instance.state ? instance.state.exit : undefined]));
  const paused = new Set(snapshot.instances.filter((instance) => instance.paused).map((instance) => instance.id));
  const header = ['NAME', 'STATE', 'PID', 'CPU', 'MEM', 'UPTIME', 'RESTARTS', 'PORTS'];
  const rows = report.processes.map((p) => {
    const usage = p.pid === null ? formatUsage(0, 0) : formatUsage(p.cpu, p.rss);
    const exit = p.state === 'running' ? undefined : exits.get(p.name);
    return [
      p.name,
      exit ? `${p.state} (${exit.signal ?? exit.code})` : paused.has(p.name) && p.pid !== null ? `${p.state} (paused)` : p.state,
      p.pid === null ? '-' : String(p.pid),
      usage.cpu,
      usage.mem,
      p.uptime_ms === null ? '-' : formatUptime(p.uptime_ms),
      String(p.restarts),
      p.ports.map((port) => `:${port}`).join(' ') || '-',
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
  }
  return 0;
}

async function printLogs(connection: ControlConnection, name: string | undefined, lines: number, follow: boolean): Promise<number> {
  const snapshot = await connection.request<StackSnapshot>('snapshot', {});
  const color = shouldColor(process.stdout, process.env);
  const typeIndex = new Map(snapshot.types.map((type, i) => [type.name, i]));
  let width = Math.max('system'.length, ...snapshot.instances.map((instance) => instance.id.length));
  const print = (line: LogLine) => {
    width = Math.max(width, line.id.length);
    const type = line.id.slice(0, line.id.lastIndexOf('.'));
    const padded = line.id.padEnd(width);
    const prefix = color ? paint(padded, line.id === 'system' ? 1 : colorFor(typeIndex.get(type) ?? 0)) : padded;
    // The scrollback keeps the first 64 KiB of a longer line: say so, as the UI does.
    return `${formatClock(line.time)} ${prefix} | ${line.text}${line.cut ? cutMark : ''}\n`;
  };
  // How following ends: the stack stopped (a `stopped` event), our reader left, or the connection
  // closed with no `stopped` first, which only a procdeck killed or crashed does.
  let end: (how: 'stopped' | 'reader-gone' | 'lost') => void = () => undefined;
  const done = new Promise<'stopped' | 'reader-gone' | 'lost'>((resolve) => (end = resolve));
  // `procdeck logs -f | head`: once the reader has gone, stop following quietly.
  process.stdout.on('error', () => end('reader-gone'));
  const result = await connection.request<{lines: LogLine[]}>(
    'logs',
    {...(name !== undefined && {target: name}), lines, follow},
    (event, data) => {
      if (event === 'log') process.stdout.write(print(data as LogLine));
      else if (event === 'stopped') end('stopped');
    },
  );
  process.stdout.write(result.lines.map(print).join(''));
  if (!follow) return 0;
  connection.onGlobalEvent((event, data) => {
    if (event === 'dropped') process.stderr.write(`procdeck: ${(data as {count: number}).count} lines were dropped: this reader was too slow\n`);
  });
  connection.onClose(() => end('lost'));
  if ((await done) !== 'lost') return 0;
  process.stderr.write(`procdeck: ${lostStackMessage(connection.hello.projectDir)}\n`);
  return 1;
}

type StackEnd = 'stopped' | 'lost';

/**
 * How the stack behind `connection` ends: `stopped` when it says so (the
 * server closes every connection once the last process is gone), `lost`
 * when the connection closes without that, which only a procdeck killed or
 * crashed does. Resolves once the watch is in place, so that a request sent
 * after it cannot miss the event (a promise of the end would be awaited in
 * its place, so it comes in an object).
 */
async function watchStackEnd(connection: ControlConnection): Promise<{ending: Promise<StackEnd>}> {
  let end: (how: StackEnd) => void = () => undefined;
  const ending = new Promise<StackEnd>((resolve) => (end = resolve));
  connection.onClose(() => end('lost'));
  await connection.request('logs', {target: 'system', lines: 0, follow: true}, (event) => event === 'stopped' && end('stopped'));
  return {ending};
}

function formatClock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
