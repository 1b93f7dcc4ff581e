/**
 * Decides when a foreground run is over and with which exit code (SPEC §7):
 * 0 when every process ended with 0 or was stopped by procdeck; otherwise the
 * first non-zero code (128+n for a signal), a run restarted after a crash or a
 * cron job's failed run included. `--abort-on-exit` and
 * `--exit-code-from NAME` end the run when a process ends.
 */
import type {ExitInfo, InstanceState, SupervisorApi} from './api.js';
import {describeExit, exitCodeOf} from './describe-exit.js';

export interface ExitRules {
  abortOnExit: boolean;
  /** A type (`web`) or instance (`web.1`) whose exit ends the run and gives the code. */
  exitCodeFrom?: string;
}

/**
 * States after which an instance will not run again by itself. `waiting`
 * counts: once every other instance is final, no dependency can change, so a
 * waiting dependent (its dependency failed) would otherwise hang the run;
 * but not one waiting for an `autostart: false` process nobody has started
 * yet, which is there to be started by hand (`procdeck start NAME`).
 * `scheduled` does not: a cron job keeps the run going.
 */
const finalStatuses = new Set<InstanceState['status']>(['stopped', 'exited', 'completed', 'failed', 'waiting']);

export class ExitTracker {
  private firstFailure: Outcome | undefined;
  private decided: Outcome | undefined;

  /**
   * `onEnd` is called when the run should shut down: because every process
   * has ended (`all-ended`), or because `--abort-on-exit` / `--exit-code-from`
   * says so (`rule`).
   */
  constructor(
    private readonly api: SupervisorApi,
    private readonly rules: ExitRules,
    private readonly onEnd: (reason: 'all-ended' | 'rule') => void,
  ) {
    api.on('state', (id, state) => this.onState(id, state));
  }

  /** The exit code for the run as it stands. */
  get exitCode(): number {
    return (this.decided ?? this.firstFailure)?.code ?? 0;
  }

  /** Why the exit code is not 0: `flaky.1 exited with code 1`; undefined while it is 0. */
  get exitReason(): string | undefined {
    const outcome = this.decided ?? this.firstFailure;
    return outcome && outcome.code !== 0 ? outcome.reason : undefined;
  }

  private noteFailure(outcome: Outcome): void {
    if (outcome.code !== 0 && this.firstFailure === undefined) this.firstFailure = outcome;
  }

  /** Call after start: a stack with nothing to run ends at once. */
  check(): void {
    if (this.isEverythingOver()) this.onEnd('all-ended');
  }

  private onState(id: string, state: InstanceState): void {
    if (this.api.snapshot().shutdown) {
      // Stops we asked for end `stopped`, and are not failures; a process that
      // ended by itself meanwhile (`exited`, never restarted now) still failed.
      if (state.status === 'exited') this.noteFailure(outcomeOf(id, state.exit));
      return;
    }
    if (state.status === 'scheduled' || state.status === 'restarting') {
      // A failed run fails the run, though a restart or the schedule goes on:
      // a crash-looping worker must not let a CI run end with 0.
      if (state.exit) this.noteFailure(outcomeOf(id, state.exit));
      return;
    }
    if (state.status !== 'exited' && state.status !== 'completed' && state.status !== 'failed') {
      if (state.status === 'stopped') this.checkSoon();
      return;
    }
    const outcome = outcomeOf(id, state.exit);
    if (state.status !== 'completed') this.noteFailure(outcome);
    const from = this.rules.exitCodeFrom;
    if (from !== undefined && (id === from || id.slice(0, id.lastIndexOf('.')) === from)) {
      this.decided = outcome;
      this.onEnd('rule');
      return;
    }
    // A one-shot that completed did what it is for (a migration before the
    // server starts); only an unexpected end aborts the run.
    if (this.rules.abortOnExit && from === undefined && state.status !== 'completed') {
      this.decided = outcome;
      this.onEnd('rule');
      return;
    }
    this.checkSoon();
  }

  /**
   * Checks once the current state change has played out: a dependency that
   * completes releases its waiting dependents in the same tick, after this
   * listener has run, and they must count as running by then. A restart
   * passes through 'stopped' and starts again a few promise hops later, so
   * the check waits for the next macrotask, not a microtask: otherwise
   * restarting the only process (`r`, `procdeck restart`) ended the run.
   */
  private checkSoon(): void {
    setImmediate(() => {
      if (!this.api.snapshot().shutdown) this.check();
    });
  }

  private isEverythingOver(): boolean {
    const {types, instances} = this.api.snapshot();
    // Held until the user starts a process that is only started by hand (`autostart: false`): not over.
    const byHand = new Set(types.filter((type) => !type.autostart).map((type) => type.name));
    const awaitsStartByHand = (on: readonly string[]): boolean =>
      on.some((type) => byHand.has(type) && instances.some((instance) => instance.type === type && instance.state.status === 'stopped'));
    return instances.every((instance) => finalStatuses.has(instance.state.status) && !(instance.state.status === 'waiting' && awaitsStartByHand(instance.state.on)));
  }
}

/** An ended run's exit code, and why in words: `flaky.1 exited with code 1`. */
interface Outcome {
  code: number;
  reason: string;
}

function outcomeOf(id: string, exit: ExitInfo): Outcome {
  return {code: exitCodeOf(exit), reason: `${id} ${describeExit(exit)}`};
}
