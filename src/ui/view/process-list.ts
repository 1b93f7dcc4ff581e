/** The left pane: a title row, `all`, then one row per instance with status, pid, CPU, memory, uptime, restarts and ports. */
import type {InstanceSnapshot, InstanceState} from '../../core/api.js';
import {formatUptime} from '../format/duration.js';
import {formatUsage} from '../format/usage.js';
import {describeInstanceStatus} from '../format/status.js';
import {widthOfColumn, type ListColumn} from '../layout.js';
import {summarizeStack, type ListRow} from '../rows.js';
import type {Frame} from '../store.js';
import {bold, colorOfTone, colorOfType, dim, inverse, paintIf, type ColorName} from '../theme.js';
import {fit, fitName, widthOf} from './text.js';

const titles: Record<ListColumn, string> = {
  symbol: '', name: 'NAME', state: 'STATE', pid: 'PID', cpu: 'CPU', mem: 'MEM', up: 'UP', restarts: '↺', ports: 'PORTS',
};
const rightAligned = new Set<ListColumn>(['pid', 'cpu', 'mem', 'up', 'restarts']);

interface Cell {
  text: string;
  color?: ColorName | undefined;
  isBold?: boolean;
}

/**
 * Each row's last rendered line, by row key, with what it was made from.
 * Between two frames most rows read the same (a log line arrived, or only
 * some numbers moved), and cutting, padding and coloring nine cells of every
 * row again was a third of an idle frame's work. Rows not drawn by a frame
 * are dropped, so this holds at most one screenful.
 */
const renderedRows = new Map<string, {signature: string; line: string}>();

/** Exactly `bodyRows` lines, each exactly `listWidth` columns. */
export function renderProcessList(frame: Frame): string[] {
  const {layout, rows, selectedIndex, ui} = frame;
  const window = listWindow(rows.length, selectedIndex, Math.max(0, layout.bodyRows - 1));
  const title = fit(layout.listColumns.map((column) => cellText(titles[column], column, layout.nameWidth)).join(''), layout.listWidth);
  const lines = [ui.focus === 'list' ? inverse(bold(title)) : dim(title)];
  const drawn = new Set<string>();
  const layoutKey = `${frame.noColor}|${layout.listWidth}|${layout.nameWidth}|${layout.listColumns.join()}`;
  if (window.above > 0) lines.push(dim(fit(`  ↑ ${window.above} more`, layout.listWidth)));
  for (const row of rows.slice(window.first, window.end)) {
    lines.push(cachedRow(frame, row, row.key === frame.selected.key, layoutKey));
    drawn.add(row.key);
  }
  if (window.below > 0) lines.push(dim(fit(`  ↓ ${window.below} more`, layout.listWidth)));
  for (const key of renderedRows.keys()) if (!drawn.has(key)) renderedRows.delete(key);
  while (lines.length < layout.bodyRows) lines.push(' '.repeat(layout.listWidth));
  return lines;
}

/**
 * Which rows fit in `lines` lines with the selection on screen, as low as it
 * can be (scrolling down keeps it on the last line). When rows are hidden, a
 * line at that end says how many (`↑ 8 more`) instead of showing a row.
 */
export function listWindow(count: number, selected: number, lines: number): {first: number; end: number; above: number; below: number} {
  if (count <= lines || lines < 3) {
    // Everything fits, or too few lines to give one up for a marker.
    const first = Math.max(0, Math.min(selected - lines + 1, count - lines));
    return {first, end: Math.min(count, first + lines), above: 0, below: 0};
  }
  for (let first = 0; ; first++) {
    const rowLines = lines - (first > 0 ? 1 : 0);
    const end = first + rowLines >= count ? count : first + rowLines - 1;
    if (selected < end || end === count) return {first, end, above: first, below: count - end};
  }
}

