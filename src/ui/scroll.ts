/**
 * Scrolling and search jumps. A position is an anchor: the view shows the
 * lines just before `anchorSeq`, or follows the newest line when it is null.
 * Sequence numbers survive new output, so a scrolled-back view stays put.
 */
import type {LogLine, SupervisorApi} from '../core/api.js';
import {plainTextOf, readAfter, readBefore, type LogSource} from './log-window.js';
import type {Matcher} from './search.js';

export interface ScrollContext {
  api: SupervisorApi;
  source: LogSource;
  filter: Matcher | null;
  /** Log rows on screen. */
  rows: number;
}

/** Moves the view up by `lines` (older), never past the point where the oldest line is at the top. */
export function scrollUp(ctx: ScrollContext, anchorSeq: number | null, lines: number): number | null {
  const bottom = anchorSeq ?? newestSeq(ctx) + 1;
  const passed = readBefore(ctx.api, ctx.source, bottom, lines, ctx.filter);
  if (passed.length === 0) return anchorSeq;
  return clampToTop(ctx, passed[0]!.seq);
}

/** Moves the view down by `lines` (newer); reaching the newest line resumes follow (null). */
export function scrollDown(ctx: ScrollContext, anchorSeq: number | null, lines: number): number | null {
  if (anchorSeq === null) return null;
  const passed = readAfter(ctx.api, ctx.source, anchorSeq - 1, lines + 1, ctx.filter);
  // One extra line read tells whether anything is left below the new position.
  if (passed.length <= lines) return null;
  return passed[lines]!.seq;
}

/** The anchor that shows the oldest lines at the top (`g`); null when everything fits. */
export function scrollToTop(ctx: ScrollContext): number | null {
  const first = readAfter(ctx.api, ctx.source, 0, ctx.rows + 1, ctx.filter);
  if (first.length <= ctx.rows) return null;
  return first[ctx.rows]!.seq;
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
  const below = readAfter(ctx.api, ctx.source, seq, Math.floor(ctx.rows / 2) + 1, ctx.filter);
  if (below.length <= Math.floor(ctx.rows / 2)) {
    // The match is near the newest line: show the bottom, but stop following
    // so that new output does not push it away.
    return newestSeq(ctx) + 1;
  }
  return below[Math.floor(ctx.rows / 2)]!.seq;
}

/** The seq of the newest line of the source, or 0 when it is empty. */
export function newestSeq(ctx: ScrollContext): number {
  return readBefore(ctx.api, ctx.source, undefined, 1, ctx.filter)[0]?.seq ?? 0;
}

function clampToTop(ctx: ScrollContext, anchorSeq: number): number | null {
  const above = readBefore(ctx.api, ctx.source, anchorSeq, ctx.rows, ctx.filter);
  if (above.length >= ctx.rows) return anchorSeq;
  return scrollToTop(ctx);
}
