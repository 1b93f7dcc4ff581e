/**
 * The terminal UI's entry point. `start` and `attach` import this module
 * lazily, only when stdout is a terminal, so headless runs never load it.
 * It draws the first frame before loading Ink (mount-ink.tsx), which only
 * reads keys. PROCDECK_TEST_CRASH=1 makes the UI fail on purpose (see
 * mount-ink.tsx) for the end-to-end tests.
 */
import type {FirstStatus, InstanceId, SupervisorApi} from '../core/api.js';
import {beginUiStartup, endUiStartup} from '../runtime-gc.js';
import type {UiHost} from './host.js';
import type {Size} from './layout.js';
import {UiStore} from './store.js';
import type {InkMount} from './mount-ink.js';
import {importInk} from './import-ink.js';
import {isForegroundJob} from '../foreground-job.js';
import {InkSink, openKeyboard, resumeReadingTerminal, runPager, ScreenWriter, stopReadingTerminal, TerminalModes, toOsc52} from './terminal.js';
import {renderScreen} from './view/screen.js';

export interface TuiOptions {
  /** The engine's stats interval: the sparklines keep a minute of samples. */
  statsIntervalMs: number;
  noColor: boolean;
  /** Instances the caller starts once the first frame is up, and as what: shown so meanwhile, not stopped. */
  launching?: ReadonlyMap<InstanceId, FirstStatus>;
  /** Ink (it only reads keys) loads once this settles, so that the caller's start-up work goes first. */
  inkAfter?: Promise<unknown>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** How the UI ended: detached from a daemon, or the stack stopped; `quitHere` when this UI asked for that stop (q, Q, Ctrl-C). */
export interface TuiEnd {
  detached: boolean;
  quitHere: boolean;
}

/**
 * Runs the UI over `api` until the stack has stopped (after `q`, `Q`, or a
 * signal to procdeck) or the user detaches from a daemon. If the UI itself
 * fails, it restores the terminal, stops the stack (not a daemon's), and
 * rejects with the error.
 */
export async function runTui(api: SupervisorApi, options: TuiOptions): Promise<TuiEnd> {
  beginUiStartup();
  // `procdeck < /dev/null` still has a keyboard: the terminal itself, as less and fzf read it.
  const keyboard = options.stdin ? null : openKeyboard();
  const stdin = options.stdin ?? keyboard ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const modes = new TerminalModes(stdin, stdout);
  const screen = new ScreenWriter(stdout);
  const sink = new InkSink(stdout);
  const store = new UiStore(api, {
    size: sizeOf(stdout),
    noColor: options.noColor,
    historySamples: Math.max(2, Math.min(600, Math.round(60_000 / Math.max(1, options.statsIntervalMs || 1000)))),
    ...(options.launching && {launching: options.launching}),
  });

  return new Promise((resolve, reject) => {
    let ink: InkMount | null = null;
    let mountInk: typeof import('./mount-ink.js').mountInk | null = null;
    let isDone = false;
    let isPagerOpen = false;
    /** Ctrl-z or SIGTSTP: the shell has the terminal until SIGCONT finds us in the foreground again. */
    let isSuspended = false;
    /** suspend() took the terminal back itself; the SIGCONT that woke it is still to come. */
    let isContinueHandled = false;
    let isStackStopped = false;
    let resizeTimer: NodeJS.Timeout | null = null;

    const draw = (): void => screen.draw(renderScreen(store.getSnapshot()));

    const mount = (): void => {
      screen.isPaused = false;
      if (!mountInk || ink) return;
      const mounted = mountInk({store, host, stdin, stdout: sink.asWriteStream()});
      ink = mounted;
      // Ink's error boundary turns a render error into a rejected exit.
      mounted.exited.catch((error: unknown) => void crash(error));
    };

    const unmount = (): void => {
      screen.isPaused = true;
      const instance = ink;
      ink = null;
      instance?.unmount();
    };

    // Coalesce a burst of resize events (a window being dragged) into one full redraw.
    const onResize = (): void => {
      if (resizeTimer) return;
      resizeTimer = setTimeout(() => {
        resizeTimer = null;
        if (isDone || isPagerOpen || isSuspended) return;
        screen.invalidate();
        store.setSize(sizeOf(stdout));
      }, 15);
    };

    /** Takes the terminal back after the pager or a suspension: the shell or the pager may have changed anything. */
    const takeTerminalBack = (): void => {
      modes.enter();
      // After a stop the shell put the terminal back in cooked mode behind our back, and
      // libuv skips setting a mode it believes is already set: leave raw mode, then enter it.
      if (stdin.isTTY) {
        stdin.setRawMode(false);
        stdin.setRawMode(true);
      }
      screen.invalidate();
      mount();
      if (ink) resumeReadingTerminal(stdin);
      store.setSize(sizeOf(stdout));
    };

    // The terminal's Ctrl-z sends no SIGTSTP in raw mode, so the key does what it would;
    // `kill -TSTP` gets the same. The whole job stops (npm start's npm and sh too, or the
    // shell would go on waiting for them), procdeck last, with the terminal restored.
    // With the pager open, the pager restores the terminal itself: the job just stops.
    const onSuspendSignal = (): void => suspend();
    const suspend = (): void => {
      if (isDone) return;
      if (!isPagerOpen && !isSuspended) {
        isSuspended = true;
        unmount();
        modes.restore();
        stopReadingTerminal(stdin);
      }
      process.off('SIGTSTP', onSuspendSignal); // the default action, stopping, for the signal below
      try {
        process.kill(0, 'SIGTSTP');
      } finally {
        // Here again once continued, or at once if the stop was refused (an orphaned process group).
        process.on('SIGTSTP', onSuspendSignal);
      }
      if (isPagerOpen) return;
      resumeIfForeground();
      isContinueHandled = !isSuspended;
    };
    const resumeIfForeground = (): void => {
      // Continued in the background (bg, or kill -CONT): the terminal is the shell's until fg.
      if (isDone || !isSuspended || !isForegroundJob()) return;
      stopForegroundPoll();
      isSuspended = false;
      takeTerminalBack();
    };
    // SIGCONT after a stop procdeck did not see coming (kill -STOP, which the shell saw and took
    // the terminal back), or after `bg` then `fg`.
    const onContinue = (): void => {
      const isHandled = isContinueHandled;
      isContinueHandled = false;
      if (isDone || isPagerOpen || isHandled) return;
      if (isForegroundJob()) {
        isSuspended = false;
        takeTerminalBack();
        return;
      }
      // In the background: draw nothing over the shell, and touch no terminal mode (that
      // would stop procdeck with SIGTTOU). The shell saw the job continue, so its `fg` will
      // hand over the terminal without a SIGCONT: look for that.
      isSuspended = true;
      screen.isPaused = true;
      foregroundPoll ??= setInterval(() => {
        if (isDone || !isSuspended || isForegroundJob()) {
          stopForegroundPoll();
          resumeIfForeground();
        }
      }, 200);
    };
    let foregroundPoll: NodeJS.Timeout | undefined;
    const stopForegroundPoll = (): void => {
      clearInterval(foregroundPoll);
      foregroundPoll = undefined;
    };

    const host: UiHost = {
      async openPager(text) {
        if (isDone || isPagerOpen) return;
        isPagerOpen = true;
        unmount();
        modes.restore();
        stopReadingTerminal(stdin);
        try {
          await runPager(text);
        } finally {
          isPagerOpen = false;
          if (!isDone) takeTerminalBack();
        }
      },
      suspend,
      acceptsKeys: () => !isDone && !isPagerOpen && !isSuspended,
      copyToClipboard(text) {
        stdout.write(toOsc52(text));
      },
      detach() {
        finish(true);
      },
    };

    const onFatal = (error: unknown): void => void crash(error);
    // The terminal went away (closed window, EIO): stop drawing, and stop the
    // stack (or just leave, attached to a daemon) instead of failing on every write.
    const onOutputError = (): void => {
      screen.isPaused = true;
      if (api.snapshot().remote) finish(true);
      else void api.dispatch({type: 'shutdown'}).catch(() => undefined);
    };
    const onExit = (): void => modes.restore();
    const offStopped = api.on('stopped', () => {
      isStackStopped = true;
      finish(false);
    });

    const release = (): void => {
      isDone = true;
      if (resizeTimer) clearTimeout(resizeTimer);
      stopForegroundPoll();
      stdout.off('resize', onResize);
      stdout.off('error', onOutputError);
      offFrames();
      process.off('uncaughtException', onFatal);
      process.off('unhandledRejection', onFatal);
      process.off('SIGTSTP', onSuspendSignal);
      process.off('SIGCONT', onContinue);
      try {
        unmount();
      } finally {
        store.dispose();
        modes.restore();
        keyboard?.destroy();
        process.off('exit', onExit);
      }
    };

    const finish = (detached: boolean): void => {
      if (isDone) return;
      offStopped();
      release();
      resolve({detached, quitHere: store.state.quitting !== null});
    };

    const crash = async (error: unknown): Promise<void> => {
      if (isDone) return;
      try {
        release();
      } catch {
        // The terminal is restored in release's finally; a second failure adds nothing.
      }
      // Attached to a daemon, the stack is not ours to stop: the daemon keeps running it.
      const isRemote = (() => {
        try {
          return api.snapshot().remote;
        } catch {
          return false;
        }
      })();
      process.stderr.write(`procdeck: the terminal UI failed; ${isRemote ? 'the stack keeps running' : 'stopping every process'}\n`);
      try {
        if (!isStackStopped && !isRemote) await stopStack(api, () => isStackStopped);
      } finally {
        offStopped();
        reject(error);
      }
    };

    // Frames go straight from the store to the terminal, not through React.
    const offFrames = store.subscribe(() => {
      try {
        draw();
      } catch (error) {
        void crash(error);
      }
    });
    stdout.on('resize', onResize);
    stdout.on('error', onOutputError);
    process.on('uncaughtException', onFatal);
    process.on('unhandledRejection', onFatal);
    process.on('exit', onExit);
    process.on('SIGTSTP', onSuspendSignal);
    process.on('SIGCONT', onContinue);
    modes.enter();
    // Raw mode before the first frame: keys typed meanwhile must neither echo
    // onto the screen nor wait in the terminal's line buffer.
    if (stdin.isTTY) stdin.setRawMode(true);
    screen.isPaused = false;
    draw();
    // Its outcome is the caller's to handle; the keys are needed either way.
    const inkTurn = options.inkAfter?.catch(() => undefined) ?? Promise.resolve();
    inkTurn.then(importInk).then(
      (module) => {
        mountInk = module.mountInk;
        if (!isDone && !isPagerOpen) mount();
        // Once Ink is in and the first stats are on screen, start-up is over.
        setTimeout(endUiStartup, 1000).unref();
      },
      (error: unknown) => void crash(error),
    );
  });
}

/** Stops the stack after a UI failure: gracefully, then by force if it takes too long. */
async function stopStack(api: SupervisorApi, isStopped: () => boolean): Promise<void> {
  const waitUntilStopped = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (isStopped()) {
        resolve(true);
        return;
      }
      const timer = setTimeout(() => {
        off();
        resolve(isStopped());
      }, ms);
      const off = api.on('stopped', () => {
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  await api.dispatch({type: 'shutdown'}).catch(() => undefined);
  // Every stop timeout has passed by then; force what is left.
  if (await waitUntilStopped(60_000)) return;
  await api.dispatch({type: 'shutdown', force: true}).catch(() => undefined);
  await waitUntilStopped(10_000);
}

function sizeOf(stdout: NodeJS.WriteStream): Size {
  return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}
