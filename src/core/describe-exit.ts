/** Exit codes and their words, shared by every face that reports an exit. */
import type {ExitInfo} from './api.js';
import {signalNumber} from './process-group.js';

/** The shell's convention: a code, or 128 + the signal's number. */
export function exitCodeOf(exit: ExitInfo): number {
  if (exit.code !== null) return exit.code;
  return exit.signal ? 128 + signalNumber(exit.signal) : 1;
}

/** `exited with code 1`, `exited with code 137 (killed by SIGKILL)`. */
export function describeExit(exit: ExitInfo): string {
  if (exit.signal) return `exited with code ${exitCodeOf(exit)} (killed by ${exit.signal})`;
  return `exited with code ${exit.code ?? 1}`;
}

/** `exit 1`, `SIGKILL`: how a process ended, in at most 8 columns (the UI's list, stop lines). */
export function describeExitShort(exit: ExitInfo): string {
  if (exit.signal) return exit.signal;
  return `exit ${exit.code ?? '?'}`;
}
