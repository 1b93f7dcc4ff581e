/**
 * What every exporter asks of a stack: the env and port of each instance
 * (as `procdeck start` computes them, minus the exporting user's own
 * environment), and whether a process type listens on PORT (SPEC §10).
 */
import {processDefaults, type ProcessSpec, type StackSpec} from '../config/spec.js';
import {instancePort} from '../config/ports.js';
import {expandPort, mentionsPort} from '../config/port-reference.js';
import {instanceName} from '../config/env.js';
import {UsageError} from '../config/errors.js';
import {formatSeconds} from '../core/policy/restart.js';
import {quoteShellWord} from './quote.js';

/** One generated file, its path relative to the export directory. */
export interface ExportFile {
  path: string;
  content: string;
  /** The process type the file is written for; absent for a file of the whole stack (a target, a ConfigMap). */
  process?: string;
}

/** What an exporter produced, plus anything the target cannot express (printed, never fatal). */
export interface ExportResult {
  files: ExportFile[];
  warnings: string[];
}

/** `--app`, `--user`, `--image` as given (`--app` checked by the command; `exportUser` and `requireImage` check the others). */
export interface ExportOptions {
  /** The app name as typed (or the project directory's name); each format sanitises it. */
  app: string;
  user?: string;
  image?: string;
  /** The exporting machine's IANA time zone, which procdeck runs cron in (`Europe/Paris`); passed in so output does not depend on where tests run. */
  timeZone?: string;
}

/** One format's generator: pure, from a loaded stack to file contents. */
export type Exporter = (stack: StackSpec, options: ExportOptions) => ExportResult;

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether the type listens on PORT: its command or env uses it (`$PORT`, `${PORT:-3000}`, …), or its ready check is http/tcp. */
export function listensOnPort(proc: ProcessSpec): boolean {
  return usesPort(proc) || proc.ready?.check.kind === 'http' || proc.ready?.check.kind === 'tcp';
}

function usesPort(proc: ProcessSpec): boolean {
  return mentionsPort(proc.command) || Object.values(proc.env).some(mentionsPort);
}

/**
 * The port the type's instance is reached on: PORT when the command or env
 * uses it, else the port its ready check names (a database on 5432).
 */
export function servedPort(stack: StackSpec, proc: ProcessSpec, instanceIndex: number): number | undefined {
  if (!listensOnPort(proc)) return undefined;
  const port = instancePort(stack, proc, instanceIndex);
  if (usesPort(proc) || proc.ready === undefined) return port;
  const check = proc.ready.check;
  if (check.kind === 'tcp') return Number(expandPort(check.port, port)) || port;
  if (check.kind === 'http') return urlPort(expandPort(check.url, port)) ?? port;
  return port;
}

/** Port and path of an http ready check's URL after `$PORT` expansion, for probes that need them apart. */
export function parseHttpCheck(url: string, port: number): {port: number; path: string; isHttps: boolean} {
  const expanded = expandPort(url, port);
  try {
    const parsed = new URL(expanded);
    const isHttps = parsed.protocol === 'https:';
    return {port: urlPort(expanded) ?? (isHttps ? 443 : 80), path: `${parsed.pathname}${parsed.search}` || '/', isHttps};
  } catch {
    // Not a URL we can take apart: probe the root of the port the type serves on.
    return {port, path: '/', isHttps: false};
  }
}

function urlPort(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.port !== '') return Number(parsed.port);
    return parsed.protocol === 'https:' ? 443 : parsed.protocol === 'http:' ? 80 : undefined;
  } catch {
    return undefined; // not a URL: the caller falls back to PORT
  }
}

/** The env every instance of a type shares: the env files, then the process's `env:`. Names are checked once here. */
export function typeEnv(stack: StackSpec, proc: ProcessSpec): Record<string, string> {
  const env = {...stack.fileEnv, ...proc.env};
  for (const name of Object.keys(env)) {
    if (!envName.test(name)) {
      throw new UsageError(`export: env variable ${JSON.stringify(name)} (process ${proc.name}) is not a valid variable name; rename it to letters, digits and _`);
    }
  }
  return env;
}

/** The full exported env of one instance: `typeEnv` plus PORT and PS, never the exporting user's environment. */
export function instanceExportEnv(stack: StackSpec, proc: ProcessSpec, instanceIndex: number): Record<string, string> {
  return {
    ...typeEnv(stack, proc),
    PORT: String(instancePort(stack, proc, instanceIndex)),
    PS: instanceName(proc, instanceIndex),
  };
}

