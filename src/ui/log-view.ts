/**
 * Turns the visible window of a log into screen rows: name prefix (in `all`),
 * stderr gutter, ANSI colors kept, search matches highlighted, cut or wrapped
 * to the pane width. Runs once per frame on at most one screenful of lines.
 */
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import wrapAnsi from 'wrap-ansi';
import type {LogLine} from '../core/api.js';
import {cutMark} from '../core/log-ring.js';
import {plainTextOf, readAfter, readBefore, type LogReader, type LogSource} from './log-window.js';
import type {Matcher} from './search.js';
import {dim, highlight, paint, resetSgr, type ColorName} from './theme.js';
import {fitName, headColumns} from './view/text.js';
import {copyableText, displayText} from './view/safe-text.js';

export interface LogViewRequest {
  /** null when the selected row has no log (a type scaled to 0). */
  source: LogSource | null;
  widthCols: number;
  rows: number;
  wrap: boolean;
  filter: Matcher | null;
  search: Matcher | null;
  currentMatchSeq: number | null;
  /** null follows the newest line; otherwise the view ends just before this seq. */
  anchorSeq: number | null;
  noColor: boolean;
  /** Width of the instance-name prefix in the `all` view. */
  nameWidth: number;
  colorOfId: (id: string) => ColorName;
}

export interface LogView {
  /** Screen rows, already cut or wrapped to the pane width. */
  rows: string[];
  /** The lines the rows come from, oldest first. */
  lines: LogLine[];
}

export const emptyLogView: LogView = {rows: [], lines: []};

/**
 * The rows each line of the last frame became, by seq (seqs are never
 * reused), so that a frame redrawn for a new line or a stats tick formats
 * only the lines it has not shown before: cutting to width with ANSI colors
 * was a third of what an idle UI allocated. Holds one screenful; any change
 * of pane size, wrap, colors, search or name column starts it over. `color`
 * is the name's color in the merged view (null without names).
 */
export class LogRowCache {
  private style = '';
  private search: Matcher | null = null;
  private shown = new Map<number, {color: ColorName | null; rows: string[]}>();
  private next = new Map<number, {color: ColorName | null; rows: string[]}>();

  /** Starts a frame; rows cached under another style are dropped. */
  begin(request: LogViewRequest, withName: boolean): void {
    // `rows` too: it bounds how much of a long line is wrapped.
    const style = [request.widthCols, request.rows, request.wrap, request.noColor, request.nameWidth, request.currentMatchSeq, withName].join('|');
    if (style !== this.style || request.search !== this.search) this.shown.clear();
    this.style = style;
    this.search = request.search;
    this.next = new Map();
  }

  rowsOf(line: LogLine, color: ColorName | null, format: () => string[]): string[] {
    let entry = this.shown.get(line.seq);
    if (entry === undefined || entry.color !== color) entry = {color, rows: format()};
    this.next.set(line.seq, entry);
    return entry.rows;
  }

  /** Ends a frame: what it showed is what the next one may reuse. */
  end(): void {
    this.shown = this.next;
  }
}

/** Reads and formats the rows a log pane shows. */
export function buildLogView(api: LogReader, request: LogViewRequest, cache = new LogRowCache()): LogView {
  const {source, rows, anchorSeq, filter} = request;
  if (source === null || rows <= 0) return emptyLogView;
  const lines = readBefore(api, source, anchorSeq ?? undefined, rows, filter);
  const out: string[] = [];
  const withName = source === 'all';
  cache.begin(request, withName);
  const addRows = (line: LogLine) => {
    const color = withName ? request.colorOfId(line.id) : null;
    out.push(...cache.rowsOf(line, color, () => lineRows(line, withName, request)));
  };
  for (const line of lines) addRows(line);
  // Near the top of the scrollback the lines before the anchor leave the pane
  // part empty: the view shows the top, filled with the lines that follow.
  const isAtTop = anchorSeq !== null && out.length < rows;
  if (isAtTop) {
    const from = lines.length > 0 ? lines[lines.length - 1]!.seq : anchorSeq - 1;
    for (const line of readAfter(api, source, from, rows, filter)) {
      if (out.length >= rows) break;
      lines.push(line);
      addRows(line);
    }
  }
  cache.end();
  // Following one process, what it has begun but not ended printing (a prompt) comes last, as in a terminal.
  if (anchorSeq === null && source !== 'all' && source !== 'system') {
    for (const {stream, text} of api.unfinishedLines(source)) {
      const line: LogLine = {seq: 0, id: source, stream, text, time: 0};
      if (filter && !filter.test(plainTextOf(line))) continue;
      lines.push(line);
      out.push(...lineRows(line, false, request));
    }
  }
  if (out.length <= rows) return {rows: out, lines};
  return {rows: isAtTop ? out.slice(0, rows) : out.slice(out.length - rows), lines};
}

/** How many screen rows `line` takes in the view `request` describes: one, unless lines wrap. */
export function countLogRows(line: LogLine, request: LogViewRequest): number {
  return request.wrap ? lineRows(line, request.source === 'all', request).length : 1;
}

