/** What the control verbs and `attach` say when the project's stack cannot be reached. */
import {NoStackError, NotAnsweringError, noStackMessage} from '../control/connection.js';
import type {ProjectPaths} from '../control/paths.js';
import {readLeftBehind, readLiveOwnerPid} from '../control/state-file.js';

/**
 * One line for a connection failure the user can cause or fix (no stack, a
 * stopped one), or undefined for anything else, which is a bug.
 */
export function describeUnreachableStack(error: unknown, paths: ProjectPaths): string | undefined {
  if (error instanceof NotAnsweringError) {
    const seconds = error.timeoutMs / 1000;
    // The state file names the procdeck that serves the socket: the pid to wake up or end.
    const pid = readLiveOwnerPid(paths.stateFile);
    if (pid === undefined) return `the procdeck of ${paths.projectDir} is not answering on ${paths.socket} within ${seconds}s (stopped or hung?)`;
    return `procdeck pid ${pid} is not answering on ${paths.socket} within ${seconds}s (stopped? try kill -CONT ${pid})`;
  }
  if (error instanceof NoStackError) {
    // A socket file deleted under a running stack (a tmp cleaner): it is still there, as `start` says too.
    const pid = readLiveOwnerPid(paths.stateFile);
    if (pid === undefined) {
      // A procdeck killed hard (kill -9, OOM) serves nothing, but what it started may still run.
      const left = readLeftBehind(paths.stateFile);
      if (left === undefined) return noStackMessage(paths.projectDir);
      return `no stack is running in ${paths.projectDir}, but procdeck pid ${left.ownerPid} was killed and left ${left.ids.join(', ')} running (the next procdeck start ends them first)`;
    }
    return `${paths.projectDir}: procdeck is running here as pid ${pid}, but its control socket ${paths.socket} is missing (it makes it again within a second: try again; if it does not, stop it with kill ${pid})`;
  }
  return undefined;
}
