/** `depends_on` checks: every dependency names a process, and none forms a cycle. */
import type {ProcessSpec} from './spec.js';

/** A dependency problem, placed at a YAML path. */
export interface DependencyProblem {
  path: PropertyKey[];
  message: string;
  hint?: string;
}

/**
 * Unknown dependencies and cycles (`web -> api -> web`), each reported once.
 * Unknown names are only checked when `processes` is the complete list.
 */
export function findDependencyProblems(
  processes: readonly Pick<ProcessSpec, 'name' | 'dependsOn'>[],
  options: {isCompleteList: boolean} = {isCompleteList: true},
): DependencyProblem[] {
  const problems: DependencyProblem[] = [];
  const byName = new Map(processes.map((proc) => [proc.name, proc]));
  const known = processes.map((proc) => proc.name).join(', ');

  for (const proc of options.isCompleteList ? processes : []) {
    for (const dependency of Object.keys(proc.dependsOn)) {
      if (!byName.has(dependency)) {
        problems.push({
          path: ['processes', proc.name, 'depends_on', dependency],
          message: `unknown process "${dependency}"`,
          hint: `known: ${known}`,
        });
      }
    }
  }

  // Depth-first search; a process met again while still on the stack closes a cycle.
  const done = new Set<string>();
  const reported = new Set<string>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    const onStack = stack.indexOf(name);
    if (onStack !== -1) {
      const cycle = [...stack.slice(onStack), name];
      const key = [...cycle.slice(0, -1)].sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        problems.push({
          path: ['processes', cycle[0] ?? name, 'depends_on'],
          message: `dependency cycle ${cycle.join(' -> ')}`,
          hint: 'remove one of these dependencies',
        });
      }
      return;
    }
    if (done.has(name)) return;
    stack.push(name);
    for (const dependency of Object.keys(byName.get(name)?.dependsOn ?? {})) {
      if (byName.has(dependency)) visit(dependency);
    }
    stack.pop();
    done.add(name);
  };
  for (const proc of processes) visit(proc.name);
  return problems;
}
