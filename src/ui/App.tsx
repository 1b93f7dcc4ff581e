/** The root component: reads the store's frames and feeds key presses to the keymap. */
import {useInput, type Key} from 'ink';
import {useCallback, useSyncExternalStore} from 'react';
import {Screen} from './components/Screen.js';
import type {UiHost} from './host.js';
import {toKeyPress} from './key-names.js';
import {handleKey} from './keymap.js';
import type {UiStore} from './store.js';

export function App({store, host}: {store: UiStore; host: UiHost}) {
  const frame = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const onInput = useCallback((input: string, key: Key) => handleKey({store, host}, toKeyPress(input, key)), [store, host]);
  useInput(onInput);
  return <Screen frame={frame} />;
}