/** `layoutKey`: everything about the frame, besides the row's cells and selection, that a row's line depends on. */
function cachedRow(frame: Frame, row: ListRow, isSelected: boolean, layoutKey: string): string {
  const cells = cellsOf(frame, row);
  let signature = `${isSelected}|${layoutKey}`;
  for (const column of frame.layout.listColumns) {
    const cell = cells[column];
    signature += `|${cell.text}|${cell.color ?? ''}|${cell.isBold === true}`;
  }
  const cached = renderedRows.get(row.key);
  if (cached?.signature === signature) return cached.line;
  const line = renderRow(frame, cells, isSelected);
  renderedRows.set(row.key, {signature, line});
  return line;
}

function renderRow(frame: Frame, cells: Record<ListColumn, Cell>, isSelected: boolean): string {
  const {layout, noColor} = frame;
  let plainWidth = 0;
  let line = '';
  for (const column of layout.listColumns) {
    const cell = cells[column];
    const text = cellText(cell.text, column, layout.nameWidth);
    plainWidth += widthOf(text);
    // Color the text, not the padding, so the selection bar reads as one block.
    const styled = paintIf(text, cell.color, noColor);
    line += cell.isBold ? bold(styled) : styled;
  }
  // The last columns may have been cut to the list's share of the screen.
  if (plainWidth > layout.listWidth) line = fit(stripStyles(line), layout.listWidth);
  else line += ' '.repeat(layout.listWidth - plainWidth);
  return isSelected ? inverse(line) : line;
}

function cellsOf(frame: Frame, row: ListRow): Record<ListColumn, Cell> {
  const empty: Cell = {text: ''};
  if (row.kind === 'all') {
    const totals = summarizeStack(frame.stack);
    const usage = formatUsage(totals.cpuPercent, totals.rssBytes);
    return {
      symbol: {text: '≡'}, name: {text: 'all', isBold: true}, state: {text: `${totals.up}/${totals.total} up`},
      pid: empty, cpu: {text: usage.cpu}, mem: {text: usage.mem},
      up: empty, restarts: empty, ports: empty,
    };
  }
  if (row.kind === 'type') {
    return {
      symbol: {text: '·', color: 'gray'}, name: {text: row.type, color: 'gray'}, state: {text: '×0', color: 'gray'},
      pid: empty, cpu: empty, mem: empty, up: empty, restarts: empty, ports: empty,
    };
  }
  const {instance} = row;
  const look = describeInstanceStatus(instance, frame.nowMs, frame.launching);
  const toneColor = colorOfTone(look.tone, false);
  const usage = instance.pid !== null && isLiveState(instance.state) ? formatUsage(instance.cpuPercent, instance.rssBytes) : formatUsage(0, 0);
  return {
    symbol: {text: look.symbol, color: toneColor},
    name: {text: instance.id, color: colorOfType(row.typeIndex)},
    state: {text: look.label, color: toneColor},
    pid: {text: instance.pid === null ? '-' : String(instance.pid)},
    cpu: {text: usage.cpu},
    mem: {text: usage.mem},
    up: {text: uptimeOf(instance, frame.nowMs)},
    restarts: {text: String(instance.restarts), color: instance.restarts > 0 ? 'yellow' : undefined},
    ports: {text: instance.listenPorts.map((port) => `:${port}`).join(',')},
  };
}

/** A cell's text cut and padded to its column, with one space after. */
function cellText(text: string, column: ListColumn, nameWidth: number): string {
  const width = widthOfColumn(column, nameWidth) - 1;
  return `${column === 'name' ? fitName(text, width) : fit(text, width, rightAligned.has(column))} `;
}

function isLiveState(state: InstanceState): boolean {
  return state.status === 'running' || state.status === 'starting' || state.status === 'stopping';
}

function uptimeOf(instance: InstanceSnapshot, nowMs: number): string {
  const {state} = instance;
  if (state.status === 'running' || state.status === 'starting') return formatUptime(nowMs - state.since);
  return '-';
}

function stripStyles(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001B\[[0-9;]*m/g, '');
}
