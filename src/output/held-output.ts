/**
 * Output flow control for headless runs: while stdout cannot keep up, the
 * children's output is not read, so they wait in their next write instead of
 * their output queueing in procdeck's memory.
 *
 * Files and TTYs take each write at once, but a pipe whose reader falls
 * behind (`procdeck | less` left on one page) queues what procdeck writes;
 * without this, 1,000,000 lines grew procdeck to ~290 MB. Foreman behaves
 * the same way: it writes synchronously, so its children wait too.
 *
 *   const held = new HoldableSpawner(spawner.spawn);   // Supervisor's `spawn`
 *   held.hold(true);  ...  held.hold(false);            // around a full stdout
 */
import type {ChildHandle, Spawner} from '../core/spawn.js';

export class HoldableSpawner {
  private readonly children = new Set<ChildHandle>();
  private isHeld = false;

  constructor(private readonly spawnChild: Spawner) {}

  get isHolding(): boolean {
    return this.isHeld;
  }

  readonly spawn: Spawner = (request, hooks) => {
    const child = this.spawnChild(request, hooks);
    if (child.pid === null) return child;
    this.children.add(child);
    if (this.isHeld) child.setReading(false);
    void child.exited.then(() => this.children.delete(child));
    return child;
  };

  /** Stops (true) or resumes (false) reading every child's output, those started meanwhile included. */
  hold(isHeld: boolean): void {
    if (isHeld === this.isHeld) return;
    this.isHeld = isHeld;
    for (const child of this.children) child.setReading(!isHeld);
  }
}

/** Text longer than this (in UTF-16 units, up to 3 bytes each) is written as a string. */
const reusedBufferBytes = 1024 * 1024;

/**
 * Writes headless output to `stream`; once more than `limitBytes` are queued
 * in it, holds the children's output until the stream has drained.
 *
 * The text is encoded into one Buffer that is used again for the next
 * write: `write(string)` encodes into a new Buffer each time, and fresh
 * memory costs page faults (~20 µs a page here), ~5% of the time a child
 * printing 1,000,000 lines took to finish. A file or TTY takes the bytes
 * during `write`; when the stream keeps them queued instead
 * (`writableLength` > 0, a pipe whose reader is behind), it owns that
 * Buffer and the next write makes a new one.
 */
export function heldOutputWriter(stream: NodeJS.WritableStream & {writableLength: number}, held: HoldableSpawner, limitBytes = 1024 * 1024): (text: string) => void {
  let buffer: Buffer | undefined;
  return (text) => {
    if (text.length * 3 > reusedBufferBytes) stream.write(text);
    else {
      buffer ??= Buffer.allocUnsafeSlow(reusedBufferBytes);
      stream.write(buffer.subarray(0, buffer.write(text)));
      if (stream.writableLength > 0) buffer = undefined;
    }
    if (held.isHolding || stream.writableLength <= limitBytes) return;
    held.hold(true);
    stream.once('drain', () => held.hold(false));
  };
}
