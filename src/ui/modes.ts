/**
 * Keys while a prompt (search, filter, stdin input), the signal menu, the
 * help overlay or the quit question is open. They take every key first;
 * Ctrl-C still quits from anywhere.
 */
import {menuSignals} from '../core/commands.js';
import type {UiHost} from './host.js';
import type {KeyPress} from './key-names.js';
import {anchorAround, findMatch, newestSeq} from './scroll.js';
import {compileMatcher} from './search.js';
import type {Mode, UiStore} from './store.js';

export interface KeyContext {
  store: UiStore;
  host: UiHost;
}

/** Handles the key if a mode is open; false lets the keymap have it. */
export function handleModeKey(ctx: KeyContext, press: KeyPress): boolean {
  const {mode} = ctx.store.state;
  if (mode.kind === 'normal') return false;
  if (press.name === 'ctrl-c') {
    ctx.store.update({mode: {kind: 'normal'}});
    // A second Ctrl-C at the quit question is the second Ctrl-C of SPEC §6: force quit. Asking again would trap the user.
    if (mode.kind === 'confirm-quit') {
      quit(ctx, true);
      return true;
    }
    return false;
  }
  switch (mode.kind) {
    case 'help':
      // Paging keys turn the pages of a help that does not fit; any other key closes it.
      if (['j', 'down', 'pagedown', ' '].includes(press.name)) ctx.store.update({mode: {kind: 'help', page: mode.page + 1}});
      else if (['k', 'up', 'pageup'].includes(press.name)) ctx.store.update({mode: {kind: 'help', page: Math.max(0, mode.page - 1)}});
      else ctx.store.update({mode: {kind: 'normal'}});
      return true;
    case 'confirm-quit':
      handleConfirmKey(ctx, press);
      return true;
    case 'signals':
      handleSignalKey(ctx, mode, press);
      return true;
    case 'prompt':
      handlePromptKey(ctx, mode, press);
      return true;
  }
}

/** Starts a graceful (or forced) shutdown; attached to a daemon, asks first. */
export function quit(ctx: KeyContext, force: boolean): void {
  const {store} = ctx;
  // Attached, once a force quit is asked for, one more key leaves: a daemon
  // that does not answer (stopped with SIGSTOP, hung) would hold the UI for ever.
  if (store.state.quitting === 'force' && store.api.snapshot().remote) {
    ctx.host.detach();
    return;
  }
  // A second q or Ctrl-C while stopping means: do not wait any longer.
  const isForced = force || store.state.quitting !== null;
  if (!isForced && store.api.snapshot().remote) {
    store.update({mode: {kind: 'confirm-quit'}});
    return;
  }
  store.update({quitting: isForced ? 'force' : 'graceful', mode: {kind: 'normal'}});
  void store.dispatch({type: 'shutdown', force: isForced});
}

function handleConfirmKey(ctx: KeyContext, press: KeyPress): void {
  const {store} = ctx;
  if (press.name === 'y') {
    store.update({quitting: 'graceful', mode: {kind: 'normal'}});
    void store.dispatch({type: 'shutdown'});
  } else if (press.name === 'd') {
    store.update({mode: {kind: 'normal'}});
    ctx.host.detach();
  } else if (press.name === 'escape' || press.name === 'n') {
    store.update({mode: {kind: 'normal'}});
  }
}

function handleSignalKey(ctx: KeyContext, mode: Extract<Mode, {kind: 'signals'}>, press: KeyPress): void {
  const {store} = ctx;
  const count = menuSignals.length;
  const send = (index: number): void => {
    const signal = menuSignals[index];
    store.update({mode: {kind: 'normal'}});
    if (signal) void store.dispatch({type: 'signal', target: mode.target, signal});
  };
  if (press.name === 'j' || press.name === 'down') {
    store.update({mode: {...mode, index: (mode.index + 1) % count}});
  } else if (press.name === 'k' || press.name === 'up') {
    store.update({mode: {...mode, index: (mode.index + count - 1) % count}});
  } else if (press.name === 'enter') {
    send(mode.index);
  } else if (/^[1-9]$/.test(press.name) && Number(press.name) <= count) {
    send(Number(press.name) - 1);
  } else if (press.name === 'escape' || press.name === 'q' || press.name === '!') {
    store.update({mode: {kind: 'normal'}});
  }
}

function handlePromptKey(ctx: KeyContext, mode: Extract<Mode, {kind: 'prompt'}>, press: KeyPress): void {
  const {store} = ctx;
  switch (press.name) {
    case 'escape':
      store.update({mode: {kind: 'normal'}});
      return;
    case 'enter':
      commitPrompt(ctx, mode);
      return;
    case 'backspace':
      store.update({mode: {...mode, text: Array.from(mode.text).slice(0, -1).join('')}});
      return;
    case 'ctrl-u':
      store.update({mode: {...mode, text: ''}});
      return;
    default:
      if (press.text) store.update({mode: {...mode, text: mode.text + press.text.replace(/[\r\n]+/g, ' ')}});
  }
}

function commitPrompt(ctx: KeyContext, mode: Extract<Mode, {kind: 'prompt'}>): void {
  const {store} = ctx;
  const text = mode.text;
  switch (mode.purpose) {
    case 'input':
      // Input mode stays open: Enter sends a line, Esc leaves.
      store.update({mode: {...mode, text: ''}});
      if (mode.target) void store.dispatch({type: 'input', target: mode.target, text});
      return;
    case 'filter':
      store.update({
        mode: {kind: 'normal'},
        filter: text ? compileMatcher(text) : null,
        anchorSeq: null,
        matchSeq: null,
        status: {text: text ? `showing only lines with "${text}" (f clears)` : 'filter cleared', ok: true},
      });
      return;
    case 'search':
      commitSearch(ctx, text);
      return;
  }
}

function commitSearch({store}: KeyContext, text: string): void {
  if (!text) {
    store.update({mode: {kind: 'normal'}, search: null, matchSeq: null});
    return;
  }
  const search = compileMatcher(text);
  const context = store.scrollContext();
  // Back from where the pane is, as from the newest line when following; scrolled up, the lines below count too.
  const {anchorSeq} = store.state;
  const match = context
    ? (findMatch(context, search, anchorSeq ?? newestSeq(context) + 1, true) ?? (anchorSeq === null ? null : findMatch(context, search, anchorSeq - 1, false)))
    : null;
  if (!context || !match) {
    store.update({mode: {kind: 'normal'}, search, matchSeq: null, status: {text: `no match for "${text}"`, ok: false}});
    return;
  }
  store.update({
    mode: {kind: 'normal'},
    search,
    matchSeq: match.seq,
    anchorSeq: anchorAround(context, match.seq),
    status: {text: `found "${text}" (n older, N newer, Esc clears)`, ok: true},
  });
}
