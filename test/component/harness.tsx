/** Renders the real App over a FakeApi with ink-testing-library, and drives it with keys. */
import {render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {App} from '../../src/ui/App.js';
import type {UiHost} from '../../src/ui/host.js';
import {UiStore} from '../../src/ui/store.js';
import type {FakeApi} from '../helpers/fake-api.js';

/** Escape sequences a terminal sends for keys Ink names. */
export const keys = {
  down: '\u001B[B', up: '\u001B[A', pageUp: '\u001B[5~', pageDown: '\u001B[6~', tab: '\t', enter: '\r',
  escape: '\u001B', backspace: '\u007F', ctrlC: '\u0003', ctrlU: '\u0015', ctrlD: '\u0004',
} as const;

export class FakeHost implements UiHost {
  readonly pagerTexts: string[] = [];
  readonly clipboard: string[] = [];
  detached = 0;
  async openPager(text: string): Promise<void> {
    this.pagerTexts.push(text);
  }
  copyToClipboard(text: string): void {
    this.clipboard.push(text);
  }
  suspended = 0;
  suspend(): void {
    this.suspended += 1;
  }
  acceptsKeys(): boolean {
    return true;
  }
  detach(): void {
    this.detached += 1;
  }
}

export interface UiHarness {
  store: UiStore;
  host: FakeHost;
  /** The last frame with its ANSI codes. */
  frame(): string;
  /** The last frame as plain text. */
  screen(): string;
  /** Types keys one press at a time, letting Ink see each. */
  press(...sequences: string[]): Promise<void>;
  /** Waits until the plain screen satisfies `check`; on timeout fails with the last screen. */
  waitForScreen(check: (screen: string) => boolean, what?: string): Promise<string>;
  /** Waits until the raw frame (ANSI included) satisfies `check`. */
  waitForFrame(check: (frame: string) => boolean, what?: string): Promise<string>;
  unmount(): void;
}

export async function renderUi(api: FakeApi, options: {columns?: number; rows?: number; noColor?: boolean; launching?: ReadonlyMap<string, 'starting' | 'waiting'>} = {}): Promise<UiHarness> {
  const store = new UiStore(api, {
    size: {columns: options.columns ?? 100, rows: options.rows ?? 30},
    noColor: options.noColor ?? false,
    frameIntervalMs: 1,
    ...(options.launching && {launching: options.launching}),
  });
  const host = new FakeHost();
  const ink = render(<App store={store} host={host} />);
  // Ink attaches its stdin listener in an effect: give it a turn before typing.
  await tick();
  const frame = (): string => ink.lastFrame() ?? '';
  const waitForFrame = async (check: (frame: string) => boolean, what = 'the expected frame'): Promise<string> => {
    const deadline = Date.now() + 3000;
    for (;;) {
      const current = frame();
      if (check(current)) return current;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${stripAnsi(current)}`);
      await tick(10);
    }
  };
  return {
    store,
    host,
    frame,
    screen: () => stripAnsi(frame()),
    async press(...sequences) {
      for (const sequence of sequences) {
        ink.stdin.write(sequence);
        await tick(5);
      }
    },
    waitForScreen: async (check, what) => stripAnsi(await waitForFrame((raw) => check(stripAnsi(raw)), what)),
    waitForFrame,
    unmount() {
      ink.unmount();
      store.dispose();
    },
  };
}

export function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
