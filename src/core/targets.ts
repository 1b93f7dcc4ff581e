/** Resolves a command's target (`web.1`, or `web` for every instance) to instances. */
import type {Instance} from './instance.js';

/** The matching instances, or a message saying what is known when nothing matches. */
export function resolveTargets(target: string, instances: readonly Instance[]): Instance[] | string {
  const exact = instances.filter((instance) => instance.id === target);
  if (exact.length > 0) return exact;
  const ofType = instances.filter((instance) => instance.spec.name === target);
  if (ofType.length > 0) return ofType;
  const known = instances.map((instance) => instance.id).join(', ');
  return `no process named ${JSON.stringify(target)} (known: ${known || 'none'})`;
}
