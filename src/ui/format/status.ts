/** How each instance state looks in the process list: symbol, short label, tone. */
import type {ExitInfo, FirstStatus, InstanceId, InstanceSnapshot, InstanceState} from '../../core/api.js';
import {formatCountdown} from './duration.js';
import {describeExitShort} from '../../core/describe-exit.js';

/** A color-free meaning; `ui/theme.ts` maps it to a color, NO_COLOR keeps the symbol. */
export type Tone = 'ok' | 'busy' | 'idle' | 'bad' | 'info';

export interface StatusLook {
  symbol: string;
  /** At most 9 columns: `running`, `exit 1`, `↻ 3s`, `in 2h05m`. */
  label: string;
  tone: Tone;
}

/** Describes a state for the list; `nowMs` feeds the restart and cron countdowns. */
export function describeStatus(state: InstanceState, nowMs: number): StatusLook {
  switch (state.status) {
    case 'running':
      return {symbol: '●', label: 'running', tone: 'ok'};
    case 'starting':
      return {symbol: '◐', label: 'starting', tone: 'busy'};
    case 'waiting':
      return {symbol: '◌', label: 'waiting', tone: 'busy'};
    case 'stopping':
      return {symbol: '◑', label: 'stopping', tone: 'busy'};
    case 'stopped':
      return {symbol: '○', label: 'stopped', tone: 'idle'};
    case 'completed':
      return {symbol: '✓', label: 'done', tone: 'ok'};
    case 'exited':
      return isCleanExit(state.exit)
        ? {symbol: '■', label: 'exit 0', tone: 'idle'}
        : {symbol: '✗', label: describeExitShort(state.exit), tone: 'bad'};
    case 'restarting':
      return {symbol: '↻', label: `↻ ${formatCountdown(state.at - nowMs)}`, tone: 'busy'};
    case 'failed': {
      // Its last exit code too, as for any crash, where it fits (`failed 1`, not `failed 137`).
      const withCode = `failed ${state.exit.code}`;
      return {symbol: '✗', label: state.exit.code !== null && withCode.length <= 9 ? withCode : 'failed', tone: 'bad'};
    }
    case 'scheduled':
      return {
        symbol: '◷',
        label: state.nextRunAt === null ? 'cron' : `in ${formatCountdown(state.nextRunAt - nowMs)}`,
        tone: 'info',
      };
    default:
      return assertNever(state);
  }
}

/**
 * `describeStatus` for a list row or pane header: an instance the UI's caller
 * is about to start reads `starting` until the engine reports it, and a live
 * one whose group is stopped (SIGSTOP from the `!` menu) reads `paused`.
 */
export function describeInstanceStatus(instance: InstanceSnapshot, nowMs: number, launching: ReadonlyMap<InstanceId, FirstStatus>): StatusLook {
  const status = instance.state.status;
  const first = status === 'stopped' ? launching.get(instance.id) : undefined;
  if (first === 'starting') return {symbol: '◐', label: 'starting', tone: 'busy'};
  if (first === 'waiting') return describeStatus({status: 'waiting', on: []}, nowMs);
  if (instance.paused && (status === 'running' || status === 'starting')) return {symbol: '‖', label: 'paused', tone: 'busy'};
  return describeStatus(instance.state, nowMs);
}

function isCleanExit(exit: ExitInfo): boolean {
  return exit.code === 0 && exit.signal === null;
}

function assertNever(value: never): never {
  throw new Error(`unhandled instance state ${JSON.stringify(value)}`);
}
