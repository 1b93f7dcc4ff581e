/** Screen geometry from the terminal size: pure, so resizing is just a new frame. */

export const minColumns = 60;
export const minRows = 15;

export type ListColumn = 'symbol' | 'name' | 'state' | 'pid' | 'cpu' | 'mem' | 'up' | 'restarts' | 'ports';

/** Column widths including the one-space gap after each. */
const fixedWidths: Record<Exclude<ListColumn, 'name'>, number> = {
  symbol: 2, state: 10, pid: 8, cpu: 7, mem: 7, up: 7, restarts: 4, ports: 12,
};

// When the list is too wide for its share of the screen, columns go in this order.
const dropOrder: readonly ListColumn[] = ['restarts', 'up', 'ports', 'pid', 'state', 'mem'];

const allColumns: readonly ListColumn[] = ['symbol', 'name', 'state', 'pid', 'cpu', 'mem', 'up', 'restarts', 'ports'];

export interface Size {
  columns: number;
  rows: number;
}

export interface Layout {
  size: Size;
  tooSmall: boolean;
  /** Lines drawn: the whole terminal (ScreenStream places every line itself, so nothing scrolls). */
  frameRows: number;
  bodyRows: number;
  listWidth: number;
  listColumns: ListColumn[];
  nameWidth: number;
  logWidth: number;
  /** Log lines under the log pane's header. */
  logRows: number;
}

/** Lays out the screen for a terminal size and the longest name in the list. */
export function computeLayout(size: Size, longestName: number): Layout {
  const columns = Math.max(1, Math.floor(size.columns));
  const rows = Math.max(1, Math.floor(size.rows));
  const tooSmall = columns < minColumns || rows < minRows;
  const frameRows = rows;
  const bodyRows = Math.max(0, frameRows - 2);
  // At 120 columns every column fits, restarts included, with names up to 11 characters.
  const maxListWidth = Math.max(22, Math.floor(columns * 0.58));
  // Names get up to 20 columns, columns being dropped for them if need be, or
  // more when a wide terminal has room for them beside every other column.
  const roomBesideAll = maxListWidth - allColumns.reduce((sum, col) => sum + (col === 'name' ? 1 : fixedWidths[col]), 0);
  const nameWidth = Math.min(Math.max(longestName, 4), Math.max(20, roomBesideAll));
  const listColumns = [...allColumns];
  const widthOf = (cols: readonly ListColumn[]): number =>
    cols.reduce((sum, col) => sum + (col === 'name' ? nameWidth + 1 : fixedWidths[col]), 0);
  for (const victim of dropOrder) {
    if (widthOf(listColumns) <= maxListWidth) break;
    listColumns.splice(listColumns.indexOf(victim), 1);
  }
  const listWidth = Math.min(widthOf(listColumns), maxListWidth);
  // One column for the separator between list and log pane.
  const logWidth = Math.max(1, columns - listWidth - 1);
  return {
    size: {columns, rows},
    tooSmall,
    frameRows,
    bodyRows,
    listWidth,
    listColumns,
    nameWidth,
    logWidth,
    logRows: Math.max(1, bodyRows - 1),
  };
}

/** The width of one list column (name included). */
export function widthOfColumn(column: ListColumn, nameWidth: number): number {
  return column === 'name' ? nameWidth + 1 : fixedWidths[column];
}
