/** What the keymap needs from the terminal around it; `render.tsx` provides the real one, tests a fake. */
export interface UiHost {
  /** Hands the terminal to `$PAGER` on `text`, and takes it back when the pager exits. */
  openPager(text: string): Promise<void>;
  /** Puts text on the clipboard (OSC 52). */
  copyToClipboard(text: string): void;
  /** Leaves the UI without stopping the stack (attached to a daemon). */
  detach(): void;
}
