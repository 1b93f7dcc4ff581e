/**
 * Whether procdeck's process group is its terminal's foreground group.
 *
 *   if (isForegroundJob()) …  // a Ctrl-C reached the whole group, not us alone
 */
import {readFileSync} from 'node:fs';

/**
 * True when procdeck's job owns the terminal (its process group is the
 * terminal's foreground group): after `fg`, not after `bg` or a `kill -CONT`
 * alone; never without a terminal. Where there is no /proc to ask, assumed.
 */
export function isForegroundJob(): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'latin1');
    // After the command's closing parenthesis: state ppid pgrp session tty_nr tpgid.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[2] === fields[5];
  } catch {
    return true;
  }
}
