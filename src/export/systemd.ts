/**
 * systemd export: `APP.target` plus one `APP-NAME-N.service` per instance (so
 * each gets its own PORT, which a template unit could not compute), and a
 * `.service` + `.timer` pair for cron processes.
 */
import type {ProcessSpec, StackSpec} from '../config/spec.js';
import {instancePort} from '../config/ports.js';
import {cronToOnCalendar} from './cron-calendar.js';
import {escapeSystemdPlain, quoteSystemdExecArg, quoteSystemdWord, escapeNonPlainChars, toUnitNamePart} from './quote.js';
import {cronDependencies, describeBackoff, exportUser, hasOwnBackoff, instanceExportEnv, manualDependencies, manualDependencyWarning, readyCheckCommand, typeEnv, type ExportFile, type ExportOptions, type ExportResult} from './stack-model.js';

type Section = [name: string, lines: string[]];

/** Units for a systemd host: copy DIR/* to /etc/systemd/system, then `systemctl start APP.target`. */
export function exportSystemd(stack: StackSpec, options: ExportOptions): ExportResult {
  const app = toUnitNamePart(options.app);
  const user = exportUser(options);
  const files: ExportFile[] = [];
  const warnings: string[] = [];
  const wanted: string[] = [];
  for (const proc of stack.processes) {
    if (proc.cron !== undefined) {
      files.push(...cronUnits(stack, proc, app, user));
      if (proc.autostart) wanted.push(timerName(app, proc));
      continue;
    }
    for (let i = 1; i <= proc.instances; i++) {
      files.push({path: serviceName(app, proc, i), content: serviceUnit(stack, proc, i, app, user), process: proc.name});
      if (proc.autostart) wanted.push(serviceName(app, proc, i));
    }
  }
  for (const proc of stack.processes) {
    for (const name of manualDependencies(stack, proc)) {
      warnings.push(manualDependencyWarning('systemd', proc, name, `its unit is only ordered after ${name}'s and does not start it: while ${name} is not started, ${proc.name} starts without waiting`));
    }
    if (isAwaitedReady(stack, proc) && proc.ready?.check.kind === 'log') {
      warnings.push(`systemd: other processes wait for ${proc.name} to be ready, but its ready check watches the log, which systemd cannot; they wait for it to start instead`);
    }
    warnings.push(...policyWarnings(stack, proc));
  }
  const target = renderUnit(stack, `${app} target`, [
    ['Unit', [`Description=${escapeSystemdPlain(`${app} (procdeck export)`, 'description')}`, ...(wanted.length > 0 ? [`Wants=${wanted.join(' ')}`] : [])]],
    ['Install', ['WantedBy=multi-user.target']],
  ]);
  return {files: [{path: `${app}.target`, content: target}, ...files], warnings};
}

function serviceName(app: string, proc: ProcessSpec, instanceIndex: number): string {
  return `${app}-${proc.name}-${instanceIndex}.service`;
}

function timerName(app: string, proc: ProcessSpec): string {
  return `${app}-${proc.name}.timer`;
}

