import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import type {ChildHandle, Spawner} from '../../../src/core/spawn.js';
import {HoldableSpawner, heldOutputWriter} from '../../../src/output/held-output.js';

/** A spawner whose children record every setReading call and exit when told. */
function recordingSpawner() {
  const children: {reading: boolean[]; exit(): void; exited: Promise<unknown>}[] = [];
  const spawn: Spawner = () => {
    let exit!: () => void;
    const exited = new Promise<{code: number; signal: null}>((resolve) => (exit = () => resolve({code: 0, signal: null})));
    const record = {reading: [] as boolean[], exit, exited};
    children.push(record);
    const child: ChildHandle = {pid: 1000 + children.length, exited, outputEnds: {links: []}, isOutputOpen: () => false, closeOutput: () => undefined, write: () => false, setReading: (isReading) => record.reading.push(isReading)};
    return child;
  };
  return {spawn, children};
}

const request = {command: 'true', cwd: '/', env: {}};
const hooks = {onData: () => undefined, onStreamsEnd: () => undefined};

describe('HoldableSpawner', () => {
  it('holds and releases every running child, and starts children held while holding', async () => {
    const inner = recordingSpawner();
    const held = new HoldableSpawner(inner.spawn);
    held.spawn(request, hooks);
    held.hold(true);
    held.spawn(request, hooks);
    expect(inner.children.map((c) => c.reading)).toEqual([[false], [false]]);
    held.hold(true); // already holding: nothing sent again
    inner.children[0]!.exit();
    await inner.children[0]!.exited;
    await Promise.resolve(); // the spawner forgets it in its own reaction to the exit
    held.hold(false);
    expect(inner.children.map((c) => c.reading)).toEqual([[false], [false, true]]);
  });
});

describe('heldOutputWriter', () => {
  it('holds the children once more than the limit is queued, until the stream drains', () => {
    const inner = recordingSpawner();
    const held = new HoldableSpawner(inner.spawn);
    held.spawn(request, hooks);
    const stream = Object.assign(new EventEmitter(), {writableLength: 0, written: [] as string[]});
    // The writer reuses its Buffer: what a stream keeps must be copied (a real one sends it during write, or queues it).
    const write = heldOutputWriter(Object.assign(stream, {write: (chunk: Buffer) => stream.written.push(chunk.toString()) > 0}) as never, held, 10);
    write('short');
    expect(held.isHolding).toBe(false);
    stream.writableLength = 11;
    write('queued behind a slow reader');
    expect(held.isHolding).toBe(true);
    write('more');
    expect(stream.listenerCount('drain')).toBe(1);
    stream.writableLength = 0;
    stream.emit('drain');
    expect(held.isHolding).toBe(false);
    expect(inner.children[0]!.reading).toEqual([false, true]);
    expect(stream.written).toEqual(['short', 'queued behind a slow reader', 'more']);
  });
});

describe('heldOutputWriter buffers', () => {
  it('encodes into one reused Buffer, and a new one after the stream kept the last', () => {
    const held = new HoldableSpawner(recordingSpawner().spawn);
    const chunks: Buffer[] = [];
    const stream = Object.assign(new EventEmitter(), {writableLength: 0, write: (chunk: Buffer) => chunks.push(chunk) > 0});
    const write = heldOutputWriter(stream as never, held);
    write('héllo\n');
    expect(chunks[0]!.toString()).toBe('héllo\n');
    write('again\n');
    expect(chunks[1]!.buffer).toBe(chunks[0]!.buffer); // sent during write: the same memory serves again
    stream.writableLength = 6; // this time the stream keeps it queued
    write('queued\n');
    stream.writableLength = 0;
    write('later\n');
    expect(chunks[3]!.buffer).not.toBe(chunks[2]!.buffer);
    expect(chunks[2]!.toString()).toBe('queued\n'); // not overwritten by the later write
    const long = 'x'.repeat(400_000); // over a third of the Buffer: written as a string
    write(long);
    expect(chunks[4]).toBe(long);
  });
});
