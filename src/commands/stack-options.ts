/** The options every stack-reading verb shares (`-f`, `-e`, `-c`, `-m`, `-p`, `--root`). */
import type {Command} from 'commander';
import {UsageError} from '../config/errors.js';

export interface StackOptions {
  procfile?: string;
  root?: string;
  config?: string;
  env?: string;
  formation?: string;
  port?: string;
  timeout?: string;
}

export function addStackOptions(command: Command): Command {
  return command
    .option('-f, --procfile <path>', 'Procfile to read (default ./Procfile)')
    .option('-d, --root <dir>', 'directory the processes run in (default: the Procfile\'s)')
    .option('-e, --env <files>', 'env files to load, comma-separated, in order (default .env)')
    .option('-c, --config <path>', 'procdeck.yaml to read (default: beside the Procfile)')
    .option('-m, --formation <spec>', 'instances per type, e.g. all=1,web=2,worker=0')
    .option('-p, --port <n>', 'base port (default: PORT from the env files, $PORT, or 5000)')
    .option('-t, --timeout <duration>', 'stop timeout before SIGKILL (default 5s)');
}

/** Parses a positive integer flag, naming the flag in the error. */
export function parseIntegerFlag(flag: string, value: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : min > 0 ? ` of at least ${min}` : '';
    throw new UsageError(`${flag}: expected a whole number${range}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}
