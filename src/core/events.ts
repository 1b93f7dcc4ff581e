/**
 * A small typed event emitter: `on` returns its own unsubscribe function.
 * `log` fires once per line of output, so listeners live in arrays that are
 * copied when they change (rarely) instead of iterated through a Set.
 */
export class Emitter<Events extends Record<string, unknown[]>> {
  private readonly listeners: {[E in keyof Events]?: ((...args: Events[E]) => void)[]} = {};

  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    this.listeners[event] = [...(this.listeners[event] ?? []), listener];
    return () => {
      this.listeners[event] = this.listeners[event]?.filter((other) => other !== listener);
    };
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const list = this.listeners[event];
    if (!list) return;
    for (let i = 0; i < list.length; i++) list[i]!(...args);
  }
}
