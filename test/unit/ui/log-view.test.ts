import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import {describe, expect, it} from 'vitest';
import type {LogLine, SupervisorApi} from '../../../src/core/api.js';
import {buildLogView, formatLogLine, highlightMatches, LogRowCache, type LogViewRequest} from '../../../src/ui/log-view.js';
import {compileMatcher} from '../../../src/ui/search.js';

describe('highlightMatches', () => {
  it('wraps each match and keeps the colors around it', () => {
    const out = highlightMatches('\u001B[32mgreen error here\u001B[39m and error', compileMatcher('error'), false, false);
    expect(stripAnsi(out)).toBe('green error here and error');
    expect(out.split('\u001B[7merror').length - 1).toBe(2);
    expect(out.startsWith('\u001B[32mgreen ')).toBe(true);
  });

  it('leaves a line without matches untouched', () => {
    expect(highlightMatches('nothing', compileMatcher('zzz'), false, false)).toBe('nothing');
  });
});

describe('formatLogLine', () => {
  const options = {noColor: true, nameWidth: 8, colorOfId: () => 'cyan' as const, search: null, currentMatchSeq: null};

  it('prefixes the instance name in the merged view and marks stderr', () => {
    const line = formatLogLine({seq: 1, id: 'web.1', stream: 'stderr', text: 'boom', time: 0}, true, options);
    expect(stripAnsi(line)).toBe('web.1    !boom');
  });

  it('marks a line cut to the scrollback limit', () => {
    const line = formatLogLine({seq: 1, id: 'web.1', stream: 'stdout', text: 'long', time: 0, cut: true}, false, options);
    expect(stripAnsi(line)).toBe(' long …[cut]');
  });
});

/** A log view request without color, search or filter, following: what each test changes is given. */
function requestFor(changes: Partial<LogViewRequest>): LogViewRequest {
  return {
    source: 'all',
    widthCols: 20,
    rows: 5,
    wrap: false,
    filter: null,
    search: null,
    currentMatchSeq: null,
    anchorSeq: null,
    noColor: true,
    nameWidth: 6,
    colorOfId: () => 'cyan',
    ...changes,
  };
}

describe('LogRowCache', () => {
  const request = requestFor({});
  const line = (seq: number, text: string): LogLine => ({seq, id: 'web.1', stream: 'stdout', text, time: 0});

  it('formats a line once while the frames that show it keep their style', () => {
    const cache = new LogRowCache();
    const formatted: number[] = [];
    const frame = (lines: LogLine[], style = request) => {
      cache.begin(style, true);
      const rows = lines.map((l) => cache.rowsOf(l, 'cyan', () => (formatted.push(l.seq), [l.text])));
      cache.end();
      return rows;
    };
    frame([line(1, 'a'), line(2, 'b')]);
    frame([line(2, 'b'), line(3, 'c')]);
    expect(formatted).toEqual([1, 2, 3]);
    // A line that scrolled out of the last frame is formatted again; so is everything at another width.
    frame([line(1, 'a'), line(2, 'b')]);
    frame([line(1, 'a'), line(2, 'b')], {...request, widthCols: 30});
    expect(formatted).toEqual([1, 2, 3, 1, 1, 2]);
    // The pane's height bounds how much of a long line is wrapped: a new height formats again too.
    frame([line(1, 'a')], {...request, widthCols: 30, rows: 8});
    expect(formatted).toEqual([1, 2, 3, 1, 1, 2, 1]);
  });

  it('gives buildLogView the same rows with or without reuse', () => {
    const lines = [line(1, 'x'.repeat(40)), line(2, '\u001B[31mred\u001B[0m')];
    const api = {readLog: () => lines} as unknown as SupervisorApi;
    const cache = new LogRowCache();
    const first = buildLogView(api, request, cache);
    expect(buildLogView(api, request, cache)).toEqual(first);
    expect(buildLogView(api, request)).toEqual(first);
    expect(first.rows.map((row) => stripAnsi(row))).toEqual(['web.1   ' + 'x'.repeat(12), 'web.1   red']);
  });
});

describe('buildLogView: rows never wider than the pane, long lines never cut silently', () => {
  const viewOf = (text: string, changes: Partial<LogViewRequest> = {}) => {
    const api = {readLog: () => [{seq: 1, id: 'cjk.1', stream: 'stdout', text, time: 0}], unfinishedLines: () => []} as unknown as SupervisorApi;
    return buildLogView(api, requestFor({source: 'cjk.1', widthCols: 10, rows: 4, ...changes})).rows.map((row) => stripAnsi(row));
  };

  it('cuts a row before a wide character that would cross the right edge (the terminal would wrap it onto the next row)', () => {
    // Gutter (1) + `a` (1) + four 漢 (8) is 10 columns; the fifth would make 12.
    expect(viewOf(`a${'漢'.repeat(64)}`)).toEqual([` a${'漢'.repeat(4)}`]);
    expect(viewOf(`ab${'漢'.repeat(64)}`)).toEqual([` ab${'漢'.repeat(3)}`]);
  });

  it('wraps a line taller than the pane to the pane, its last row marked: the rest is in the pager', () => {
    const words = Array.from({length: 1500}, (_, i) => `w${String(i).padStart(4, '0')}`).join(' ');
    const rows = viewOf(`HUGESTART ${words} HUGEEND`, {wrap: true, widthCols: 40, rows: 6});
    expect(rows).toHaveLength(6);
    // The line's start, not a stretch from its middle.
    expect(rows[0]).toMatch(/^ HUGESTART w0000 /);
    expect(rows[5]).toMatch(/…\[more: e\]$/);
    expect(rows.every((row) => row.length <= 40)).toBe(true);
  });

  it('wraps a long word (a URL, JSON, CJK without spaces) right after the name in all, not on a row of its own', () => {
    // 59 columns after a 22-column prefix: starting it on the next row would save wrap-ansi a break.
    const rows = viewOf(`A${'漢'.repeat(29)}`, {source: 'all', wrap: true, widthCols: 30, rows: 6, nameWidth: 20});
    expect(rows[0]).toMatch(/^cjk\.1 {16} A漢漢漢$/);
    expect(rows.every((row) => stringWidth(row) <= 30)).toBe(true);
  });

  it('starts no continuation row with the space that fell at the break, and keeps a line\'s own indentation', () => {
    // ' ' gutter + 9 characters fill a 10-column row exactly; the space after them is the break.
    expect(viewOf('abcdefghi jkl', {wrap: true, widthCols: 10, rows: 4})).toEqual([' abcdefghi', 'jkl']);
    expect(viewOf('    at foo (file.js:1:2)', {wrap: true, widthCols: 12, rows: 4})[0]).toBe('     at foo');
  });

  it('leaves a wrapped line that fits the pane unmarked', () => {
    expect(viewOf('x'.repeat(25), {wrap: true, widthCols: 10, rows: 4})).toEqual([` ${'x'.repeat(9)}`, 'x'.repeat(10), 'x'.repeat(6)]);
  });
});
