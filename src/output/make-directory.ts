/**
 * Creating a directory procdeck writes into (export's DIR, --log-dir), and
 * every refusal of the file system as one line naming the path and a fix
 * (a UsageError: exit 2), not a crash with a stack trace.
 */
import {closeSync, mkdirSync, openSync, statSync, unlinkSync, type Stats} from 'node:fs';
import {dirname, join} from 'node:path';
import {UsageError} from '../config/errors.js';

/** Where the directory came from, for messages: `{label: 'export', argument: 'DIR'}`. */
export interface DirectoryOrigin {
  /** The message prefix. */
  label: string;
  /** What the user would pass instead. */
  argument: string;
}

/**
 * Creates the missing part of `dir` one level at a time: a recursive
 * mkdirSync never returns for some paths (under /proc on Node 20), and one
 * level at a time names the exact directory that could not be made.
 */
export function makeDirectory(dir: string, origin: DirectoryOrigin): void {
  const missing: string[] = [];
  let existing = dir;
  let stats = statIfExists(existing, origin);
  while (stats === undefined && dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = dirname(existing);
    stats = statIfExists(existing, origin);
  }
  if (stats !== undefined && !stats.isDirectory()) {
    throw new UsageError(`${origin.label}: ${existing} is a file, not a directory, so ${dir} cannot be made (pass another ${origin.argument}, or move that file away)`);
  }
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      throw toUsageError(error, 'create the directory', path, origin);
    }
  }
}

/**
 * makeDirectory, then proof that files can be made in it: a directory that
 * exists but refuses writes (read-only mount, no permission) would be found
 * out only at the first line, as a warning in a log nobody reads (a daemon
 * whose only output is these files would run with none).
 */
export function makeWritableDirectory(dir: string, origin: DirectoryOrigin): void {
  makeDirectory(dir, origin);
  const probe = join(dir, `.procdeck-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (error) {
    throw toUsageError(error, 'write files in', dir, origin);
  }
}

/** What `path` is (following symlinks, as the directory may be one), or undefined when it or a parent is missing or a file. */
function statIfExists(path: string, origin: DirectoryOrigin): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR')) return undefined; // the caller looks one level up
    throw toUsageError(error, 'look at', path, origin);
  }
}

const fixes: Record<string, (argument: string) => string> = {
  EACCES: (argument) => `pass a ${argument} you may write to, or change its permissions`,
  EPERM: (argument) => `pass a ${argument} you may write to, or change its permissions`,
  EROFS: (argument) => `pass a ${argument} on a writable file system`,
  ENOSPC: (argument) => `free some space, or pass a ${argument} on another file system`,
  EISDIR: (argument) => `move that directory away, or pass another ${argument}`,
  ENOTDIR: (argument) => `pass a ${argument} whose parents are all directories`,
};

/**
 * A failed file-system call as one line with the path, the system's reason
 * and a fix. Anything that is not a system error is a bug and keeps its stack.
 */
export function toUsageError(error: unknown, action: string, path: string, origin: DirectoryOrigin): unknown {
  if (!(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code !== 'string') return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = systemReason(error);
  const fix = fixes[code]?.(origin.argument) ?? `pass a ${origin.argument} on an ordinary file system`;
  return new UsageError(`${origin.label}: cannot ${action} ${path}: ${reason} (${fix})`);
}

/** A system error's reason alone: Node words it `CODE: reason, syscall 'path'`, and callers name the path themselves. */
export function systemReason(error: Error): string {
  return /^[A-Z0-9]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
}

export function hasCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
