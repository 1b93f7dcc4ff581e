/**
 * Writes generated files into the export directory: never through a
 * symlink, each file replaced whole, and every refusal of the file system
 * reported as one line naming the path (exit 2), not as a crash.
 */
import {randomBytes} from 'node:crypto';
import {lstatSync, renameSync, rmSync, writeFileSync, type Stats} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {UsageError} from '../config/errors.js';
import type {ExportFile} from './stack-model.js';
import {hasCode, makeDirectory, toUsageError} from '../output/make-directory.js';

const exportDir = {label: 'export', argument: 'DIR'};

/**
 * Creates `dir` when missing and writes each file into it; returns the paths
 * (relative to `dir`) that replaced an existing file. Every destination is
 * checked before the first file is written, so a refusal leaves DIR as it was.
 */
export function writeExportFiles(dir: string, files: ExportFile[]): string[] {
  makeDirectory(dir, exportDir);
  const overwritten = files.filter((file) => isExistingFile(join(dir, file.path))).map((file) => file.path);
  for (const file of files) writeWhole(join(dir, file.path), file.content);
  return overwritten;
}

/** Whether a regular file is already at `path`; a symlink or anything else there is refused. */
function isExistingFile(path: string): boolean {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return false;
    throw toUsageError(error, 'look at', path, exportDir);
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
    throw toUsageError(error, 'write', path, exportDir);
  }
}