function serviceUnit(stack: StackSpec, proc: ProcessSpec, instanceIndex: number, app: string, user: string | undefined): string {
  const env = instanceExportEnv(stack, proc, instanceIndex);
  const unit: string[] = [`Description=${escapeSystemdPlain(`${app} ${proc.name}.${instanceIndex}`, 'description')}`, `PartOf=${app}.target`];
  const {wants, requires, after} = dependencyUnits(stack, proc, app);
  if (wants.length > 0) unit.push(`Wants=${wants.join(' ')}`);
  if (requires.length > 0) unit.push(`Requires=${requires.join(' ')}`);
  if (after.length > 0) unit.push(`After=${after.join(' ')}`);
  if (proc.restart !== 'no') {
    // procdeck gives up after max_restarts quick restarts; systemd counts starts
    // in a window, sized here to hold that many starts at the backoff's pace.
    const windowSec = (proc.maxRestarts + 1) * Math.ceil(proc.backoff.initialMs / 1000 + 30);
    unit.push(`StartLimitIntervalSec=${windowSec}s`, `StartLimitBurst=${proc.maxRestarts + 1}`);
  }
  const service: string[] = proc.oneshot ? ['Type=oneshot', 'RemainAfterExit=yes'] : ['Type=exec'];
  service.push(...commonServiceLines(stack, proc, env, user));
  const readyCommand = !proc.oneshot && isAwaitedReady(stack, proc) ? readyCheckCommand(proc, instancePort(stack, proc, instanceIndex)) : undefined;
  if (readyCommand !== undefined && proc.ready !== undefined) {
    // The unit counts as started only once ExecStartPost= returns, so units
    // ordered After= it wait for readiness, as `depends_on: {x: ready}` does.
    // The check is an argument of its own, run by a shell of its own, so nothing
    // in it (a `# comment`, a trailing `&`) can change how the loop parses.
    const loop = `until /bin/sh -c "$1"; do sleep ${proc.ready.intervalMs / 1000}; done`;
    service.push(`ExecStartPost=/bin/sh -c ${quoteSystemdExecArg(loop)} sh ${quoteSystemdExecArg(readyCommand)}`, `TimeoutStartSec=${proc.ready.timeoutMs}ms`);
  }
  service.push(`Restart=${restartSetting(proc)}`, `RestartSec=${proc.backoff.initialMs}ms`);
  const sections: Section[] = [['Unit', unit], ['Service', service]];
  if (proc.autostart) sections.push(['Install', [`WantedBy=${app}.target`]]);
  return renderUnit(stack, `${proc.name}.${instanceIndex}`, sections);
}

/**
 * A oneshot's exit 0 is completion, so its `always` retries only failures;
 * systemd refuses Restart=always on Type=oneshot but runs on-failure there.
 */
function restartSetting(proc: ProcessSpec): string {
  return proc.oneshot && proc.restart !== 'no' ? 'on-failure' : proc.restart;
}

/** One line for each policy of `proc` that its units cannot keep as procdeck does. */
function policyWarnings(stack: StackSpec, proc: ProcessSpec): string[] {
  const warnings: string[] = [];
  // A cron run's retry is its next run (procdeck applies no restart policy between runs), and so it is for the timer.
  const restarts = proc.restart !== 'no' && proc.cron === undefined;
  if (restarts && proc.backoff.maxMs > proc.backoff.initialMs && hasOwnBackoff(proc)) {
    warnings.push(`systemd: ${proc.name} has ${describeBackoff(proc)}, but systemd waits RestartSec= before every restart; the delay does not double up to max`);
  }
  if (proc.maxMemoryBytes !== undefined && proc.restart === 'no') {
    warnings.push(`systemd: ${proc.name} has max_memory with restart: no; procdeck restarts it when it goes over, but systemd kills it at MemoryMax= and, under Restart=no, leaves it stopped`);
  }
  for (const name of cronDependencies(stack, proc)) {
    warnings.push(`systemd: ${proc.name} depends_on ${name}, a cron process; a unit cannot wait for a timer's run, so ${proc.name} starts without waiting`);
  }
  for (const [name, condition] of Object.entries(proc.dependsOn)) {
    const dependency = stack.processes.find((candidate) => candidate.name === name);
    if (condition === 'completed' && dependency !== undefined && !dependency.oneshot && dependency.cron === undefined) {
      warnings.push(`systemd: ${proc.name} depends_on ${name} completed, but ${name} is not a oneshot, so its unit is started once it runs; ${proc.name} starts then, without waiting for it to exit`);
    }
  }
  return warnings;
}

