/** The export formats by name, for `procdeck export FORMAT DIR`. */
import {exportCompose} from './compose.js';
import {exportKubernetes} from './kubernetes.js';
import {exportSupervisord} from './supervisord.js';
import {exportSystemd} from './systemd.js';
import type {StackSpec} from '../config/spec.js';
import {processNamePattern} from '../config/procfile.js';
import {UsageError} from '../config/errors.js';
import type {ExportOptions, ExportResult, Exporter} from './stack-model.js';
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
  const paths = new Set<string>();
  for (const file of result.files) {
    if (paths.has(file.path)) throw new UsageError(`export ${format}: two processes would both be written to ${file.path}; rename one of them`);
    paths.add(file.path);
  }
  return result;
}
