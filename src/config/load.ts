/**
 * Turns a directory's Procfile, env files and procdeck.yaml into one validated
 * StackSpec. Every problem is collected and thrown together, so nothing
 * half-applies and the user fixes everything in one pass.
 */
import {existsSync, statSync} from 'node:fs';
import {basename, dirname, isAbsolute, join, relative, resolve} from 'node:path';
import {ConfigError, ConfigErrors, UsageError} from './errors.js';
import {readProcfile} from './procfile.js';
import type {ProcfileEntry} from './procfile.js';
import type {ConfigFile} from './config-file.js';
import {loadEnvFiles} from './env.js';
import type {EnvFileRef} from './env.js';
import {parseFormation, instancesFor} from './formation.js';
import type {Formation} from './formation.js';
import {describePortOverflow, resolveBasePort} from './ports.js';
import {formatDuration, parseDuration, parseSize} from './durations.js';
import type {ProcessConfig} from './schema.js';
import {processDefaults} from './spec.js';
import type {ProcessSpec, ReadySpec, StackSpec} from './spec.js';
import {findDependencyProblems} from './dependencies.js';

/** What the command line says about where the stack is and how to run it. */
export interface LoadOptions {
  /** Where procdeck was started; relative paths in options are resolved against it. */
  cwd: string;
  procfile?: string;
  root?: string;
  config?: string;
  /** `-e a,b`: env files to load, in order, instead of the default `.env`. */
  envFiles?: string[];
  /** `-m all=1,web=2`. */
  formation?: string;
  /** `-p N`. */
  port?: number;
  /** `-t`: stop timeout for processes that set none in the config. */
  stopTimeoutMs?: number;
  /** The environment procdeck inherited (for `$PORT`). */
  env: NodeJS.ProcessEnv;
}

const configNames = ['procdeck.yaml', 'procdeck.yml'];
const defaultReady = {intervalMs: 1000, timeoutMs: 60_000};
/** The shortest time between readiness checks. */
const minReadyIntervalMs = 50;

/**
 * Reads, validates and merges a stack's files; rejects with ConfigErrors
 * listing every problem, or a UsageError for bad flags.
 */
