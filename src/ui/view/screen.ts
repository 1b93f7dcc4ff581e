/**
 * One frame as screen lines. This is the whole view: a pure function of the
 * store's Frame. The terminal gets these lines through ScreenStream (only the
 * changed ones); tests get them through Ink (components/Screen.tsx).
 */
import {keymap} from '../keymap.js';
import {minColumns, minRows} from '../layout.js';
import type {Frame} from '../store.js';
import {dim} from '../theme.js';
import {renderHeader} from './header.js';
import {renderLogPane} from './log-pane.js';
import {renderHelp, renderSignalMenu} from './overlays.js';
import {renderProcessList} from './process-list.js';
import {renderStatusBar} from './status-bar.js';

/** Exactly `frameRows` lines (one when the terminal is too small), none wider than the terminal. */
export function renderScreen(frame: Frame): string[] {
  const {layout, ui} = frame;
  if (layout.tooSmall) {
    return [`terminal too small: ${layout.size.columns}x${layout.size.rows} (needs ${minColumns}x${minRows})`.slice(0, layout.size.columns)];
  }
  const {mode} = ui;
  const lines = [renderHeader(frame)];
  if (mode.kind === 'help') {
    // The help takes the whole body: at 60 columns the log pane alone is too narrow for it.
    const help = renderHelp(keymap, layout.size.columns, layout.bodyRows, mode.page);
    for (let row = 0; row < layout.bodyRows; row += 1) lines.push(help[row] ?? '');
  } else {
    const list = renderProcessList(frame);
    const right = mode.kind === 'signals' ? renderSignalMenu(mode.target, mode.index, layout.logWidth) : renderLogPane(frame);
    const separator = dim('│');
    for (let row = 0; row < layout.bodyRows; row += 1) lines.push(`${list[row] ?? ' '.repeat(layout.listWidth)}${separator}${right[row] ?? ''}`);
  }
  lines.push(renderStatusBar(frame));
  return lines;
}