function cronUnits(stack: StackSpec, proc: ProcessSpec, app: string, user: string | undefined): ExportFile[] {
  const name = `${app}-${proc.name}`;
  const env = instanceExportEnv(stack, proc, 1);
  const calendars = cronToOnCalendar(proc);
  const service = renderUnit(stack, `${proc.name} (cron ${proc.cron ?? ''})`, [
    ['Unit', [`Description=${escapeSystemdPlain(`${app} ${proc.name} (scheduled)`, 'description')}`, `PartOf=${app}.target`]],
    ['Service', ['Type=oneshot', ...commonServiceLines(stack, proc, env, user)]],
  ]);
  const timer = renderUnit(stack, `${proc.name} schedule`, [
    ['Unit', [`Description=${escapeSystemdPlain(`${app} ${proc.name} schedule`, 'description')}`, `PartOf=${app}.target`]],
    ['Timer', [...calendars.map((calendar) => `OnCalendar=${calendar}`), `Unit=${name}.service`]],
    ...(proc.autostart ? [['Install', [`WantedBy=${app}.target`]] as Section] : []),
  ]);
  return [{path: `${name}.service`, content: service, process: proc.name}, {path: `${name}.timer`, content: timer, process: proc.name}];
}

function commonServiceLines(stack: StackSpec, proc: ProcessSpec, env: Record<string, string>, user: string | undefined): string[] {
  typeEnv(stack, proc); // checks the variable names before they reach the file
  const lines: string[] = [];
  if (user !== undefined) lines.push(`User=${user}`);
  lines.push(`WorkingDirectory=${escapeSystemdPlain(proc.cwd, 'working directory')}`);
  for (const [key, value] of Object.entries(env)) lines.push(`Environment=${quoteSystemdWord(`${key}=${value}`)}`);
  lines.push(
    `ExecStart=/bin/sh -c ${quoteSystemdExecArg(proc.command)}`,
    // The whole cgroup gets the stop signal and, after the timeout, SIGKILL:
    // the same as procdeck signalling the process group.
    'KillMode=control-group',
    `KillSignal=${proc.stopSignal}`,
    `TimeoutStopSec=${proc.stopTimeoutMs}ms`,
  );
  if (proc.maxMemoryBytes !== undefined) lines.push(`MemoryMax=${proc.maxMemoryBytes}`);
  return lines;
}

/**
 * Every unit of each dependency, all ordered After=. A oneshot's
 * RemainAfterExit makes that wait for completion, and Requires= keeps a
 * dependant from starting when it failed (procdeck's `completed`); the
 * other conditions only order the start. A dependency with `autostart:
 * false` is only ordered after: Wants= or Requires= would start it, which
 * `procdeck start` never does.
 */
function dependencyUnits(stack: StackSpec, proc: ProcessSpec, app: string): {wants: string[]; requires: string[]; after: string[]} {
  const wants: string[] = [];
  const requires: string[] = [];
  const after: string[] = [];
  for (const [name, condition] of Object.entries(proc.dependsOn)) {
    const dependency = stack.processes.find((candidate) => candidate.name === name);
    if (dependency === undefined || dependency.cron !== undefined) continue;
    for (let i = 1; i <= dependency.instances; i++) {
      const unit = serviceName(app, dependency, i);
      after.push(unit);
      if (dependency.autostart) (condition === 'completed' ? requires : wants).push(unit);
    }
  }
  return {wants, requires, after};
}

/** Whether some other type waits for this one with `depends_on: {NAME: ready}`. */
function isAwaitedReady(stack: StackSpec, proc: ProcessSpec): boolean {
  return stack.processes.some((other) => other.dependsOn[proc.name] === 'ready');
}

function renderUnit(stack: StackSpec, what: string, sections: Section[]): string {
  // Escaped so that no character of the path (or cron line) can end the comment's line.
  const header = escapeNonPlainChars(`# Generated by procdeck export (${what}) from ${stack.procfilePath}; edit the Procfile and re-export rather than this file.`);
  const body = sections.map(([name, lines]) => [`[${name}]`, ...lines].join('\n'));
  return `${header}\n${body.join('\n\n')}\n`;
}
