/**
 * The process groups of `exec:` readiness checks running now. Each check is
 * spawned in a group of its own, like an instance; if procdeck is killed
 * hard meanwhile, the state file (control/state-file.ts) must know these
 * groups too, or a slow check outlives procdeck and the next start.
 */
import type {InstanceId} from './api.js';
import type {Spawner} from './spawn.js';

export interface ProbeGroup {
  /** The instance whose readiness the check tests. */
  id: InstanceId;
  pgid: number;
}

export class ProbeGroups {
  private readonly groups = new Map<number, InstanceId>();
  private readonly listeners = new Set<() => void>();

  /** A spawner that records each check's group while it runs. */
  spawnerFor(id: InstanceId, spawn: Spawner): Spawner {
    return (request, hooks) => {
      const child = spawn(request, hooks);
      const pgid = child.pid;
      if (pgid !== null) {
        this.change(() => this.groups.set(pgid, id));
        void child.exited.then(() => this.change(() => this.groups.delete(pgid)));
      }
      return child;
    };
  }

  list(): ProbeGroup[] {
    return [...this.groups].map(([pgid, id]) => ({id, pgid}));
  }

  /** Calls `listener` after each change; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private change(apply: () => void): void {
    apply();
    for (const listener of this.listeners) listener();
  }
}
