/** PORT assignment, foreman's rule (SPEC §4). */
import type {ProcessSpec, StackSpec} from './spec.js';
import {ConfigError} from './errors.js';

/** The base port when neither -p, the env files nor $PORT give one. */
export const defaultBasePort = 5000;

/** The highest TCP port. */
export const maxPort = 65_535;

/**
 * Why the formation gives some instance a PORT above 65535 (foreman's rule
 * adds 100 per type and one per instance), or undefined when none.
 */
export function describePortOverflow(stack: Pick<StackSpec, 'basePort'>, processes: readonly Pick<ProcessSpec, 'name' | 'index' | 'instances'>[]): string | undefined {
  for (const proc of processes) {
    if (proc.instances === 0) continue;
    const port = instancePort(stack, proc, proc.instances);
    if (port > maxPort) return `${proc.name}.${proc.instances} would get PORT ${port}, above ${maxPort}`;
  }
  return undefined;
}

/**
 * The port of one instance (foreman's rule): the stack's base port, plus 100
 * per process type before it, plus one per instance before it (1-based).
 */
export function instancePort(stack: Pick<StackSpec, 'basePort'>, proc: Pick<ProcessSpec, 'index'>, instanceIndex: number): number {
  return stack.basePort + 100 * proc.index + (instanceIndex - 1);
}

/** Where each candidate base port came from, so a bad value can be blamed on its source. */
export interface BasePortSources {
  flag?: number;
  fileEnv: Record<string, string>;
  /** Names the env file that set PORT, for messages. */
  fileEnvLabel: string;
  inherited: NodeJS.ProcessEnv;
}

/** Picks the base port: `-p`, else PORT from the env files, else `$PORT`, else 5000. */
export function resolveBasePort(sources: BasePortSources): number {
  if (sources.flag !== undefined) return sources.flag;
  const fromFile = sources.fileEnv.PORT;
  if (fromFile !== undefined && fromFile.trim() !== '') return toPort(fromFile, `${sources.fileEnvLabel}: PORT`);
  const inherited = sources.inherited.PORT;
  if (inherited !== undefined && inherited.trim() !== '') return toPort(inherited, '$PORT');
  return defaultBasePort;
}

function toPort(value: string, where: string): number {
  const text = value.trim();
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > maxPort) {
    throw new ConfigError(where, `expected a port number (1-65535), got ${JSON.stringify(value)}`, 'or pass -p N');
  }
  return port;
}
