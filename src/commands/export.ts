/** `procdeck export FORMAT DIR`: writes the stack out for systemd, supervisord, Compose or Kubernetes (SPEC §10). */
import {existsSync, readdirSync, statSync} from 'node:fs';
import {join, relative, resolve} from 'node:path';
import type {Command} from 'commander';
import {loadStack} from '../config/load.js';
import {UsageError} from '../config/errors.js';
import {exportFormats, isExportFormat, type ExportFormat} from '../export/formats.js';
import type {ExportOptions} from '../export/index.js';
import {addStackOptions, type StackOptions} from './stack-options.js';
import {toLoadOptions} from './load-options.js';
import {quoteForShell} from './shell-quote.js';

interface ExportCommandOptions extends StackOptions {
  app?: string;
  user?: string;
  image?: string;
}

const formatList = exportFormats.join(', ');

/** Adds `export FORMAT DIR` with the stack options plus `--app`, `--user` and `--image`. */
export function registerExport(program: Command): void {
  addStackOptions(
    program
      .command('export')
      .description(`write the stack as ${formatList} files into DIR`)
      .argument('<format>', formatList)
      .argument('<dir>', 'directory to write into (created when missing; files of the same name are overwritten)'),
  )
    .option('--app <name>', 'app name used in unit, program, service and resource names (default: the project directory name)')
    .option('--user <user>', 'user the processes run as (a name or uid; kubernetes takes a uid)')
    .option('--image <image>', 'container image holding the project (required for compose and kubernetes)')
    .action(async (format: string, dir: string, options: ExportCommandOptions) => {
      await runExport(format, dir, options);
    });
}

async function runExport(format: string, dir: string, options: ExportCommandOptions): Promise<void> {
  if (!isExportFormat(format)) {
    throw new UsageError(`export: unknown format ${JSON.stringify(format)} (expected one of ${formatList})`);
  }
  if (options.app !== undefined && options.app.trim() === '') throw new UsageError('--app: expected a name, got an empty string');
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new UsageError(`export: ${dir} exists and is not a directory (pass a directory to write the files into)`);
  }
  const stack = await loadStack(toLoadOptions(options));
  const exportOptions: ExportOptions = {
    app: options.app ?? stack.name,
    ...(options.user !== undefined && {user: options.user}),
    ...(options.image !== undefined && {image: options.image}),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  // The exporters and their YAML writer load only for this verb.
  const {exportStack, writeExportFiles} = await import('../export/index.js');
  // Everything is generated before anything is written, so a refused value leaves DIR untouched.
  const result = exportStack(format, stack, exportOptions);
  const shown = relative(process.cwd(), target) || '.';
  const overwritten = writeExportFiles(target, result.files).map((path) => join(shown, path));
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  const lines = [`exported ${plural(stack.processes.length, 'process type')} as ${plural(result.files.length, `${format} file`)} in ${shown}:`];
  for (const file of result.files) lines.push(`  ${join(shown, file.path)}`);
  if (overwritten.length > 0) lines.push(`overwrote ${plural(overwritten.length, 'existing file')}: ${overwritten.join(', ')}`);
  // A smaller formation than last time leaves old files behind; say so rather than delete what may be the user's.
  const written = new Set(result.files.map((file) => file.path));
  const others = readdirSync(target).filter((name) => !written.has(name));
  if (others.length > 0) lines.push(`left alone (not from this export, remove any that are stale): ${others.join(', ')}`);
  lines.push(`next: ${nextStep(format, shown, result.files[0]?.path ?? '')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const warning of result.warnings) process.stderr.write(`procdeck: warning: ${warning}\n`);
}

/** The command to run next, every path in it quoted for the shell (DIR is whatever the user typed). */
function nextStep(format: ExportFormat, dir: string, firstFile: string): string {
  const $ = quoteForShell;
  switch (format) {
    case 'systemd':
      return `sudo cp ${$(dir)}/* /etc/systemd/system/ && sudo systemctl daemon-reload && sudo systemctl enable --now ${$(firstFile)}`;
    case 'supervisord':
      return `sudo cp ${$(join(dir, firstFile))} /etc/supervisor/conf.d/ && sudo supervisorctl update`;
    case 'compose':
      return `docker compose -f ${$(join(dir, firstFile))} up -d`;
    case 'kubernetes':
      return `kubectl apply -f ${$(dir)}`;
  }
}
