/**
 * `procdeck run COMMAND...`: a one-off command (or a Procfile entry by name)
 * in the foreground, with the stack's environment.
 */
import type {Command} from 'commander';
import {loadStack} from '../config/load.js';
import {instanceEnv} from '../config/env.js';
import {exitCodeOf} from '../core/describe-exit.js';
import {addStackOptions, type StackOptions} from './stack-options.js';
import {toLoadOptions} from './load-options.js';
import {quoteForShell} from './shell-quote.js';
import {execScript} from '../core/shell-command.js';
import {signalProcess} from '../core/process-group.js';
import {isForegroundJob} from '../foreground-job.js';
import {collectTree, readProcessTable} from '../core/stats/process-table.js';

export function registerRun(program: Command): void {
  addStackOptions(
    program
      .command('run')
      .description("run a one-off command (or a Procfile entry by name) with the stack's environment")
      .argument('<command...>', 'the command and its arguments, or a process name')
      .passThroughOptions()
      // As with foreman run: the options after the command are the command's own.
      .addHelpText('after', "\nprocdeck's options go before the command; what follows it is the command's own:\n  procdeck run -f Procfile.dev -e .env.test bin/migrate --dry-run\nA Procfile entry's name runs that entry, alone: procdeck run worker"),
  ).action(async (words: string[], options: StackOptions) => {
    process.exitCode = await runOneOff(words, options);
  });
}

async function runOneOff(words: string[], options: StackOptions): Promise<number> {
  const stack = await loadStack(toLoadOptions(options));
  const entry = words.length === 1 ? stack.processes.find((p) => p.name === words[0]) : undefined;
  // A Procfile entry runs as instance 1 of its type (PORT, PS as `start` would give it).
  const proc = entry ?? {name: 'run', index: 0, env: {}};
  // Its output is ours, not piped through procdeck: `procdeck run cli > out.txt` must not get colors forced on.
  const env = instanceEnv(stack, proc, 1, process.env, {isOutputPiped: false});
  // One word is a shell line as typed (`procdeck run 'echo $PORT'`); several are argv, quoted.
  const command = entry ? entry.command : words.length === 1 ? words[0]! : words.map(quoteForShell).join(' ');
  // The child shares our terminal and process group, so Ctrl-C reaches it
  // directly; we only wait for it to finish. A signal sent to procdeck alone
  // (kill, a supervisor, an IDE's stop button) is passed on to the command's
  // whole tree: `sh -c 'a; b'` would otherwise die and leave `a` running.
  // A SIGINT is taken for the terminal's Ctrl-C while we are its foreground
  // job (passing it on would send the command a second one).
  let childPid: number | undefined;
  const forward = (signal: NodeJS.Signals) => {
    if (childPid === undefined) return;
    for (const pid of collectTree(readProcessTable(), {pid: childPid, pgid: -1})) signalProcess(pid, signal);
  };
  const forwardInterrupt = () => {
    if (!isForegroundJob()) forward('SIGINT');
  };
  process.on('SIGINT', forwardInterrupt);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  try {
    const {execa} = await import('execa');
    // One program replaces the shell (core/shell-command.ts), so it is our direct child.
    const subprocess = execa('/bin/sh', ['-c', execScript(command)], {
      cwd: entry?.cwd ?? stack.root,
      env,
      extendEnv: false,
      stdio: 'inherit',
      reject: false,
    });
    childPid = subprocess.pid;
    const result = await subprocess;
    return exitCodeOf({code: result.exitCode ?? null, signal: (result.signal ?? null) as NodeJS.Signals | null});
  } finally {
    process.off('SIGINT', forwardInterrupt);
    process.off('SIGTERM', forward);
    process.off('SIGHUP', forward);
  }
}