export async function loadStack(options: LoadOptions): Promise<StackSpec> {
  const cwd = resolve(options.cwd);
  const errors: ConfigError[] = [];
  const collect = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (error) {
      if (error instanceof ConfigErrors) errors.push(...error.errors);
      else if (error instanceof ConfigError) errors.push(error);
      else throw error;
      return undefined;
    }
  };
  const labelFor = (path: string): string => {
    const rel = relative(cwd, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  };

  // Which files: the config sits beside the Procfile unless -c says otherwise,
  // and may itself name the Procfile when -f does not.
  let procfilePath = resolve(cwd, options.procfile ?? 'Procfile');
  const configsHere = configNames.map((name) => join(dirname(procfilePath), name)).filter((path) => existsSync(path));
  const configPath = options.config !== undefined ? resolve(cwd, options.config) : configsHere[0];
  if (options.config === undefined && configsHere.length > 1) {
    // Reading one and not the other would leave the user editing a file that does nothing.
    errors.push(new ConfigError(configsHere.map(labelFor).join(' and '), 'are both here, and only one is read', `remove one, or name it with -c`));
  }
  // The YAML parser and the config schema (~280 KB of the bundle) load only
  // when there is a config file: a plain Procfile's stack starts ~10 ms sooner.
  let configFile: ConfigFile | undefined;
  if (configPath) {
    const {readConfigFile} = await import('./config-file.js');
    configFile = collect(() => readConfigFile(configPath, labelFor(configPath)));
  }
  if (configFile) errors.push(...configFile.errors);
  const config = configFile?.config;
  // A Procfile named by the config's `procfile:` that is not there is that setting's mistake: say so at its line.
  let isProcfileMissingFromConfig = false;
  if (config?.procfile !== undefined && options.procfile === undefined && configPath) {
    procfilePath = resolve(dirname(configPath), config.procfile);
    if (configFile && !existsSync(procfilePath)) {
      isProcfileMissingFromConfig = true;
      errors.push(configFile.errorAt(['procfile'], `not found at ${procfilePath}`, `paths are relative to ${configFile.label}; fix it, or create the file`));
    }
  }

  // The Procfile may be left out only when the config defines every process
  // with its command; a broken config says nothing either way, so stay quiet.
  const yamlProcesses = config?.processes ?? {};
  const isConfigComplete = Object.keys(yamlProcesses).length > 0 && Object.values(yamlProcesses).every((p) => p.command !== undefined);
  const isProcfileNamed = options.procfile !== undefined || config?.procfile !== undefined;
  const isConfigBroken = configPath !== undefined && config === undefined;
  const isProcfileUsed = existsSync(procfilePath) || isProcfileNamed || (!isConfigComplete && !isConfigBroken);
  const procfileEntries = isProcfileMissingFromConfig ? undefined : isProcfileUsed ? collect(() => readProcfile(procfilePath, labelFor(procfilePath))) : [];
  const entries: ProcfileEntry[] = procfileEntries ?? [];
  // A broken Procfile hides its processes; claims that they are missing would only mislead.
  const isProcfileBroken = procfileEntries === undefined;

  const fileDir = isProcfileUsed || !configPath ? dirname(procfilePath) : dirname(configPath);
  const root = options.root !== undefined ? resolve(cwd, options.root) : fileDir;
  if (options.root !== undefined && !isDirectory(root)) {
    errors.push(new ConfigError('--root', `directory not found: ${root}`, 'pass an existing directory'));
  }

  const envRefs = chooseEnvFiles(options, configFile, configPath, fileDir, cwd, labelFor);
  const loadedEnv = collect(() => loadEnvFiles(envRefs)) ?? {values: {}, paths: []};
  const basePort = collect(() => resolveBasePort({
    flag: options.port,
    fileEnv: loadedEnv.values,
    fileEnvLabel: loadedEnv.paths.length > 0 ? loadedEnv.paths.map(labelFor).join(', ') : 'env files',
    inherited: options.env,
  })) ?? 5000;

  // Procfile order first (it decides the PORT blocks), then YAML-only processes in YAML order.
  const names = [...entries.map((entry) => entry.name)];
  for (const name of Object.keys(yamlProcesses)) {
    if (!names.includes(name)) names.push(name);
  }
  // Formation errors are about flags; report them only once the files are sound.
  let formation: Formation | undefined;
  let formationError: unknown;
  try {
    formation = options.formation !== undefined ? parseFormation(options.formation, names) : undefined;
  } catch (error) {
    formationError = error;
  }

  const processes: ProcessSpec[] = [];
  names.forEach((name, index) => {
    const entry = entries.find((candidate) => candidate.name === name);
    const settings = yamlProcesses[name] ?? {};
    const command = settings.command ?? entry?.command;
    if (command === undefined) {
      if (configFile && !isProcfileBroken) {
        errors.push(configFile.errorAt(['processes', name], `no command, and ${labelFor(procfilePath)} has no "${name}" entry`, 'add command:, or add the process to the Procfile'));
      }
      return;
    }
    const source = entry && settings.command === undefined
      ? `${labelFor(procfilePath)}:${entry.line}`
      : `${configFile?.label ?? 'config'}:${configFile?.lineOf(['processes', name]) ?? 1}`;
    processes.push(toProcessSpec({name, index, command, settings, root, source, formation, options, configFile, errors, shutdownTimeout: config?.shutdown_timeout}));
  });

  if (configFile) {
    for (const problem of findDependencyProblems(processes, {isCompleteList: !isProcfileBroken})) {
      errors.push(configFile.errorAt(problem.path, problem.message, problem.hint));
    }
  }

  if (errors.length > 0) throw new ConfigErrors(errors);
  if (formationError !== undefined) throw formationError;
  const overflow = describePortOverflow({basePort}, processes);
  if (overflow) throw new UsageError(`${overflow} (pass a lower -p, or set a lower PORT)`);
  return {
    name: basename(root),
    root,
    procfilePath,
    ...(configPath ? {configPath} : {}),
    envFiles: loadedEnv.paths,
    fileEnv: loadedEnv.values,
    basePort,
    processes,
  };
}

/**
 * The stack limited to the named process types (`procdeck start web worker`),
 * plus whatever they depend on, so nothing waits for a process that never
 * starts. Indexes, and so ports, stay as in the full stack. Every process
 * kept starts, `autostart: false` or not: the user asked for it by name, or
 * for something that needs it.
 */
export function selectProcesses(stack: StackSpec, names: string[]): StackSpec {
  if (names.length === 0) return stack;
  const known = stack.processes.map((proc) => proc.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `"${name}"`).join(', ');
    throw new UsageError(`unknown process ${list} (known: ${known.join(', ')})`);
  }
  const selected = new Set<string>();
  const visit = (name: string): void => {
    if (selected.has(name)) return;
    selected.add(name);
    const proc = stack.processes.find((candidate) => candidate.name === name);
    for (const dependency of Object.keys(proc?.dependsOn ?? {})) visit(dependency);
  };
  names.forEach(visit);
  return {...stack, processes: stack.processes.filter((proc) => selected.has(proc.name)).map((proc) => ({...proc, autostart: true}))};
}

function chooseEnvFiles(
  options: LoadOptions,
  configFile: ConfigFile | undefined,
  configPath: string | undefined,
  fileDir: string,
  cwd: string,
  labelFor: (path: string) => string,
): EnvFileRef[] {
  if (options.envFiles !== undefined) {
    return options.envFiles.map((file) => ({path: resolve(cwd, file), label: file, isOptional: false, missingHint: 'check the -e option'}));
  }
  const fromConfig = configFile?.config?.env_file;
  if (fromConfig !== undefined && configPath) {
    return [fromConfig].flat().map((file) => {
      const path = resolve(dirname(configPath), file);
      return {path, label: labelFor(path), isOptional: false, missingHint: `check env_file in ${configFile?.label ?? 'the config'}`};
    });
  }
  const path = join(fileDir, '.env');
  return [{path, label: labelFor(path), isOptional: true}];
}

