/** Delivers a batch to the listeners whose key or prefix pattern (`etl:*`, `*`) matches. */
export type Listener<E> = (entries: E[]) => void;

/**
 * Listeners by pattern, so a batch is matched once per pattern, not once per listener: exact
 * keys are looked up by the batch's keys (unicast: one lookup however many keys are watched),
 * prefix patterns are each tested once.
 */
export class FeedRouter<E> {
  private readonly exact = new Map<string, Set<Listener<E>>>();
  private readonly prefixes = new Map<string, Set<Listener<E>>>();

  constructor(private readonly keyOf: (entry: E) => string) {}

  get size(): number {
    return this.exact.size + this.prefixes.size;
  }

  /** Adds `listener` for `pattern`; returns its removal. */
  add(pattern: string, listener: Listener<E>): () => void {
    const map = pattern.endsWith('*') ? this.prefixes : this.exact;
    const key = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && map.get(key) === set) map.delete(key);
    };
  }

  dispatch(entries: E[]) {
    if (entries.length === 0) return;
    if (this.exact.size > 0) {
      for (const [key, matching] of this.byKey(entries)) {
        const listeners = this.exact.get(key);
        if (listeners) for (const listener of listeners) listener(matching);
      }
    }
    for (const [prefix, listeners] of this.prefixes) {
      const matching = prefix === '' ? entries : entries.filter((e) => this.keyOf(e).startsWith(prefix));
      if (matching.length === 0) continue;
      for (const listener of listeners) listener(matching);
    }
  }

  /** A batch's entries by key, in order; a one-key batch (the usual) is not copied. */
  private byKey(entries: E[]): Iterable<[string, E[]]> {
    const first = this.keyOf(entries[0]!);
    if (entries.every((e) => this.keyOf(e) === first)) return [[first, entries]];
    const groups = new Map<string, E[]>();
    for (const entry of entries) {
      const key = this.keyOf(entry);
      const group = groups.get(key);
      if (group) group.push(entry);
      else groups.set(key, [entry]);
    }
    return groups;
  }
}
