/** What replaces the log pane: the `?` help (rendered from the keymap) and the `!` signal menu. */
import {menuSignals} from '../../core/commands.js';
import {displayKeyName} from '../key-names.js';
import type {KeyBinding} from '../keymap.js';
import {bold, dim, inverse} from '../theme.js';
import {fit} from './text.js';

/** Columns narrower than this cut the labels; the help pages instead. */
const minHelpColumnWidth = 44;

/**
 * Every binding, `keys  label`, in as many columns as fit; when they do not
 * all fit, `page` picks the screenful (it wraps around).
 */
export function renderHelp(bindings: readonly KeyBinding[], width: number, height: number, page = 0): string[] {
  const entries = bindings.map((binding) => ({keys: binding.keys.map(displayKeyName).join(' '), label: binding.label}));
  const rowsPerColumn = Math.max(1, height - 1);
  const columnCount = Math.max(1, Math.min(Math.ceil(entries.length / rowsPerColumn), Math.floor(width / minHelpColumnWidth)));
  const perPage = rowsPerColumn * columnCount;
  const pageCount = Math.ceil(entries.length / perPage);
  const shownPage = ((page % pageCount) + pageCount) % pageCount;
  const shown = entries.slice(shownPage * perPage, (shownPage + 1) * perPage);
  const columnWidth = Math.floor(width / columnCount);
  const keyWidth = Math.min(14, Math.max(...entries.map((entry) => entry.keys.length)) + 1);
  const title = pageCount > 1 ? ` Keys ${shownPage + 1}/${pageCount} (j/k pages, any other key closes)` : ' Keys (any key closes)';
  const lines = [inverse(bold(fit(title, width)))];
  for (let row = 0; row < rowsPerColumn; row += 1) {
    let line = '';
    for (let column = 0; column < columnCount; column += 1) {
      const entry = shown[column * rowsPerColumn + row];
      if (!entry) continue;
      const cell = fit(`${entry.keys.padEnd(keyWidth)}${entry.label}`, columnWidth - 1);
      line += `${bold(cell.slice(0, keyWidth))}${cell.slice(keyWidth)} `;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** The signals of `menuSignals`, numbered, the highlighted one marked. */
export function renderSignalMenu(target: string, index: number, width: number): string[] {
  const lines = [inverse(bold(fit(` Send a signal to ${target}'s process group`, width)))];
  menuSignals.forEach((signal, i) => {
    const line = `${i === index ? '›' : ' '} ${i + 1} ${signal}`;
    lines.push(i === index ? inverse(line) : line);
  });
  lines.push(dim(fit('Enter or 1-9 sends · j/k moves · Esc cancels', width).trimEnd()));
  return lines;
}