interface ProcessInput {
  name: string;
  index: number;
  command: string;
  settings: ProcessConfig;
  root: string;
  source: string;
  formation: Formation | undefined;
  options: LoadOptions;
  configFile: ConfigFile | undefined;
  errors: ConfigError[];
  shutdownTimeout: string | number | undefined;
}

// Values here already passed the schema, so parseDuration and parseSize cannot throw.
function toProcessSpec(input: ProcessInput): ProcessSpec {
  const {name, settings, configFile, errors} = input;
  const at = (...path: string[]): readonly PropertyKey[] => ['processes', name, ...path];

  const cwd = resolve(input.root, settings.cwd ?? '.');
  if (settings.cwd !== undefined && !isDirectory(cwd) && configFile) {
    errors.push(configFile.errorAt(at('cwd'), `directory not found: ${cwd}`, 'cwd is relative to the project root'));
  }
  const backoff = {
    initialMs: settings.backoff?.initial !== undefined ? parseDuration(settings.backoff.initial) : processDefaults.backoff.initialMs,
    maxMs: settings.backoff?.max !== undefined ? parseDuration(settings.backoff.max) : processDefaults.backoff.maxMs,
  };
  if (backoff.initialMs > backoff.maxMs && configFile) {
    errors.push(configFile.errorAt(at('backoff'), `initial (${backoff.initialMs}ms) is longer than max (${backoff.maxMs}ms)`, 'make max at least as long as initial'));
  }
  // Precedence: the process's own stop_timeout, then -t, then shutdown_timeout, then 5s.
  const stopTimeoutMs = settings.stop_timeout !== undefined
    ? parseDuration(settings.stop_timeout)
    : input.options.stopTimeoutMs ?? (input.shutdownTimeout !== undefined ? parseDuration(input.shutdownTimeout) : processDefaults.stopTimeoutMs);

  const spec: ProcessSpec = {
    name,
    command: input.command,
    cwd,
    index: input.index,
    env: Object.fromEntries(Object.entries(settings.env ?? {}).map(([key, value]) => [key, String(value)])),
    instances: instancesFor(name, input.formation, settings.instances),
    autostart: settings.autostart ?? processDefaults.autostart,
    restart: settings.restart ?? processDefaults.restart,
    maxRestarts: settings.max_restarts ?? processDefaults.maxRestarts,
    backoff,
    stopSignal: settings.stop_signal ?? processDefaults.stopSignal,
    stopTimeoutMs,
    dependsOn: {...settings.depends_on},
    oneshot: settings.oneshot ?? processDefaults.oneshot,
    source: input.source,
  };
  if (settings.backoff !== undefined || settings.max_restarts !== undefined) {
    spec.written = {...(settings.backoff !== undefined && {backoff: true}), ...(settings.max_restarts !== undefined && {maxRestarts: true})};
  }
  const ready = toReadySpec(settings.ready);
  if (ready) spec.ready = ready;
  if (ready && configFile) {
    // Zero would check in a tight loop (an exec check spawning a process each time), or give up before the first check.
    if (ready.intervalMs < minReadyIntervalMs) {
      errors.push(configFile.errorAt(at('ready', 'interval'), `expected at least ${formatDuration(minReadyIntervalMs)}, got ${formatDuration(ready.intervalMs)}`));
    }
    if (ready.timeoutMs === 0) errors.push(configFile.errorAt(at('ready', 'timeout'), 'expected more than 0', 'leave it out for the default 60s'));
  }
  if (settings.max_memory !== undefined) spec.maxMemoryBytes = parseSize(settings.max_memory);
  if (spec.maxMemoryBytes === 0 && configFile) {
    errors.push(configFile.errorAt(at('max_memory'), 'expected more than 0', 'leave max_memory out for no limit'));
  }
  if (settings.cron !== undefined) spec.cron = settings.cron.trim();
  return spec;
}

function toReadySpec(ready: ProcessConfig['ready']): ReadySpec | undefined {
  if (!ready) return undefined;
  const timing = {
    intervalMs: ready.interval !== undefined ? parseDuration(ready.interval) : defaultReady.intervalMs,
    timeoutMs: ready.timeout !== undefined ? parseDuration(ready.timeout) : defaultReady.timeoutMs,
  };
  if (ready.http !== undefined) return {check: {kind: 'http', url: ready.http}, ...timing};
  if (ready.tcp !== undefined) return {check: {kind: 'tcp', port: String(ready.tcp)}, ...timing};
  if (ready.log !== undefined) return {check: {kind: 'log', pattern: ready.log}, ...timing};
  if (ready.exec !== undefined) return {check: {kind: 'exec', command: ready.exec}, ...timing};
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // missing or unreadable: either way not a usable directory
  }
}