/**
 * The dependencies of `proc` that have `autostart: false` (cron ones aside:
 * each format has its own case for those). `procdeck start` does not start
 * them, and holds `proc` until the user does; no exported engine holds a
 * process for a dependency it will not start, so each format warns.
 */
export function manualDependencies(stack: StackSpec, proc: ProcessSpec): string[] {
  return Object.keys(proc.dependsOn).filter((name) => {
    const dependency = stack.processes.find((candidate) => candidate.name === name);
    return dependency !== undefined && !dependency.autostart && dependency.cron === undefined;
  });
}

/** `FORMAT: web depends on db, which has autostart: false, so CONSEQUENCE; procdeck holds web until you start db`. */
export function manualDependencyWarning(format: string, proc: ProcessSpec, dependency: string, consequence: string): string {
  return `${format}: ${proc.name} depends on ${dependency}, which has autostart: false, so ${consequence}; procdeck holds ${proc.name} until you start ${dependency}`;
}

/** The dependencies of `proc` that are cron processes: no format can hold a process until a scheduled run has ended. */
export function cronDependencies(stack: StackSpec, proc: ProcessSpec): string[] {
  return Object.keys(proc.dependsOn).filter((name) => stack.processes.some((candidate) => candidate.name === name && candidate.cron !== undefined));
}

/**
 * Whether `proc` sets its own backoff / max_restarts rather than procdeck's
 * defaults: written in the config (with the default values too), or other
 * than them. Those defaults are procdeck's own safety net, not something
 * asked of the format: only a value the config chose is worth a warning where
 * the format cannot keep it (else every restarting process warns twice).
 */
export function hasOwnBackoff(proc: ProcessSpec): boolean {
  return proc.written?.backoff === true || proc.backoff.initialMs !== processDefaults.backoff.initialMs || proc.backoff.maxMs !== processDefaults.backoff.maxMs;
}

export function hasOwnMaxRestarts(proc: ProcessSpec): boolean {
  return proc.written?.maxRestarts === true || proc.maxRestarts !== processDefaults.maxRestarts;
}

/** `backoff (initial 1s, max 30s)`, for warnings about a delay a format cannot reproduce. */
export function describeBackoff(proc: ProcessSpec): string {
  return `backoff (initial ${formatSeconds(proc.backoff.initialMs)}, max ${formatSeconds(proc.backoff.maxMs)})`;
}

/**
 * A shell command that succeeds once the instance is ready, from its `ready:`
 * check (http needs curl or wget, tcp needs nc, where it runs); undefined for
 * log checks, which only procdeck can watch.
 */
export function readyCheckCommand(proc: ProcessSpec, port: number): string | undefined {
  const check = proc.ready?.check;
  if (check === undefined) return undefined;
  switch (check.kind) {
    case 'http': {
      const url = quoteShellWord(expandPort(check.url, port));
      return `curl -fsS -o /dev/null ${url} || wget -q -O /dev/null ${url}`;
    }
    case 'tcp':
      return `nc -z 127.0.0.1 ${quoteShellWord(expandPort(check.port, port))}`;
    case 'exec':
      return check.command;
    case 'log':
      return undefined;
  }
}


/** Whole seconds, rounded up so a timeout never shrinks (at least `min`). */
export function toSeconds(ms: number, min = 0): number {
  return Math.max(min, Math.ceil(ms / 1000));
}

/** A Go-style duration for Compose (`1500ms`, `5s`). */
export function toGoDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Signal name without `SIG`, as supervisord writes it. */
export function bareSignal(signal: string): string {
  return signal.replace(/^SIG/, '');
}

/**
 * `--user`, checked the same way for every format (even one that cannot use
 * it): a login name or uid, as useradd takes them, so it can be written
 * unquoted into a unit, a supervisord config or a Compose file.
 */
export function exportUser(options: ExportOptions): string | undefined {
  const user = options.user;
  if (user !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/.test(user)) {
    throw new UsageError(`--user: expected a user name or uid (letters, digits, _ . -), got ${JSON.stringify(user)}`);
  }
  return user;
}

/** `--image` is required where processes run in containers. */
export function requireImage(options: ExportOptions, format: string): string {
  if (options.image === undefined || options.image.trim() === '') {
    throw new UsageError(`export ${format}: --image is required (the image holding the project, e.g. --image registry.example.com/shop:1.2)`);
  }
  return options.image;
}
