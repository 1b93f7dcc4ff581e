/**
 * Every key of the UI in one table. `handleKey` dispatches through it and the
 * help overlay renders it, so the two cannot disagree. Prompts, the signal
 * menu and the quit question take keys first while they are open (modes.ts).
 */
import type {InstanceSnapshot} from '../core/api.js';
import type {Command} from '../core/commands.js';
import type {KeyPress} from './key-names.js';
import {readAll} from './log-window.js';
import {formatPlainLine} from './log-view.js';
import {displayText} from './view/safe-text.js';
import {handleModeKey, quit} from './modes.js';
import {buildListRows} from './rows.js';
import {newestSeq, scrollDown, scrollToTop, scrollUp, findMatch, anchorAround} from './scroll.js';
import type {KeyContext} from './modes.js';

export type {KeyContext} from './modes.js';

export interface KeyBinding {
  /** Key names as `toKeyName` produces them; the first is the one hints show. */
  readonly keys: readonly string[];
  readonly label: string;
  readonly run: (ctx: KeyContext) => void;
}

export const keymap: readonly KeyBinding[] = [
  {keys: ['j', 'down'], label: 'next process (log focus: scroll down)', run: (ctx) => moveOrScroll(ctx, 1)},
  {keys: ['k', 'up'], label: 'previous process (log focus: scroll up)', run: (ctx) => moveOrScroll(ctx, -1)},
  {keys: ['tab'], label: 'move focus between list and log', run: ({store}) => store.update({focus: store.state.focus === 'list' ? 'log' : 'list'})},
  {keys: ['pageup'], label: 'scroll the log up a page', run: (ctx) => scrollBy(ctx, -pageOf(ctx))},
  {keys: ['pagedown'], label: 'scroll the log down a page', run: (ctx) => scrollBy(ctx, pageOf(ctx))},
  {keys: ['ctrl-u'], label: 'scroll up half a page', run: (ctx) => scrollBy(ctx, -halfPageOf(ctx))},
  {keys: ['ctrl-d'], label: 'scroll down half a page', run: (ctx) => scrollBy(ctx, halfPageOf(ctx))},
  {keys: ['g', 'home'], label: 'top of the log', run: jumpToTop},
  {keys: ['G', 'end'], label: 'bottom of the log, follow again', run: ({store}) => store.update({anchorSeq: null})},
  {keys: ['s'], label: 'start the process', run: (ctx) => dispatchForInstance(ctx, 'start', (id) => ({type: 'start', target: id}))},
  {keys: ['x'], label: 'stop it (stop signal, timeout, SIGKILL)', run: (ctx) => dispatchForInstance(ctx, 'stop', (id) => ({type: 'stop', target: id}))},
  {keys: ['r'], label: 'restart it', run: (ctx) => dispatchForInstance(ctx, 'restart', (id) => ({type: 'restart', target: id}))},
  {keys: ['!'], label: 'signal menu (to the process group)', run: openSignalMenu},
  {keys: ['+'], label: 'scale its type up by one', run: (ctx) => scale(ctx, 1)},
  {keys: ['-'], label: 'scale its type down by one', run: (ctx) => scale(ctx, -1)},
  {keys: ['/'], label: 'search the log', run: ({store}) => store.update({mode: {kind: 'prompt', purpose: 'search', text: ''}})},
  {keys: ['n'], label: 'next (older) match', run: (ctx) => jumpToMatch(ctx, true)},
  {keys: ['N'], label: 'previous (newer) match', run: (ctx) => jumpToMatch(ctx, false)},
  {
    keys: ['escape'],
    label: 'clear the search',
    // The status said how to move between matches: it goes with them.
    run: ({store}) => store.update({search: null, matchSeq: null, ...(store.state.search ? {status: {text: 'search cleared', ok: true}} : {})}),
  },
  {keys: ['f'], label: 'filter lines (f again clears)', run: toggleFilter},
  {keys: ['e'], label: 'open the whole log in $PAGER', run: openPager},
  {keys: ['y'], label: 'copy the visible lines (OSC 52)', run: copyVisible},
  {keys: ['i'], label: 'input mode: type a line for stdin', run: openInput},
  {keys: ['c'], label: 'clear the log (here only)', run: clearLog},
  {keys: ['w'], label: 'toggle line wrap', run: ({store}) => store.update({wrap: !store.state.wrap, status: {text: `wrap ${store.state.wrap ? 'off' : 'on'}`, ok: true}})},
  {keys: ['?'], label: 'this help', run: ({store}) => store.update({mode: {kind: 'help', page: 0}})},
  {keys: ['q', 'ctrl-c'], label: 'quit gracefully (attached: stop or detach)', run: (ctx) => quit(ctx, false)},
  {keys: ['Q'], label: 'force quit: SIGKILL every process group', run: (ctx) => quit(ctx, true)},
  {keys: ['ctrl-z'], label: 'suspend to the shell (fg resumes)', run: ({host}) => host.suspend()},
];

