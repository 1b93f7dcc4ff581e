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

/**
 * Writes headless output to `stream`; once more than `limitBytes` are queued
 * in it, holds the children's output until the stream has drained.
 */
export function heldOutputWriter(stream: NodeJS.WritableStream & {writableLength: number}, held: HoldableSpawner, limitBytes = 1024 * 1024): (text: string) => void {
  return (text) => {
    stream.write(text);
    if (held.isHolding || stream.writableLength <= limitBytes) return;
    held.hold(true);
    stream.once('drain', () => held.hold(false));
  };
}
