/**
 * `depends_on`: whether an instance may start yet. A dependency type holds
 * its condition when every one of its instances does:
 *   started   — it has been started (starting, running, or completed);
 *   ready     — it is running and its readiness check (if any) has passed;
 *   completed — it ran to the end with exit code 0 (a oneshot, any process that exited 0,
 *               or a cron job whose last run exited 0).
 * A dependency that ended without meeting the condition blocks its dependents
 * until someone starts it again; `blockedBy` says why in words.
 */
import type {InstanceState} from '../api.js';
import type {DependencyCondition, ProcessSpec} from '../../config/spec.js';
import {describeExit} from '../describe-exit.js';
import {formatSeconds} from './restart.js';

/** What the check needs to know about one instance of a dependency. */
export interface DependencyInstance {
  id: string;
  state: InstanceState;
  spec: Pick<ProcessSpec, 'autostart' | 'oneshot' | 'ready' | 'cron'>;
  /** Its readiness check is past its timeout (and still being tried). */
  isReadyOverdue?: boolean;
}

/** Whether a waiting instance cannot start without help (its own dependencies are blocked). */
export type IsBlocked = (id: string) => boolean;

export interface DependencyStatus {
  /** Dependency types whose condition does not hold yet, in `depends_on` order. */
  pending: string[];
  /** Why some of them cannot hold without help: `migrate.1 exited with code 1`. */
  blockedBy: string[];
  /** Every reason in `blockedBy` may still pass by itself (a readiness check past its timeout goes on). */
  mayStillPass: boolean;
}

/** Checks every `depends_on` entry of `spec` against the dependencies' current instances. */
export function checkDependencies(
  spec: Pick<ProcessSpec, 'dependsOn'>,
  instancesOf: (type: string) => readonly DependencyInstance[],
  isBlocked: IsBlocked = () => false,
): DependencyStatus {
  const pending: string[] = [];
  const blockedBy: string[] = [];
  let mayStillPass = true;
  for (const [type, condition] of Object.entries(spec.dependsOn)) {
    // A type scaled to 0 (or left out) is run elsewhere, as with `-m db=0`: nothing to wait for.
    const unmet = instancesOf(type).filter((instance) => !meetsCondition(instance.state, condition));
    if (unmet.length === 0) continue;
    pending.push(type);
    for (const instance of unmet) {
      const reason = describeBlock(instance, condition, isBlocked);
      if (!reason) continue;
      blockedBy.push(reason);
      if (instance.state.status !== 'starting' && instance.state.status !== 'running') mayStillPass = false;
    }
  }
  return {pending, blockedBy, mayStillPass};
}

/** True when an instance in `state` satisfies `condition`. */
export function meetsCondition(state: InstanceState, condition: DependencyCondition): boolean {
  // A cron job between runs counts as completed once its last run exited 0.
  const isCompleted =
    state.status === 'completed' ||
    ((state.status === 'exited' || state.status === 'scheduled') && state.exit?.code === 0 && state.exit.signal === null);
  switch (condition) {
    case 'started':
      return state.status === 'starting' || state.status === 'running' || isCompleted;
    case 'ready':
      return state.status === 'running' || isCompleted;
    case 'completed':
      return isCompleted;
  }
}

/** Why `instance` will not meet `condition` on its own, or undefined while it still may. */
function describeBlock(instance: DependencyInstance, condition: DependencyCondition, isBlocked: IsBlocked): string | undefined {
  const {state} = instance;
  switch (state.status) {
    case 'waiting':
      return isBlocked(instance.id) ? `${instance.id} cannot start either` : undefined;
    case 'exited':
      return `${instance.id} ${describeExit(state.exit)}`;
    case 'failed':
      return `${instance.id} failed (${describeExit(state.exit)})`;
    case 'stopped':
      return instance.spec.autostart ? `${instance.id} is stopped` : `${instance.id} is stopped (autostart: false; start it)`;
    case 'starting':
      return condition !== 'started' && instance.isReadyOverdue && instance.spec.ready
        ? `${instance.id} is not ready after ${formatSeconds(instance.spec.ready.timeoutMs)}`
        : undefined;
    case 'running':
      // A server waited on for `completed` is probably a config mistake; name it rather than wait silently.
      // (A cron job's run ends: it is only pending.)
      return condition === 'completed' && !instance.spec.oneshot && instance.spec.cron === undefined
        ? `${instance.id} is running (not oneshot: it may never complete)`
        : undefined;
    default:
      return undefined;
  }
}

