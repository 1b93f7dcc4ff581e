/** What the keymap needs from the terminal around it; `render.tsx` provides the real one, tests a fake. */
export interface UiHost {
  /** Hands the terminal to `$PAGER` on `text`, and takes it back when the pager exits. */
  openPager(text: string): Promise<void>;
  /** Puts text on the clipboard (OSC 52). */
  copyToClipboard(text: string): void;
  /** Leaves the UI without stopping the stack (attached to a daemon). */
  detach(): void;
  /** Gives the terminal back to the shell and stops procdeck's job, as Ctrl-z does to any program; `fg` resumes. */
  suspend(): void;
  /**
   * False while the terminal is someone else's (the pager, the shell while
   * suspended): keys read with the one that handed it over are dropped, not
   * acted on (`e` then `x` in one read must not stop a process).
   */
  acceptsKeys(): boolean;
}
