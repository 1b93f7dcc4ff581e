/**
 * Commands are plain data: the keymap, the socket protocol and the CLI verbs
 * all build these and hand them to `SupervisorApi.dispatch`.
 */

/** `web.1` (one instance) or `web` (every instance of that type). */
export type Target = string;

export type Command =
  | {type: 'start' | 'stop' | 'restart'; target: Target}
  | {type: 'signal'; target: Target; signal: NodeJS.Signals}
  /** Change a type's instance count by `by` (may be negative) or set it `to` a number. */
  | {type: 'scale'; process: string; by?: number; to?: number}
  /** Write `text` plus a newline to the instance's stdin. */
  | {type: 'input'; target: Target; text: string}
  /** Stop everything (gracefully, or SIGKILL every group at once with `force`). */
  | {type: 'shutdown'; force?: boolean};

/** What a command did, in words for the status bar or the CLI. */
export interface Outcome {
  ok: boolean;
  message: string;
}

/** The signals the UI's signal menu offers, in its order. */
export const menuSignals: readonly NodeJS.Signals[] = [
  'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT', 'SIGKILL', 'SIGSTOP', 'SIGCONT',
];
