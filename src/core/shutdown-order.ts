/**
 * The order of a graceful shutdown: dependents stop before what they depend
 * on (`depends_on`), so a web server is gone before its database.
 */
import type {ProcessSpec} from '../config/spec.js';
import type {Instance} from './instance.js';

/** Instances grouped in waves: each wave can stop once the ones before it are gone. */
export function shutdownWaves(processes: readonly ProcessSpec[], instances: readonly Instance[]): Instance[][] {
  const remaining = new Set(processes.map((p) => p.name));
  const waves: Instance[][] = [];
  while (remaining.size > 0) {
    // A type can stop now when no remaining type depends on it.
    const ready = [...remaining].filter(
      (name) => ![...remaining].some((other) => other !== name && name in (processes.find((p) => p.name === other)?.dependsOn ?? {})),
    );
    // A cycle (rejected by config validation) must not hang shutdown: stop the rest together.
    const wave = ready.length > 0 ? ready : [...remaining];
    for (const name of wave) remaining.delete(name);
    waves.push(instances.filter((instance) => wave.includes(instance.spec.name)));
  }
  return waves;
}
