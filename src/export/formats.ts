/**
 * The export format names, apart from the exporters: `procdeck --help` lists
 * them at every start, while the exporters (and the YAML writer they share)
 * load only when `export` runs.
 */

/** Every format, in the order help and errors list them. */
export const exportFormats = ['systemd', 'supervisord', 'compose', 'kubernetes'] as const;

/** A format name: `systemd`, `supervisord`, `compose` or `kubernetes`. */
export type ExportFormat = typeof exportFormats[number];

/** Whether `name` is a format `procdeck export` knows. */
export function isExportFormat(name: string): name is ExportFormat {
  return (exportFormats as readonly string[]).includes(name);
}
