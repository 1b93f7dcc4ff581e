import {describe, expect, it} from 'vitest';
import {LineReader, toStatusReport} from '../../../src/control/protocol.js';
import type {InstanceSnapshot, StackSnapshot} from '../../../src/core/api.js';

function read(chunks: (string | Buffer)[], maxBytes = 10): {lines: string[]; tooLong: number} {
  const lines: string[] = [];
  let tooLong = 0;
  const reader = new LineReader(maxBytes, (line) => lines.push(line), () => (tooLong += 1));
  for (const chunk of chunks) reader.push(Buffer.from(chunk));
  return {lines, tooLong};
}

describe('LineReader', () => {
  it('joins lines split across chunks and splits chunks holding several', () => {
    expect(read(['ab', 'c\nde\nf', 'g\n']).lines).toEqual(['abc', 'de', 'fg']);
  });

  it('drops a line longer than the cap once, then reads the next line normally', () => {
    expect(read(['0123456789', 'ABC', 'DEF\nok\n'])).toEqual({lines: ['ok'], tooLong: 1});
  });

  it('keeps a line of exactly the cap', () => {
    expect(read(['0123456789\n'])).toEqual({lines: ['0123456789'], tooLong: 0});
  });

  it('does not split a multi-byte character cut between chunks', () => {
    const bytes = Buffer.from('é\n');
    expect(read([bytes.subarray(0, 1), bytes.subarray(1)]).lines).toEqual(['é']);
  });
});

function instance(partial: Partial<InstanceSnapshot> & Pick<InstanceSnapshot, 'id' | 'state'>): InstanceSnapshot {
  return {type: partial.id.split('.')[0]!, index: 1, pid: null, port: 5000, cpuPercent: 0, rssBytes: 0, listenPorts: [], paused: false, restarts: 0, lastSeq: 0, ...partial};
}

describe('toStatusReport', () => {
  it('builds the SPEC §9 rows: uptime for live processes, exit code for ended ones', () => {
    const snapshot: StackSnapshot = {
      name: 'demo', root: '/demo', types: [], shutdown: null, remote: false,
      instances: [
        instance({id: 'web.1', state: {status: 'running', pid: 42, since: 1000}, pid: 42, cpuPercent: 1.54, rssBytes: 52428800, listenPorts: [5000], restarts: 2}),
        instance({id: 'worker.1', state: {status: 'exited', exit: {code: 3, signal: null}}}),
        instance({id: 'cron.1', state: {status: 'stopped'}}),
      ],
    };
    expect(toStatusReport(snapshot, 61_000)).toEqual({
      version: 1,
      processes: [
        {name: 'web.1', type: 'web', state: 'running', pid: 42, cpu: 1.5, rss: 52428800, uptime_ms: 60_000, restarts: 2, ports: [5000], exit_code: null},
        {name: 'worker.1', type: 'worker', state: 'exited', pid: null, cpu: 0, rss: 0, uptime_ms: null, restarts: 0, ports: [], exit_code: 3},
        {name: 'cron.1', type: 'cron', state: 'stopped', pid: null, cpu: 0, rss: 0, uptime_ms: null, restarts: 0, ports: [], exit_code: null},
      ],
    });
  });
});