/** Acts on one key press. */
export function handleKey(ctx: KeyContext, press: KeyPress): void {
  if (!ctx.host.acceptsKeys()) return;
  // Keys typed faster than they are read arrive as one chunk ("jjr"): outside
  // a prompt each character is its own key, and one may open a prompt for the rest.
  if (press.text.length > 1 && ctx.store.state.mode.kind !== 'prompt') {
    const [first, ...rest] = Array.from(press.text);
    handleKey(ctx, {name: first!, text: first!});
    if (rest.length > 0) handleKey(ctx, {name: rest.join(''), text: rest.join('')});
    return;
  }
  // Below the smallest size only a one-line notice is drawn: a key must not
  // stop or scale a selection nobody can see. Leaving still works.
  if (ctx.store.getSnapshot().layout.tooSmall && !keysWhileTooSmall.has(press.name) && ctx.store.state.mode.kind !== 'confirm-quit') return;
  if (handleModeKey(ctx, press)) return;
  keymap.find((binding) => binding.keys.includes(press.name))?.run(ctx);
}

const keysWhileTooSmall = new Set(['q', 'ctrl-c', 'Q', 'ctrl-z']);

function moveOrScroll(ctx: KeyContext, delta: number): void {
  if (ctx.store.state.focus === 'log') {
    scrollBy(ctx, delta);
    return;
  }
  const {store} = ctx;
  const rows = buildListRows(store.api.snapshot());
  const current = Math.max(0, rows.findIndex((row) => row.key === store.state.selectedKey));
  const next = Math.min(rows.length - 1, Math.max(0, current + delta));
  if (next === current) return;
  store.update({selectedKey: rows[next]!.key, selectedIndex: next, anchorSeq: null, matchSeq: null});
}

function pageOf({store}: KeyContext): number {
  return Math.max(1, store.getSnapshot().layout.logRows - 1);
}

function halfPageOf({store}: KeyContext): number {
  return Math.max(1, Math.floor(store.getSnapshot().layout.logRows / 2));
}

function scrollBy({store}: KeyContext, lines: number): void {
  const context = store.scrollContext();
  if (!context) return;
  const anchorSeq = lines < 0 ? scrollUp(context, store.state.anchorSeq, -lines) : scrollDown(context, store.state.anchorSeq, lines);
  store.update({anchorSeq});
}

function jumpToTop({store}: KeyContext): void {
  const context = store.scrollContext();
  if (context) store.update({anchorSeq: scrollToTop(context)});
}

/** The selected instance, or null after saying in the status bar why there is none. */
function selectedInstance({store}: KeyContext, verb: string): InstanceSnapshot | null {
  const row = store.selectedRow();
  if (row.kind === 'instance') return row.instance;
  store.setStatus(
    row.kind === 'all'
      ? `${verb}: select a process first (all is the merged log)`
      : `${verb}: ${row.type} has no instances (+ adds one)`,
    false,
  );
  return null;
}

/** What the status bar says while a slow command runs: a stop may take the whole stop timeout. */
const pendingWords: Record<string, string> = {stop: 'stopping', restart: 'restarting'};

