import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {LogFileWriter} from '../../../src/output/log-files.js';
import {FakeApi} from '../../helpers/fake-api.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, {recursive: true, force: true});
  dir = undefined;
});

function setUp(maxBytes: number) {
  dir = mkdtempSync(path.join(tmpdir(), 'procdeck-logs-'));
  const api = new FakeApi({instances: []});
  const errors: string[] = [];
  const writer = new LogFileWriter(api, {dir, maxBytes, report: (message) => errors.push(message)});
  const emit = (id: string, text: string) => api.print(id, text);
  return {api, writer, emit, errors, read: (name: string) => readFileSync(path.join(dir!, name), 'utf8')};
}

describe('LogFileWriter', () => {
  it('writes one file per instance and one for system, each line as printed', () => {
    const {writer, emit, read} = setUp(1000);
    emit('web.1', 'hello');
    emit('system', 'web.1 started');
    emit('web.2', '\u001b[31mred\u001b[0m');
    emit('web.1', 'world');
    writer.close();
    expect(read('web.1.log')).toBe('hello\nworld\n');
    expect(read('web.2.log')).toBe('\u001b[31mred\u001b[0m\n');
    expect(read('system.log')).toBe('web.1 started\n');
  });

  it('rotates at line boundaries and keeps three old files', () => {
    const {writer, emit, read} = setUp(20);
    for (let i = 0; i < 10; i++) emit('a.1', `line ${i}`); // 7 bytes each: 2 lines per file
    writer.close();
    expect(readdirSync(dir!).sort()).toEqual(['a.1.log', 'a.1.log.1', 'a.1.log.2', 'a.1.log.3']);
    expect(read('a.1.log')).toBe('line 8\nline 9\n');
    expect(read('a.1.log.1')).toBe('line 6\nline 7\n');
    expect(read('a.1.log.3')).toBe('line 2\nline 3\n');
  });

  it('writes a line longer than the limit whole, in a file of its own', () => {
    const {writer, emit, read} = setUp(10);
    emit('a.1', 'short');
    emit('a.1', 'x'.repeat(25));
    emit('a.1', 'after');
    writer.close();
    expect(read('a.1.log.2')).toBe('short\n');
    expect(read('a.1.log.1')).toBe(`${'x'.repeat(25)}\n`);
    expect(read('a.1.log')).toBe('after\n');
  });

  it('appends to a log left by a previous run, counting its size toward rotation', () => {
    const {writer, emit, read} = setUp(12);
    writeFileSync(path.join(dir!, 'a.1.log'), 'old line\n');
    emit('a.1', 'new');
    emit('a.1', 'newer');
    writer.close();
    expect(read('a.1.log.1')).toBe('old line\n'); // 9 bytes; with "new\n" it would be 13
    expect(read('a.1.log')).toBe('new\nnewer\n');
  });

  it('flushes on the stopped event, before any microtask runs', () => {
    const {api, emit, read, writer} = setUp(1000);
    emit('a.1', 'last words');
    api.emit('stopped');
    expect(read('a.1.log')).toBe('last words\n');
    writer.close();
  });

  it('reports a file it cannot write, counts what is lost, and writes again once it can', () => {
    let now = 0;
    dir = mkdtempSync(path.join(tmpdir(), 'procdeck-logs-'));
    const api = new FakeApi({instances: []});
    const errors: string[] = [];
    const writer = new LogFileWriter(api, {dir, maxBytes: 1000, report: (message) => errors.push(message), retryAfterMs: 10_000, now: () => now});
    mkdirSync(path.join(dir, 'a.1.log')); // a directory where the file goes: every open fails
    api.print('a.1', 'lost');
    writer.flush();
    api.print('a.1', 'lost too');
    writer.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/a\.1\.log: cannot write the log file \(EISDIR.*\); its lines are not saved until a write works again/);
    rmSync(path.join(dir, 'a.1.log'), {recursive: true});
    now = 10_000;
    api.print('a.1', 'saved');
    writer.flush();
    expect(readFileSync(path.join(dir, 'a.1.log'), 'utf8')).toBe('saved\n');
    expect(errors[1]).toMatch(/a\.1\.log: writing again; 2 lines were not saved$/);
    writer.close();
  });

  it('opens the file afresh when the process starts again: a deleted log directory is made again', () => {
    const {api, writer, emit, read} = setUp(1000);
    emit('a.1', 'first run');
    writer.flush();
    rmSync(dir!, {recursive: true});
    // The fake's setState wants an instance in its stack; the writer only hears the event.
    (api as unknown as {events: NodeJS.EventEmitter}).events.emit('state', 'a.1', {status: 'starting', pid: 1, since: 0});
    emit('a.1', 'second run');
    writer.close();
    expect(read('a.1.log')).toBe('second run\n');
  });
});
