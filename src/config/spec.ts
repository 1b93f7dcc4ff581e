/** Everything procdeck knows about a stack once its files are parsed and validated. */

export type RestartPolicy = 'no' | 'on-failure' | 'always';
export type DependencyCondition = 'started' | 'ready' | 'completed';

/** How to decide that a process is ready (SPEC §5 `ready:`). Values may contain `$PORT`. */
export type ReadyCheck =
  | {kind: 'http'; url: string}
  | {kind: 'tcp'; port: string}
  | {kind: 'log'; pattern: string}
  | {kind: 'exec'; command: string};

export interface ReadySpec {
  check: ReadyCheck;
  intervalMs: number;
  timeoutMs: number;
}

/** One process type: a Procfile entry merged with its `procdeck.yaml` settings. */
export interface ProcessSpec {
  name: string;
  command: string;
  /** Absolute working directory. */
  cwd: string;
  /** Position in the Procfile (then YAML-only processes after it): decides the PORT block. */
  index: number;
  /** Per-process `env:` from the config file. */
  env: Record<string, string>;
  instances: number;
  autostart: boolean;
  restart: RestartPolicy;
  maxRestarts: number;
  backoff: {initialMs: number; maxMs: number};
  /** Policies written in the config file, even with procdeck's default values (export warns about what a format cannot keep of them). */
  written?: {backoff?: true; maxRestarts?: true};
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
  ready?: ReadySpec;
  dependsOn: Record<string, DependencyCondition>;
  maxMemoryBytes?: number;
  oneshot: boolean;
  cron?: string;
  /** Where it was defined, for messages: `Procfile:3` or `procdeck.yaml`. */
  source: string;
}

export interface StackSpec {
  /** Display name: the project directory's name. */
  name: string;
  /** Absolute project directory (the Procfile's directory, or `--root`). */
  root: string;
  procfilePath: string;
  configPath?: string;
  envFiles: string[];
  /** Values from the env files, merged in order. */
  fileEnv: Record<string, string>;
  basePort: number;
  processes: ProcessSpec[];
}

/** Defaults shared by the Procfile-only path and the config schema. */
export const processDefaults = {
  autostart: true,
  restart: 'no' as RestartPolicy,
  maxRestarts: 10,
  backoff: {initialMs: 1000, maxMs: 30_000},
  stopSignal: 'SIGTERM' as NodeJS.Signals,
  stopTimeoutMs: 5000,
  oneshot: false,
};
