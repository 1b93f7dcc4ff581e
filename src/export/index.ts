/** The export formats by name, for `procdeck export FORMAT DIR`. */
import {exportCompose} from './compose.js';
import {exportKubernetes} from './kubernetes.js';
import {exportSupervisord} from './supervisord.js';
import {exportSystemd} from './systemd.js';
import type {StackSpec} from '../config/spec.js';
import {processNamePattern} from '../config/procfile.js';
import {UsageError} from '../config/errors.js';
import type {ExportFile, ExportOptions, ExportResult, Exporter} from './stack-model.js';
import type {ExportFormat} from './formats.js';

export type {ExportFile, ExportOptions, ExportResult, Exporter} from './stack-model.js';
export {writeExportFiles} from './write-files.js';

/** The exporter of each format. */
const exporters = {
  systemd: exportSystemd,
  supervisord: exportSupervisord,
  compose: exportCompose,
  kubernetes: exportKubernetes,
} satisfies Record<ExportFormat, Exporter>;

/**
 * Runs one exporter. Process names become file names, so they are checked
 * here once more even though the loader already did: a name is never a path.
 */
export function exportStack(format: ExportFormat, stack: StackSpec, options: ExportOptions): ExportResult {
  for (const proc of stack.processes) {
    if (!processNamePattern.test(proc.name)) throw new UsageError(`export: invalid process name ${JSON.stringify(proc.name)} (use only letters, digits, "-" and "_")`);
  }
  const result = exporters[format](stack, options);
  const byPath = new Map<string, ExportFile>();
  for (const file of result.files) {
    const earlier = byPath.get(file.path);
    if (earlier !== undefined) throw clashError(format, earlier, file);
    byPath.set(file.path, file);
  }
  return result;
}

/**
 * Two files with one name (a cron process `web-1` beside the units of `web`'s
 * instances): the message names what each file was written for, so the user
 * knows which process to rename.
 */
function clashError(format: ExportFormat, first: ExportFile, second: ExportFile): Error {
  if (first.process === undefined || second.process === undefined || first.process === second.process) {
    // A bug: the stack's own files (a target, a ConfigMap) have names no process file can take, and one process's files differ.
    return new Error(`export ${format}: ${first.path} was generated twice (for ${first.process ?? 'the stack'} and ${second.process ?? 'the stack'})`);
  }
  return new UsageError(`export ${format}: processes ${first.process} and ${second.process} would both be written to ${first.path}; rename one of them`);
}
