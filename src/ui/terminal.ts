/**
 * The terminal around Ink: alternate screen, restoring on every exit path,
 * the clipboard (OSC 52) and handing the terminal to `$PAGER`.
 */
import {spawn} from 'node:child_process';
import {EventEmitter} from 'node:events';
import {openSync} from 'node:fs';
import {ReadStream} from 'node:tty';

const enterAltScreen = '\u001B[?1049h';
const leaveAltScreen = '\u001B[?1049l';
const clearScreen = '\u001B[2J\u001B[H';
const showCursor = '\u001B[?25h';
const hideCursor = '\u001B[?25l';
// Terminals that know mode 2026 show a frame only once it is complete; others ignore it.
const synchronizedStart = '\u001B[?2026h';
const synchronizedEnd = '\u001B[?2026l';
const resetAttributes = '\u001B[0m';

/**
 * Draws frames (arrays of lines) on the terminal: only lines that differ
 * from what is on screen are written, each at an absolute position, so a
 * new log line costs one row and a resize needs only `invalidate()`.
 * While `isPaused` (a pager has the terminal) nothing is drawn.
 */
export class ScreenWriter {
  isPaused = false;
  private onScreen: string[] = [];
  private needsClear = true;

  constructor(private readonly stdout: NodeJS.WriteStream) {}

  /** Forgets what is on screen: the next frame clears it and draws every line. */
  invalidate(): void {
    this.onScreen = [];
    this.needsClear = true;
  }

  draw(lines: readonly string[]): void {
    if (this.isPaused) return;
    let out = '';
    if (this.needsClear) {
      out += hideCursor + clearScreen;
      this.needsClear = false;
    }
    for (let i = 0; i < lines.length; i += 1) {
      // Erase first, then write: erasing after a line that fills the last
      // column would erase that column too.
      if (lines[i] !== this.onScreen[i]) out += `\u001B[${i + 1};1H${resetAttributes}\u001B[2K${lines[i]}`;
    }
    for (let i = lines.length; i < this.onScreen.length; i += 1) out += `\u001B[${i + 1};1H\u001B[2K`;
    this.onScreen = [...lines];
    if (out) this.stdout.write(synchronizedStart + out + resetAttributes + synchronizedEnd);
  }
}

/**
 * The stdout Ink is given: it reports the terminal's size but writes
 * nothing, because ScreenWriter draws the frames (App renders null there).
 */
export class InkSink extends EventEmitter {
  readonly destroyed = false;
  readonly writable = true;
  readonly writableEnded = false;

  constructor(private readonly real: NodeJS.WriteStream) {
    super();
  }

  get isTTY(): boolean {
    return this.real.isTTY === true;
  }

  get columns(): number {
    return this.real.columns;
  }

  get rows(): number {
    return this.real.rows;
  }

  write(_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof done === 'function') (done as () => void)();
    return true;
  }

  /** Typed as the stream Ink expects; it only uses what this class has. */
  asWriteStream(): NodeJS.WriteStream {
    return this as unknown as NodeJS.WriteStream;
  }
}

/** Owns the terminal's modes while the UI runs, and puts them back exactly once per entry. */
export class TerminalModes {
  private isInAltScreen = false;

  constructor(private readonly stdin: NodeJS.ReadStream, private readonly stdout: NodeJS.WriteStream) {}

  /** Switches to the alternate screen and clears it. */
  enter(): void {
    this.isInAltScreen = true;
    this.stdout.write(enterAltScreen + clearScreen);
  }

  /** Cooked mode, visible cursor, the main screen back. Safe to call any number of times. */
  restore(): void {
    try {
      if (this.stdin.isTTY && this.stdin.isRaw) this.stdin.setRawMode(false);
    } catch {
      // stdin may already be closed at exit; the terminal driver then resets it anyway.
    }
    if (!this.isInAltScreen) {
      this.stdout.write(showCursor);
      return;
    }
    this.isInAltScreen = false;
    this.stdout.write(resetAttributes + showCursor + leaveAltScreen);
  }
}

/** The OSC 52 sequence that puts `text` on the system clipboard (tmux and most terminals honour it). */
export function toOsc52(text: string): string {
  return `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/**
 * Stops reading the terminal, so that every key reaches the program that has
 * it now. `pause()` alone is not enough: Node goes on reading a paused TTY
 * until 16 KB are buffered, and while less runs the two read the same
 * terminal, so procdeck took some of its keys (a `q` meant for less, say).
 * This does what net.Socket's own pause does for sockets that read into a
 * buffer: stop the handle, and mark it stopped so that the next `resume()`
 * or read starts it again.
 */
export function stopReadingTerminal(stdin: NodeJS.ReadStream): void {
  stdin.pause();
  const handle = (stdin as unknown as {_handle?: {reading?: boolean; readStop?: () => number}})._handle;
  if (handle?.reading === true && typeof handle.readStop === 'function') {
    handle.reading = false;
    handle.readStop();
  }
}

/**
 * Undoes stopReadingTerminal once the terminal is ours again. The stream's
 * own restart is not enough when a read was still pending as reading
 * stopped (a stop by a signal, not by a key): the stream then believes a
 * read is under way and never asks the handle again, and no key arrives.
 */
export function resumeReadingTerminal(stdin: NodeJS.ReadStream): void {
  const handle = (stdin as unknown as {_handle?: {reading?: boolean; readStart?: () => number}})._handle;
  if (handle?.reading === false && typeof handle.readStart === 'function') {
    handle.reading = true;
    handle.readStart();
  }
}

/**
 * The keyboard when stdin is not the terminal (`procdeck < /dev/null`,
 * `true | procdeck`): the terminal opened afresh, as less and fzf do. Null
 * when stdin is the terminal, or when there is no terminal to open.
 */
export function openKeyboard(): ReadStream | null {
  if (process.stdin.isTTY) return null;
  try {
    return new ReadStream(openSync('/dev/tty', 'r'));
  } catch {
    return null;
  }
}

/**
 * Runs `$PAGER` (default `less -R`) with `text` on its stdin, through sh as
 * git and man do (so `PAGER="less -R +G"` and `PAGER="vim -"` work; the pager
 * reads its keys from the terminal itself), and resolves when it exits. The
 * caller must have left the alternate screen and raw mode, and stopped
 * reading the terminal (stopReadingTerminal). Ctrl-C belongs to the pager
 * meanwhile: it reaches procdeck too (same process group), so SIGINT
 * listeners are held back until it exits.
 */
export async function runPager(text: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const heldListeners = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  const ignoreInterrupt = (): void => {};
  process.on('SIGINT', ignoreInterrupt);
  try {
    const pager = env.PAGER?.trim() || 'less -R';
    await new Promise<void>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', pager], {stdio: ['pipe', 'inherit', 'inherit']});
      child.once('error', reject);
      // The shell's own "not found" was drawn over by the UI on return: say it in the status bar.
      child.once('exit', (code) => {
        if (code === 0 || code === null) resolve();
        else reject(new Error(code === 127 ? `"${pager}" was not found (set PAGER to a pager you have)` : `"${pager}" exited with code ${code}`));
      });
      // A pager quit before reading everything closes the pipe: that is not an error.
      child.stdin.on('error', () => {});
      child.stdin.end(text);
    });
  } finally {
    process.off('SIGINT', ignoreInterrupt);
    for (const listener of heldListeners) process.on('SIGINT', listener as NodeJS.SignalsListener);
  }
}
