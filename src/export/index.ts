/** The export formats by name, for `procdeck export FORMAT DIR`. */
import {exportCompose} from './compose.js';
import {exportKubernetes} from './kubernetes.js';
import {exportSupervisord} from './supervisord.js';
import {exportSystemd} from './systemd.js';
import type {Exporter} from './stack-model.js';

export type {ExportFile, ExportOptions, ExportResult, Exporter} from './stack-model.js';

/** Every format, in the order help and errors list them. */
export const exporters = {
  systemd: exportSystemd,
  supervisord: exportSupervisord,
  compose: exportCompose,
  kubernetes: exportKubernetes,
} satisfies Record<string, Exporter>;

export type ExportFormat = keyof typeof exporters;

/** Whether `name` is a format `procdeck export` knows. */
export function isExportFormat(name: string): name is ExportFormat {
  return Object.hasOwn(exporters, name);
}
