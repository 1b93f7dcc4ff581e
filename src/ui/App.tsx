/**
 * The root component: feeds key presses to the keymap. With `drawsItself`
 * (the real terminal) it renders nothing: runTui draws the store's frames
 * through ScreenStream. Otherwise (tests) it renders them through Ink.
 */
import {useInput, useStdin, type Key} from 'ink';
import {useCallback, useSyncExternalStore} from 'react';
import {Screen} from './components/Screen.js';
import type {UiHost} from './host.js';
import {toKeyPresses} from './key-names.js';
import {handleKey} from './keymap.js';
import type {UiStore} from './store.js';

export function App({store, host, drawsItself = false}: {store: UiStore; host: UiHost; drawsItself?: boolean}) {
  const onInput = useCallback((input: string, key: Key) => {
    for (const press of toKeyPresses(input, key)) handleKey({store, host}, press);
  }, [store, host]);
  // Without a terminal on stdin (piped), the screen still shows; signals still stop the stack.
  const {isRawModeSupported} = useStdin();
  useInput(onInput, {isActive: isRawModeSupported});
  return drawsItself ? null : <InkScreen store={store} />;
}

function InkScreen({store}: {store: UiStore}) {
  const frame = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return <Screen frame={frame} />;
}
