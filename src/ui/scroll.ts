/**
 * Scrolling and search jumps. A position is an anchor: the view shows the
 * lines just before `anchorSeq`, or follows the newest line when it is null.
 * Sequence numbers survive new output, so a scrolled-back view stays put.
 * When the lines before the anchor do not fill the pane (the top of the
 * scrollback) the view shows the top instead (log-view.ts).
 *
 * Distances are in screen rows: with wrap on a line may take several, and a
 * page up must move by a page of rows, not of lines, or it skips some.
 */
import type {LogLine} from '../core/api.js';
import {plainTextOf, readAfter, readBefore, type LogReader, type LogSource} from './log-window.js';
import type {Matcher} from './search.js';

export interface ScrollContext {
  api: LogReader;
  source: LogSource;
  filter: Matcher | null;
  /** Log rows on screen. */
  rows: number;
  /** Screen rows a line takes (wrap); one each when absent. */
  rowsOf?: (line: LogLine) => number;
}

function rowsOfLine(ctx: ScrollContext, line: LogLine): number {
  return ctx.rowsOf ? ctx.rowsOf(line) : 1;
}

function rowsOfLines(ctx: ScrollContext, lines: readonly LogLine[]): number {
  let rows = 0;
  for (const line of lines) rows += rowsOfLine(ctx, line);
  return rows;
}

/** How many of `lines` (in order) fit in `budget` rows: at least one when `atLeastOne`. */
function linesWithin(ctx: ScrollContext, lines: readonly LogLine[], budget: number, atLeastOne: boolean): number {
  let count = 0;
  let used = 0;
  while (count < lines.length && used + rowsOfLine(ctx, lines[count]!) <= budget) used += rowsOfLine(ctx, lines[count++]!);
  return count === 0 && atLeastOne && lines.length > 0 ? 1 : count;
}

/** Moves the view up by `rows` (older), never past the point where the oldest line is at the top. */
export function scrollUp(ctx: ScrollContext, anchorSeq: number | null, rows: number): number | null {
  const bottom = anchorSeq ?? newestSeq(ctx) + 1;
  // When the pane's top is less than `rows` rows below the first line, the move ends at the top:
  // counting whole lines back from the bottom instead could stop a few rows short of it.
  const onScreenAndAbove = readBefore(ctx.api, ctx.source, bottom, ctx.rows + rows, ctx.filter);
  if (ctx.rowsOf && rowsOfLines(ctx, onScreenAndAbove) <= ctx.rows + rows) return scrollToTop(ctx);
  const above = onScreenAndAbove.slice(-rows).reverse();
  if (above.length === 0) return anchorSeq;
  // Whole lines, as many as fit in the distance (a line taller than it still moves the view).
  const passed = linesWithin(ctx, above, rows, true);
  return clampToTop(ctx, above[passed - 1]!.seq);
}

/** Moves the view down by `rows` (newer); reaching the newest line resumes follow (null). */
export function scrollDown(ctx: ScrollContext, anchorSeq: number | null, rows: number): number | null {
  if (anchorSeq === null) return null;
  // At the top the pane shows rows past the anchor's: count from the pane's real bottom.
  const before = readBefore(ctx.api, ctx.source, anchorSeq, ctx.rows, ctx.filter);
  const rowsBefore = rowsOfLines(ctx, before);
  const budget = rowsBefore < ctx.rows ? ctx.rows + rows - rowsBefore : rows;
  // One extra line read tells whether anything is left below the new position.
  const below = readAfter(ctx.api, ctx.source, anchorSeq - 1, budget + 1, ctx.filter);
  const passed = linesWithin(ctx, below, budget, true);
  if (passed >= below.length) return null;
  return below[passed]!.seq;
}

/**
 * The anchor that shows the oldest lines at the top (`g`): the first line
 * that does not fit in the pane below the ones before it; null when
 * everything fits.
 */
export function scrollToTop(ctx: ScrollContext): number | null {
  const first = readAfter(ctx.api, ctx.source, 0, ctx.rows + 1, ctx.filter);
  const fitting = linesWithin(ctx, first, ctx.rows, false);
  if (fitting >= first.length) return null;
  return first[fitting]!.seq;
}

/**
 * The nearest line matching `matcher`, older (`older: true`) or newer than
 * `fromSeq`, or null. Searches the whole scrollback of the source.
 */
export function findMatch(
  ctx: ScrollContext, matcher: Matcher, fromSeq: number, older: boolean,
): LogLine | null {
  const chunk = 1000;
  let cursor = fromSeq;
  for (;;) {
    const lines = older
      ? readBefore(ctx.api, ctx.source, cursor, chunk, ctx.filter)
      : readAfter(ctx.api, ctx.source, cursor, chunk, ctx.filter);
    if (lines.length === 0) return null;
    if (older) {
      for (let i = lines.length - 1; i >= 0; i -= 1) if (matcher.test(plainTextOf(lines[i]!))) return lines[i]!;
      cursor = lines[0]!.seq;
    } else {
      for (const line of lines) if (matcher.test(plainTextOf(line))) return line;
      cursor = lines[lines.length - 1]!.seq;
    }
  }
}

/** An anchor that puts the line `seq` in the middle of the pane. */
export function anchorAround(ctx: ScrollContext, seq: number): number | null {
  const half = Math.floor(ctx.rows / 2);
  const below = readAfter(ctx.api, ctx.source, seq, half + 1, ctx.filter);
  const passed = linesWithin(ctx, below, half, false);
  if (passed >= below.length) {
    // The match is near the newest line: show the bottom, but stop following
    // so that new output does not push it away.
    return newestSeq(ctx) + 1;
  }
  return below[passed]!.seq;
}

/** The seq of the newest line of the source, or 0 when it is empty. */
export function newestSeq(ctx: ScrollContext): number {
  return readBefore(ctx.api, ctx.source, undefined, 1, ctx.filter)[0]?.seq ?? 0;
}

function clampToTop(ctx: ScrollContext, anchorSeq: number): number | null {
  const above = readBefore(ctx.api, ctx.source, anchorSeq, ctx.rows, ctx.filter);
  if (rowsOfLines(ctx, above) >= ctx.rows) return anchorSeq;
  return scrollToTop(ctx);
}