/**
 * One line's screen rows: formatted, then cut or wrapped to the pane width.
 * Wrapped, a line takes at most the pane's height: scrolling moves by whole
 * lines, so rows below that could never be shown. A line cut so ends with
 * `moreMark`, which points to the pager, where it is whole.
 */
function lineRows(line: LogLine, withName: boolean, request: LogViewRequest): string[] {
  const {widthCols, rows} = request;
  // A line can be 64 KiB; only what fits on screen is worth escaping, highlighting and cutting.
  const maxChars = request.wrap ? widthCols * rows * 2 : widthCols * 8 + 256;
  const isLong = line.text.length > maxChars;
  const {prefix, body} = formatLogParts(isLong ? {...line, text: line.text.slice(0, maxChars)} : line, withName, request);
  if (!request.wrap) return [headColumns(prefix + body, widthCols) + resetSgr];
  const wrapped = wrapAfterPrefix(prefix, body, widthCols);
  if (!isLong && wrapped.length <= rows) return wrapped.map((row) => row + resetSgr);
  const shown = wrapped.slice(0, rows).map((row) => row + resetSgr);
  const mark = dim(moreMark);
  shown[shown.length - 1] = headColumns(wrapped[shown.length - 1]!, Math.max(0, widthCols - stringWidth(moreMark))) + resetSgr + mark;
  return shown;
}

/** Ends a wrapped line taller than the pane: the rest is in the pager (`e`). */
export const moreMark = '…[more: e]';

/**
 * `prefix + body` wrapped to `width`, the body starting right after the
 * prefix. wrap-ansi would move a word longer than the rest of the row
 * (a URL, JSON, CJK text without spaces) to the next one, leaving the name
 * alone on a row: so the prefix is wrapped as a placeholder joined to the
 * body's first word, then put back. Continuation rows start with text, not
 * with the space that fell at the break.
 */
function wrapAfterPrefix(prefix: string, body: string, width: number): string[] {
  const prefixWidth = stringWidth(prefix);
  if (prefixWidth === 0 || prefixWidth >= width) return wrapAnsi(prefix + body, width, {hard: true, trim: false}).split('\n');
  // trim: a row that ends exactly at the edge leaves the space after it at the next row's start; the
  // placeholder keeps the body's own indentation (a stack trace's `    at`), which follows it, whole.
  const rows = wrapAnsi('x'.repeat(prefixWidth) + body, width, {hard: true, trim: true}).split('\n');
  rows[0] = prefix + (rows[0] as string).slice(prefixWidth);
  return rows;
}

/** One log line as it appears on screen, before cutting to width. */
export function formatLogLine(
  line: LogLine,
  withName: boolean,
  options: Pick<LogViewRequest, 'noColor' | 'nameWidth' | 'colorOfId' | 'search' | 'currentMatchSeq'>,
): string {
  const {prefix, body} = formatLogParts(line, withName, options);
  return prefix + body;
}

/** A log line's name (in `all`) and stderr gutter, and its text: apart, for wrapping. */
function formatLogParts(
  line: LogLine,
  withName: boolean,
  options: Pick<LogViewRequest, 'noColor' | 'nameWidth' | 'colorOfId' | 'search' | 'currentMatchSeq'>,
): {prefix: string; body: string} {
  const {noColor} = options;
  let prefix = '';
  if (withName) {
    const name = fitName(line.id, options.nameWidth); // a name longer than the list's column is cut as there
    prefix = line.stream === 'system' ? `${dim(name)} ` : `${paint(name, options.colorOfId(line.id), noColor)} `;
  }
  const gutter = line.stream === 'stderr' ? (noColor ? '!' : paint('▌', 'red', false)) : ' ';
  let text = displayText(line.text, noColor);
  if (options.search) text = highlightMatches(text, options.search, line.seq === options.currentMatchSeq, noColor);
  if (line.stream === 'system') text = dim(text);
  const cut = line.cut ? dim(cutMark) : '';
  return {prefix: `${prefix}${gutter}`, body: `${text}${resetSgr}${cut}`};
}

/**
 * A line as the clipboard gets it (plain, tabs kept), or the pager with
 * `textOf` (colors for `less -R`): the name first in `all`, the cut marked.
 */
export function formatPlainLine(line: LogLine, withName: boolean, nameWidth: number, textOf: (text: string) => string = copyableText): string {
  const text = textOf(line.text) + (line.cut ? cutMark : '');
  return withName ? `${line.id.padEnd(nameWidth)} ${text}` : text;
}

/** Wraps each match in a highlight, keeping the line's own colors around it. */
export function highlightMatches(text: string, matcher: Matcher, isCurrent: boolean, noColor: boolean): string {
  const plain = stripAnsi(text);
  const ranges = matcher.ranges(plain);
  if (ranges.length === 0) return text;
  const columnOf = (index: number): number => stringWidth(plain.slice(0, index));
  let out = '';
  let lastEnd = 0;
  for (const [start, end] of ranges) {
    if (start > lastEnd) out += sliceAnsi(text, columnOf(lastEnd), columnOf(start)) + resetSgr;
    out += highlight(plain.slice(start, end), isCurrent, noColor);
    lastEnd = end;
  }
  if (lastEnd < plain.length) out += sliceAnsi(text, columnOf(lastEnd));
  return out;
}
