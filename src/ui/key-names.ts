/** Turns Ink's (input, key) pair into one name the keymap can match: `j`, `down`, `ctrl-u`, `Q`. */
import type {Key} from 'ink';

/** A key press: `name` is what the keymap matches; `text` is what a prompt types (empty for special keys). */
export interface KeyPress {
  name: string;
  text: string;
}

/**
 * The presses in one chunk of input. Keys typed faster than they are read
 * arrive together ("jj\t", "/word\r"): control characters in such a chunk
 * are presses of their own (Enter, Tab, Backspace, Ctrl-x), so typing ahead
 * loses nothing. Runs of printable text stay together, for prompts.
 */
export function toKeyPresses(input: string, key: Key): KeyPress[] {
  // eslint-disable-next-line no-control-regex
  if (input.length <= 1 || key.ctrl || key.meta || !/[\u0000-\u001F\u007F]/.test(input)) return [toKeyPress(input, key)];
  const presses: KeyPress[] = [];
  // eslint-disable-next-line no-control-regex
  for (const part of input.split(/(\r\n|[\u0000-\u001F\u007F])/)) {
    if (part === '') continue;
    const control = namesOfControls[part] ?? (part.length === 1 && part < ' ' ? `ctrl-${String.fromCharCode(part.charCodeAt(0) + 96)}` : null);
    presses.push(control ? {name: control, text: ''} : {name: part, text: part});
  }
  return presses;
}

const namesOfControls: Record<string, string> = {
  '\r\n': 'enter', '\r': 'enter', '\n': 'enter', '\t': 'tab', '\u007F': 'backspace', '\b': 'backspace', '\u001B': 'escape',
};

/** Names a key press; printable input (a paste arrives whole) is its own name and text. */
export function toKeyPress(input: string, key: Key): KeyPress {
  const name = toKeyName(input, key);
  // eslint-disable-next-line no-control-regex
  const isText = name === input && input.length > 0 && !key.ctrl && !key.meta && !/[\u0000-\u001F\u007F]/.test(input);
  return {name, text: isText ? input : ''};
}

/** The key's name: `down`, `ctrl-u`, `enter`, or the typed character itself. */
export function toKeyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  // Terminals send DEL (0x7f) for Backspace, which Ink reports as delete.
  if (key.backspace || key.delete) return 'backspace';
  if (key.escape) return 'escape';
  if (key.ctrl && input.length === 1) return `ctrl-${input.toLowerCase()}`;
  return input;
}

const displayNames: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
  enter: 'Enter', tab: 'Tab', escape: 'Esc', backspace: 'Backspace',
};

/** How a key name reads in the help overlay: `↓`, `Ctrl-u`, `PgUp`. */
export function displayKeyName(name: string): string {
  if (name.startsWith('ctrl-')) return `Ctrl-${name.slice(5)}`;
  return displayNames[name] ?? name;
}