function dispatchForInstance(ctx: KeyContext, verb: string, toCommand: (id: string) => Command): void {
  const instance = selectedInstance(ctx, verb);
  if (!instance) return;
  const pending = pendingWords[verb];
  if (pending && instance.pid !== null) ctx.store.setStatus(`${pending} ${instance.id}…`, true);
  void ctx.store.dispatch(toCommand(instance.id));
}

/** The selected instance if it has a process now; else null after saying so (a menu or prompt for it could only fail). */
function runningInstance(ctx: KeyContext, verb: string): InstanceSnapshot | null {
  const instance = selectedInstance(ctx, verb);
  if (instance && instance.pid === null) {
    ctx.store.setStatus(`${instance.id}: no such process is running (s starts it)`, false);
    return null;
  }
  return instance;
}

function openSignalMenu(ctx: KeyContext): void {
  const instance = runningInstance(ctx, 'signal');
  if (instance) ctx.store.update({mode: {kind: 'signals', index: 0, target: instance.id}});
}

function openInput(ctx: KeyContext): void {
  const instance = runningInstance(ctx, 'input');
  if (instance) ctx.store.update({mode: {kind: 'prompt', purpose: 'input', text: '', target: instance.id}, status: null});
}

function scale({store}: KeyContext, by: number): void {
  const row = store.selectedRow();
  if (row.kind === 'all') {
    store.setStatus('scale: select a process first (all is the merged log)', false);
    return;
  }
  const type = row.kind === 'type' ? row.type : row.instance.type;
  void store.dispatch({type: 'scale', process: type, by});
}

function toggleFilter({store}: KeyContext): void {
  if (store.state.filter) {
    store.update({filter: null, anchorSeq: null, matchSeq: null, status: {text: 'filter cleared', ok: true}});
    return;
  }
  store.update({mode: {kind: 'prompt', purpose: 'filter', text: ''}});
}

/** Moves to the next match older (n) or newer (N) than the current one. */
export function jumpToMatch({store}: KeyContext, older: boolean): void {
  const {search, matchSeq, anchorSeq} = store.state;
  const context = store.scrollContext();
  if (!search || !context) {
    store.setStatus('no search yet: press / to search', false);
    return;
  }
  const fromSeq = matchSeq ?? anchorSeq ?? newestSeq(context) + 1;
  const match = findMatch(context, search, fromSeq, older);
  if (!match) {
    store.setStatus(`no ${older ? 'older' : 'newer'} match for "${search.query}"`, false);
    return;
  }
  store.update({matchSeq: match.seq, anchorSeq: anchorAround(context, match.seq), status: null});
}

function openPager(ctx: KeyContext): void {
  const {store, host} = ctx;
  const source = store.sourceOf(store.selectedRow());
  if (source === null) {
    store.setStatus('pager: this type has no instances, so no log', false);
    return;
  }
  const withName = source === 'all';
  const nameWidth = store.nameWidth();
  const text = readAll(store.api, source)
    .map((line) => formatPlainLine(line, withName, nameWidth, (text) => displayText(text, store.noColor)))
    .join('\n');
  host.openPager(`${text}\n`).then(
    () => store.setStatus(`back from the pager (${source})`),
    (error: unknown) => store.setStatus(`pager: ${error instanceof Error ? error.message : String(error)}`, false),
  );
}

function copyVisible({store, host}: KeyContext): void {
  const frame = store.getSnapshot();
  const withName = frame.selected.kind === 'all';
  const lines = frame.log.lines.map((line) => formatPlainLine(line, withName, frame.layout.nameWidth));
  if (lines.length === 0) {
    store.setStatus('copy: no lines on screen', false);
    return;
  }
  host.copyToClipboard(lines.join('\n'));
  store.setStatus(`copied ${lines.length} line${lines.length === 1 ? '' : 's'} to the clipboard (OSC 52)`);
}

function clearLog({store}: KeyContext): void {
  const source = store.sourceOf(store.selectedRow());
  if (source === null) {
    store.setStatus('clear: this type has no instances, so no log', false);
    return;
  }
  store.clearLog(source);
  store.setStatus(`cleared ${source} here (still in e and procdeck logs)`);
}
