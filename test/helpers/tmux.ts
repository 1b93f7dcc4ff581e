/**
 * Drives a real terminal for end-to-end UI tests: a private tmux server
 * (`tmux -L procdeck-test-<pid>-<n>`), one 120x40 session running `sh`, keys sent
 * with send-keys, the screen read with capture-pane.
 */
import {execFileSync} from 'node:child_process';
import {rmSync} from 'node:fs';
import path from 'node:path';

export interface TmuxOptions {
  cwd: string;
  columns?: number;
  rows?: number;
  /** Extra environment for the shell in the pane. CI is always removed: procdeck shows no UI under CI. */
  env?: Record<string, string>;
}

let terminalsOpened = 0;

export class TmuxTerminal {
  // One server per terminal: reusing a socket name right after kill-server
  // can race the old server's exit ("server exited unexpectedly").
  readonly socket = `procdeck-test-${process.pid}-${++terminalsOpened}`;
  private readonly target = 'e2e';
  private lastScreen = '';

  private constructor() {}

  /** Starts a shell (prompt `$ `) in a new session of a private tmux server. */
  static async open(options: TmuxOptions): Promise<TmuxTerminal> {
    const terminal = new TmuxTerminal();
    const env = Object.entries({PS1: '$ ', ...options.env}).map(([key, value]) => `${key}=${shellQuote(value)}`);
    terminal.tmux(
      'new-session', '-d', '-s', terminal.target,
      '-x', String(options.columns ?? 120), '-y', String(options.rows ?? 40),
      '-c', options.cwd,
      `env -u CI ${env.join(' ')} sh`,
    );
    // Keep the pane's size ours, not the (absent) client's.
    terminal.tmux('set-option', '-t', terminal.target, 'window-size', 'manual');
    await terminal.waitForScreen((screen) => screen.includes('$'), {what: 'the shell prompt'});
    return terminal;
  }

  /** Sends keys by tmux name (`Enter`, `Escape`, `C-c`, `j`). */
  sendKeys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.target, ...keys);
  }

  /** Types text literally, then Enter when asked. */
  type(text: string, options: {enter?: boolean} = {}): void {
    this.tmux('send-keys', '-t', this.target, '-l', text);
    if (options.enter) this.sendKeys('Enter');
  }

  /** The visible screen as plain text. */
  capture(): string {
    this.lastScreen = this.tmux('capture-pane', '-p', '-t', this.target);
    return this.lastScreen;
  }

  /** Terminal modes a program can leave behind, as tmux tracks them for the pane. */
  modes(): {alternateScreen: boolean; mouse: boolean; scrollRegion: string; cursorVisible: boolean} {
    const [alternate, mouse, upper, lower, cursor] = this.tmux(
      'display-message', '-p', '-t', this.target,
      '#{alternate_on} #{mouse_any_flag} #{scroll_region_upper} #{scroll_region_lower} #{cursor_flag}',
    ).trim().split(' ');
    return {alternateScreen: alternate === '1', mouse: mouse === '1', scrollRegion: `${upper}-${lower}`, cursorVisible: cursor === '1'};
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.target, '-x', String(columns), '-y', String(rows));
  }

  /** Polls the screen until `check` accepts it, and fails with the last screen seen when `timeoutMs` passes. */
  async waitForScreen(check: (screen: string) => boolean, options: {timeoutMs?: number; what?: string} = {}): Promise<string> {
    return this.waitForValue((screen) => (check(screen) ? screen : null), options);
  }

  /** Polls the screen until `read` finds a value in it (not null, undefined or false). */
  async waitForValue<T>(
    read: (screen: string) => T | false | undefined | null,
    options: {timeoutMs?: number; what?: string} = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = read(this.capture());
      if (value !== false && value !== undefined && value !== null) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs}ms waiting for ${options.what ?? 'the screen'}; last screen:\n${this.lastScreen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ends the tmux server and everything it runs (the pane's shell gets SIGHUP), and removes its socket file. */
  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // The server is already gone (its last session ended).
    }
    // tmux 3.3 leaves the socket file behind after kill-server; one per terminal would pile up in /tmp.
    rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), {force: true});
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
  }
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
