/**
 * Node saves the terminal's settings at start-up and puts them back as it
 * exits, asserting that this works: on a terminal that has hung up (its
 * window closed, `tmux kill-pane`) the write fails with EIO and Node aborts
 * with a native stack trace and SIGABRT (a core dump), after procdeck has
 * already stopped the stack cleanly. Node skips a descriptor that is closed
 * by then, so a hung-up terminal's descriptors are closed on the way out;
 * there is nothing left to restore on them anyway.
 */
import {closeSync} from 'node:fs';
import {isatty} from 'node:tty';

/** Registers the exit hook; call once, at start-up, while stdio is still the terminal it began as. */
export function forgetHungUpTerminalAtExit(): void {
  const startedOnTerminal = [0, 1, 2].filter((fd) => isatty(fd));
  if (startedOnTerminal.length === 0) return;
  process.on('exit', () => {
    // A hung-up terminal answers no terminal request: isatty() is false for it now.
    for (const fd of startedOnTerminal) {
      if (isatty(fd)) continue;
      try {
        closeSync(fd);
      } catch {
        // Already closed: Node skips it too.
      }
    }
  });
}