/** An instance as the gate sees it: its dependencies, and how to hold or start it. */
export interface GatedInstance extends DependencyInstance {
  spec: DependencyInstance['spec'] & Pick<ProcessSpec, 'name' | 'dependsOn'>;
  wait(on: string[]): void;
  start(): unknown;
}

export interface GateHost {
  instances(): readonly GatedInstance[];
  system(message: string): void;
  /** True while nothing may be released: during launch (judged after), and once a shutdown began. */
  isHeld(): boolean;
}

/**
 * Holds instances with `depends_on` in `waiting` and starts each one when its
 * conditions hold; says once why one cannot start when a dependency ended
 * without meeting its condition.
 */
export class DependencyGate {
  private isReleasing = false;
  private isReleaseDue = false;
  /** The last "cannot start" line per waiting instance, so each is said once. */
  private readonly notes = new Map<string, string>();

  constructor(private readonly host: GateHost) {}

  /** Starts an instance, or holds it `waiting` when it has dependencies (judged by `release`). */
  launch(instance: GatedInstance): void {
    const dependencies = Object.keys(instance.spec.dependsOn);
    if (dependencies.length > 0) instance.wait(dependencies);
    else instance.start();
  }

  /**
   * Starts every waiting instance whose conditions now hold. Called on every
   * state change; a change made here (a start, a new `on` list) calls it again,
   * so it loops until nothing moves instead of recursing.
   */
  release(): void {
    if (this.host.isHeld()) return;
    if (this.isReleasing) {
      this.isReleaseDue = true;
      return;
    }
    this.isReleasing = true;
    try {
      do {
        this.isReleaseDue = false;
        this.releaseOnce();
      } while (this.isReleaseDue && !this.host.isHeld());
    } finally {
      this.isReleasing = false;
    }
  }

  private releaseOnce(): void {
    const instances = [...this.host.instances()];
    for (const instance of instances) {
      if (instance.state.status !== 'waiting') continue;
      const status = checkDependencies(
        instance.spec,
        (type) => instances.filter((other) => other.spec.name === type),
        (id) => this.notes.has(id),
      );
      if (status.pending.length === 0) {
        this.notes.delete(instance.id);
        instance.start();
      } else {
        instance.wait(status.pending);
        // A new note may block instances judged before this one in the pass (`web` waits for a `db` that cannot start): judge again.
        if (this.noteBlock(instance, status)) this.isReleaseDue = true;
      }
    }
  }

  /**
   * `worker.1 cannot start: it waits for migrate (completed), but migrate.1 exited with code 1`,
   * or `worker.1 still waits for web (ready), but web.1 is not ready after 30s` while
   * that may yet change by itself; said once; returns whether the instance's note changed.
   */
  private noteBlock(instance: GatedInstance, status: DependencyStatus): boolean {
    if (status.blockedBy.length === 0) return this.notes.delete(instance.id);
    const waitsFor = status.pending.map((type) => `${type} (${instance.spec.dependsOn[type]})`).join(', ');
    const waits = status.mayStillPass ? 'still waits for' : 'cannot start: it waits for';
    const note = `${instance.id} ${waits} ${waitsFor}, but ${status.blockedBy.join('; ')}`;
    if (this.notes.get(instance.id) === note) return false;
    this.notes.set(instance.id, note);
    this.host.system(note);
    return true;
  }
}
