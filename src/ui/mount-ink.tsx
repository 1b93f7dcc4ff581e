/**
 * Mounts Ink for key input. Loaded by runTui only after the first frame is
 * on screen: Ink, React and Yoga take longer to load than drawing a frame.
 *
 * Test hook: with PROCDECK_TEST_CRASH=1 in the environment, a component
 * throws inside a React render half a second after mounting, so end-to-end
 * tests can check that a crash leaves the terminal usable and the stack stopped.
 */
import {render, type Instance} from 'ink';
import {useEffect, useState, type ReactNode} from 'react';
import {App} from './App.js';
import type {UiHost} from './host.js';
import type {UiStore} from './store.js';

export interface InkMount {
  unmount(): void;
  /** Settles when Ink exits; rejects with the error of a failed render. */
  exited: Promise<unknown>;
}

/** Renders the App (which draws nothing itself) so that Ink reads the keys. */
export function mountInk(options: {store: UiStore; host: UiHost; stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream}): InkMount {
  const isCrashTest = process.env.PROCDECK_TEST_CRASH === '1';
  const instance: Instance = render(
    <CrashProbe isEnabled={isCrashTest}>
      <App store={options.store} host={options.host} drawsItself />
    </CrashProbe>,
    {
      stdout: options.stdout,
      stdin: options.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      // Ink only reads keys here; debug mode skips its throttled output path, which would draw nothing anyway.
      debug: true,
    },
  );
  return {unmount: () => instance.unmount(), exited: instance.waitUntilExit()};
}

/** See the module comment: throws during a render once enabled and mounted for half a second. */
function CrashProbe({isEnabled, children}: {isEnabled: boolean; children: ReactNode}) {
  const [shouldCrash, setShouldCrash] = useState(false);
  useEffect(() => {
    if (!isEnabled) return undefined;
    const timer = setTimeout(() => setShouldCrash(true), 500);
    return () => clearTimeout(timer);
  }, [isEnabled]);
  if (shouldCrash) throw new Error('PROCDECK_TEST_CRASH=1: the terminal UI failed on purpose');
  return children;
}
