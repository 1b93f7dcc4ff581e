/** A small typed event emitter: `on` returns its own unsubscribe function. */
export class Emitter<Events extends Record<string, unknown[]>> {
  private readonly listeners: {[E in keyof Events]?: Set<(...args: Events[E]) => void>} = {};

  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    const set = (this.listeners[event] ??= new Set());
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const set = this.listeners[event];
    if (!set) return;
    for (const listener of set) listener(...args);
  }
}
