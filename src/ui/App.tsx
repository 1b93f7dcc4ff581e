/** The root component: reads the store's frames and feeds key presses to the keymap. */
import {useInput, useStdin, type Key} from 'ink';
import {useCallback, useSyncExternalStore} from 'react';
import {Screen} from './components/Screen.js';
import type {UiHost} from './host.js';
import {toKeyPresses} from './key-names.js';
import {handleKey} from './keymap.js';
import type {UiStore} from './store.js';

export function App({store, host}: {store: UiStore; host: UiHost}) {
  const frame = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const onInput = useCallback((input: string, key: Key) => {
    for (const press of toKeyPresses(input, key)) handleKey({store, host}, press);
  }, [store, host]);
  // Without a terminal on stdin (piped), the screen still shows; signals still stop the stack.
  const {isRawModeSupported} = useStdin();
  useInput(onInput, {isActive: isRawModeSupported});
  return <Screen frame={frame} />;
}
