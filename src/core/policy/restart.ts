/**
 * What happens after an instance exits on its own: the restart policy
 * (`no` | `on-failure` | `always`), exponential backoff, `max_restarts`,
 * and one-shot completion.
 */
import type {ExitInfo, InstanceState} from '../api.js';
import type {ProcessSpec} from '../../config/spec.js';

/** Uptime after which a crash no longer counts as part of a crash loop. */
export const backoffResetMs = 30_000;

export interface ExitContext {
  /** Crash restarts in the current crash loop. */
  consecutiveRestarts: number;
  uptimeMs: number;
  now: number;
}

export type ExitDecision =
  | {kind: 'restart'; state: Extract<InstanceState, {status: 'restarting'}>; delayMs: number; reason: string; consecutiveRestarts: number}
  | {kind: 'give-up'; state: Extract<InstanceState, {status: 'failed'}>; reason: string; consecutiveRestarts: number}
  | {kind: 'end'; state: Extract<InstanceState, {status: 'exited' | 'completed'}>; consecutiveRestarts: number};

export function isCleanExit(exit: ExitInfo): boolean {
  return exit.code === 0 && exit.signal === null;
}

/**
 * `cause` is why the run ended: on its own (`exit`), or stopped by procdeck
 * for going over `max_memory`, which restarts whatever the restart policy
 * says, but as a crash loop would: with backoff, and up to `max_restarts`.
 */
export function decideAfterExit(spec: ProcessSpec, exit: ExitInfo, context: ExitContext, cause: 'exit' | 'max_memory' = 'exit'): ExitDecision {
  const clean = isCleanExit(exit);
  const consecutive = context.uptimeMs >= backoffResetMs ? 0 : context.consecutiveRestarts;
  if (cause === 'exit' && spec.oneshot && clean) return {kind: 'end', state: {status: 'completed', exit}, consecutiveRestarts: 0};
  const wantsRestart = cause === 'max_memory' || spec.restart === 'always' || (spec.restart === 'on-failure' && !clean);
  if (!wantsRestart) return {kind: 'end', state: {status: 'exited', exit}, consecutiveRestarts: consecutive};
  if (consecutive >= spec.maxRestarts) {
    return {
      kind: 'give-up',
      state: {status: 'failed', exit},
      reason: `gave up after ${spec.maxRestarts} ${spec.maxRestarts === 1 ? 'restart' : 'restarts'} (max_restarts)`,
      consecutiveRestarts: consecutive,
    };
  }
  const delayMs = backoffDelayMs(spec.backoff, consecutive);
  return {
    kind: 'restart',
    state: {status: 'restarting', exit, at: context.now + delayMs},
    delayMs,
    reason: `${cause === 'max_memory' ? 'max_memory' : `restart: ${spec.restart}`}, attempt ${consecutive + 1} of ${spec.maxRestarts}`,
    consecutiveRestarts: consecutive + 1,
  };
}

/** initial, 2×initial, 4×initial … capped at max. */
export function backoffDelayMs(backoff: {initialMs: number; maxMs: number}, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30));
}

/** 1500 → `1.5s`, 4000 → `4s`. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}
