/**
 * Reads windows of a log through `SupervisorApi.readLog`, optionally keeping
 * only the lines a filter matches. Only what is asked for is read: a frame
 * reads its visible rows, a scroll reads the lines it moves over.
 */
import {searchableText} from './view/safe-text.js';
import type {InstanceId, LogLine, SupervisorApi} from '../core/api.js';
import type {Matcher} from './search.js';

export type LogSource = InstanceId | 'all';

/** What reading a log takes: the engine itself, or the lines this UI has not cleared (UiStore.shownLogs). */
export type LogReader = Pick<SupervisorApi, 'readLog' | 'unfinishedLines'>;

// A filter that matches rarely must not scan a whole merged scrollback on every frame.
const maxScannedLines = 50_000;

/** The newest `limit` lines before `beforeSeq` (or before the end), oldest first. */
export function readBefore(
  api: LogReader, source: LogSource, beforeSeq: number | undefined, limit: number, filter: Matcher | null,
): LogLine[] {
  if (limit <= 0) return [];
  const window = beforeSeq === undefined ? {limit} : {beforeSeq, limit};
  if (!filter) return [...api.readLog(source, window)];
  const found: LogLine[] = [];
  const chunkSize = Math.max(limit * 4, 500);
  let cursor = beforeSeq;
  let scanned = 0;
  while (found.length < limit && scanned < maxScannedLines) {
    const chunk = api.readLog(source, cursor === undefined ? {limit: chunkSize} : {beforeSeq: cursor, limit: chunkSize});
    if (chunk.length === 0) break;
    scanned += chunk.length;
    for (let i = chunk.length - 1; i >= 0 && found.length < limit; i -= 1) {
      const line = chunk[i]!;
      if (filter.test(plainTextOf(line))) found.push(line);
    }
    cursor = chunk[0]!.seq;
    if (chunk.length < chunkSize) break;
  }
  return found.reverse();
}

/** The oldest `limit` lines after `afterSeq`, oldest first. */
export function readAfter(
  api: LogReader, source: LogSource, afterSeq: number, limit: number, filter: Matcher | null,
): LogLine[] {
  if (limit <= 0) return [];
  if (!filter) return [...api.readLog(source, {afterSeq, limit})];
  const found: LogLine[] = [];
  const chunkSize = Math.max(limit * 4, 500);
  let cursor = afterSeq;
  let scanned = 0;
  while (found.length < limit && scanned < maxScannedLines) {
    const chunk = api.readLog(source, {afterSeq: cursor, limit: chunkSize});
    if (chunk.length === 0) break;
    scanned += chunk.length;
    for (const line of chunk) {
      if (found.length >= limit) break;
      if (filter.test(plainTextOf(line))) found.push(line);
    }
    cursor = chunk[chunk.length - 1]!.seq;
    if (chunk.length < chunkSize) break;
  }
  return found;
}

/** Every stored line of a source, oldest first, read in chunks (for the pager). */
export function readAll(api: SupervisorApi, source: LogSource): LogLine[] {
  const chunks: LogLine[][] = [];
  const chunkSize = 5000;
  let cursor: number | undefined;
  for (;;) {
    const chunk = api.readLog(source, cursor === undefined ? {limit: chunkSize} : {beforeSeq: cursor, limit: chunkSize});
    if (chunk.length === 0) break;
    chunks.push([...chunk]);
    cursor = chunk[0]!.seq;
    if (chunk.length < chunkSize) break;
  }
  return chunks.reverse().flat();
}

/** A line's text as the pane shows it, without colors: what search and filter look at. */
export function plainTextOf(line: LogLine): string {
  return searchableText(line.text);
}
