/** `procdeck check`: validate the Procfile, config and env files, and show what would run. */
import type {Command} from 'commander';
import {existsSync} from 'node:fs';
import {relative} from 'node:path';
import {addStackOptions} from './stack-options.js';
import type {StackOptions} from './stack-options.js';
import {toLoadOptions} from './load-options.js';
import {loadStack} from '../config/load.js';
import {instancePort} from '../config/ports.js';
import {formatDuration, formatSize} from '../config/durations.js';
import {processDefaults} from '../config/spec.js';
import type {ProcessSpec, ReadySpec, StackSpec} from '../config/spec.js';

/** Registers `procdeck check`. */
export function registerCheck(program: Command): void {
  addStackOptions(
    program
      .command('check')
      .description('validate the Procfile, procdeck.yaml and env files, and list the processes'),
  ).action(async (options: StackOptions) => {
    const stack = await loadStack(toLoadOptions(options));
    process.stdout.write(describeStack(stack, process.cwd()));
  });
}

/** The report `check` prints: files read, then one block per process type. */
export function describeStack(stack: StackSpec, cwd: string): string {
  const show = (path: string): string => {
    const rel = relative(cwd, path);
    return rel !== '' && !rel.startsWith('..') ? rel : path;
  };
  const lines: string[] = [];
  const count = stack.processes.length;
  lines.push(`${stack.name}: ${count} process type${count === 1 ? '' : 's'}, base port ${stack.basePort}, root ${show(stack.root)}`);
  const files = [
    ...existsSync(stack.procfilePath) ? [show(stack.procfilePath)] : [],
    ...stack.configPath ? [show(stack.configPath)] : [],
    ...stack.envFiles.map(show),
  ];
  const variables = Object.keys(stack.fileEnv).length;
  lines.push(`read: ${files.join(', ')}${stack.envFiles.length > 0 ? ` (${variables} env variable${variables === 1 ? '' : 's'})` : ''}`);
  const width = Math.max(...stack.processes.map((proc) => proc.name.length));
  for (const proc of stack.processes) {
    lines.push('');
    lines.push(`${proc.name.padEnd(width)}  ${proc.command}`);
    const indent = ' '.repeat(width + 2);
    for (const detail of describeProcess(stack, proc, cwd)) lines.push(`${indent}${detail}`);
  }
  lines.push('');
  lines.push('ok');
  return `${lines.join('\n')}\n`;
}

function describeProcess(stack: StackSpec, proc: ProcessSpec, cwd: string): string[] {
  const details: string[] = [];
  const first = instancePort(stack, proc, 1);
  const ports = proc.instances > 1 ? `ports ${first}-${instancePort(stack, proc, proc.instances)}` : `port ${first}`;
  const instances = proc.instances === 0 ? '0 instances (not started)' : `${proc.instances} instance${proc.instances === 1 ? '' : 's'}, ${ports}`;
  const where = proc.cwd === stack.root ? '' : `, cwd ${relative(cwd, proc.cwd) || '.'}`;
  details.push(`${instances}${where}${proc.autostart ? '' : ', autostart off'}  [${proc.source}]`);

  const restart = proc.restart === 'no'
    ? 'restart no'
    : `restart ${proc.restart} (max ${proc.maxRestarts}, backoff ${formatDuration(proc.backoff.initialMs)}..${formatDuration(proc.backoff.maxMs)})`;
  details.push(`${restart}; stop ${proc.stopSignal}, SIGKILL after ${formatDuration(proc.stopTimeoutMs)}`);

  const extras: string[] = [];
  if (proc.ready) extras.push(describeReady(proc.ready));
  const dependencies = Object.entries(proc.dependsOn);
  if (dependencies.length > 0) extras.push(`depends on ${dependencies.map(([name, condition]) => `${name} (${condition})`).join(', ')}`);
  if (proc.oneshot !== processDefaults.oneshot) extras.push('oneshot');
  if (proc.cron !== undefined) extras.push(`cron "${proc.cron}"`);
  if (proc.maxMemoryBytes !== undefined) extras.push(`max memory ${formatSize(proc.maxMemoryBytes)}`);
  const envKeys = Object.keys(proc.env);
  if (envKeys.length > 0) extras.push(`env ${envKeys.join(', ')}`);
  if (extras.length > 0) details.push(extras.join('; '));
  return details;
}

function describeReady(ready: ReadySpec): string {
  const {check} = ready;
  const target = check.kind === 'http' ? check.url : check.kind === 'tcp' ? check.port : check.kind === 'log' ? `/${check.pattern}/` : check.command;
  return `ready when ${check.kind} ${target} (every ${formatDuration(ready.intervalMs)}, up to ${formatDuration(ready.timeoutMs)})`;
}
