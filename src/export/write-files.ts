/**
 * Writes generated files into the export directory: never through a
 * symlink, each file replaced whole, and every refusal of the file system
 * reported as one line naming the path (exit 2), not as a crash.
 */
import {randomBytes} from 'node:crypto';
import {lstatSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync, type Stats} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {UsageError} from '../config/errors.js';
import type {ExportFile} from './stack-model.js';

/**
 * Creates `dir` when missing and writes each file into it; returns the paths
 * (relative to `dir`) that replaced an existing file. Every destination is
 * checked before the first file is written, so a refusal leaves DIR as it was.
 */
export function writeExportFiles(dir: string, files: ExportFile[]): string[] {
  makeDirectory(dir);
  const overwritten = files.filter((file) => isExistingFile(join(dir, file.path))).map((file) => file.path);
  for (const file of files) writeWhole(join(dir, file.path), file.content);
  return overwritten;
}

/**
 * Creates the missing part of `dir` one level at a time: a recursive
 * mkdirSync never returns for some paths (under /proc on Node 20), and one
 * level at a time names the exact directory that could not be made.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let existing = dir;
  let stats = statIfExists(existing);
  while (stats === undefined && dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = dirname(existing);
    stats = statIfExists(existing);
  }
  if (stats !== undefined && !stats.isDirectory()) {
    throw new UsageError(`export: ${existing} is a file, not a directory, so ${dir} cannot be made (pass another DIR, or move that file away)`);
  }
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      throw toUsageError(error, 'create the directory', path);
    }
  }
}

/** What `path` is (following symlinks, as DIR may be one), or undefined when it or a parent is missing or a file. */
function statIfExists(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR')) return undefined; // the caller looks one level up
    throw toUsageError(error, 'look at', path);
  }
}

/** Whether a regular file is already at `path`; a symlink or anything else there is refused. */
function isExistingFile(path: string): boolean {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return false;
    throw toUsageError(error, 'look at', path);
  }
  if (stats.isSymbolicLink()) {
    throw new UsageError(`export: ${path} is a symbolic link, and export never writes through one (remove the link, or pass another DIR)`);
  }
  if (!stats.isFile()) {
    throw new UsageError(`export: ${path} is a ${stats.isDirectory() ? 'directory' : 'special file'}, where export writes a file (move it away, or pass another DIR)`);
  }
  return true;
}

/**
 * Writes a new file beside `path`, then renames it over `path`: a reader never
 * sees half a file, and a symlink that appeared at `path` since the check is
 * replaced, not written through (`wx` never follows one either).
 */
function writeWhole(path: string, content: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, content, {flag: 'wx'});
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, {force: true});
    } catch {
      // Cleaning up is best effort: the error that matters is the one reported below.
    }
    throw toUsageError(error, 'write', path);
  }
}

const fixes: Record<string, string> = {
  EACCES: 'pass a DIR you may write to, or change its permissions',
  EPERM: 'pass a DIR you may write to, or change its permissions',
  EROFS: 'pass a DIR on a writable file system',
  ENOSPC: 'free some space, or pass a DIR on another file system',
  EISDIR: 'move that directory away, or pass another DIR',
  ENOTDIR: 'pass a DIR whose parents are all directories',
};

/**
 * A failed file-system call as one line with the path, the system's reason
 * and a fix. Anything that is not a system error is a bug and keeps its stack.
 */
export function toUsageError(error: unknown, action: string, path: string): unknown {
  if (!(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code !== 'string') return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  // Node words it `CODE: reason, syscall 'path'`; the path is named here already.
  const reason = /^[A-Z0-9]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
  return new UsageError(`export: cannot ${action} ${path}: ${reason} (${fixes[code] ?? 'pass a DIR on an ordinary file system'})`);
}

function hasCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
