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

export function registerRun(program: Command): void {
  addStackOptions(
    program
      .command('run')
      .description("run a one-off command (or a Procfile entry by name) with the stack's environment")
      .argument('<command...>', 'the command and its arguments, or a process name')
      .passThroughOptions(),
  ).action(async (words: string[], options: StackOptions) => {
    process.exitCode = await runOneOff(words, options);
  });
}

async function runOneOff(words: string[], options: StackOptions): Promise<number> {
  const stack = await loadStack(toLoadOptions(options));
  const entry = words.length === 1 ? stack.processes.find((p) => p.name === words[0]) : undefined;
  // A Procfile entry runs as instance 1 of its type (PORT, PS as `start` would give it).
  const proc = entry ?? {name: 'run', index: 0, env: {}};
  const env = instanceEnv(stack, proc, 1, process.env);
  // One word is a shell line as typed (`procdeck run 'echo $PORT'`); several are argv, quoted.
  const command = entry ? entry.command : words.length === 1 ? words[0]! : words.map(quoteForShell).join(' ');
  // The child shares our terminal and process group, so Ctrl-C reaches it
  // directly; we only wait for it to finish.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  try {
    const {execa} = await import('execa');
    const result = await execa('/bin/sh', ['-c', command], {
      cwd: entry?.cwd ?? stack.root,
      env,
      extendEnv: false,
      stdio: 'inherit',
      reject: false,
    });
    return exitCodeOf({code: result.exitCode ?? null, signal: (result.signal ?? null) as NodeJS.Signals | null});
  } finally {
    process.off('SIGINT', ignore);
  }
}
