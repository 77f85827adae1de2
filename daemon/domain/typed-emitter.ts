// A small typed event emitter: one payload type per event name, `on` returns its own
// unsubscribe, and each listener runs isolated: one that throws is reported through
// onListenerError and does not stop the others (or the caller that emitted).

type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (kind: keyof Events, error: unknown) => void) {}

  /** Subscribes to one kind of event; the returned function unsubscribes. */
  on<K extends keyof Events>(kind: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(kind);
    if (!set) {
      set = new Set();
      this.listeners.set(kind, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  emit<K extends keyof Events>(kind: K, payload: Events[K]): void {
    const set = this.listeners.get(kind);
    if (!set) return;
    // Copy: a listener may unsubscribe itself (or others) while we iterate.
    for (const listener of [...set] as Listener<Events[K]>[]) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(kind, error);
      }
    }
  }
}
