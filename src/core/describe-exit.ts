/** Exit codes and their words, shared by every face that reports an exit. */
import type {ExitInfo} from './api.js';
import {parseSignal, signalNumber} from './process-group.js';

/** The shell's convention: a code, or 128 + the signal's number. */
export function exitCodeOf(exit: ExitInfo): number {
  if (exit.code !== null) return exit.code;
  return exit.signal ? 128 + signalNumber(exit.signal) : 1;
}

/**
 * `exited with code 1`, `exited with code 137 (killed by SIGKILL)`. A shell
 * whose command a signal ended exits with 128 + its number itself: that code
 * names the signal too (`exited with code 138 (SIGUSR1)`).
 */
export function describeExit(exit: ExitInfo): string {
  if (exit.signal) return `exited with code ${exitCodeOf(exit)} (killed by ${exit.signal})`;
  const code = exit.code ?? 1;
  const signal = code > 128 && code <= 128 + 64 ? parseSignal(String(code - 128)) : undefined;
  return signal ? `exited with code ${code} (${signal})` : `exited with code ${code}`;
}

/** `exit 1`, `SIGKILL`: how a process ended, in at most 8 columns (the UI's list, stop lines). */
export function describeExitShort(exit: ExitInfo): string {
  if (exit.signal) return exit.signal;
  return `exit ${exit.code ?? '?'}`;
}
