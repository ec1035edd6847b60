// Answers of a function asked the same few questions over and over (rule texts, dates, wall
// times, kept lookups), kept until there are `limit` of them, then all forgotten at once: odd
// input cannot grow it without end, and a hit costs one Map lookup.
export class Memo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The answer kept for `key`, or `compute(key)`, kept. */
  get(key: K, compute: (key: K) => V): V {
    let value = this.values.get(key);
    if (value === undefined && !this.values.has(key)) {
      value = compute(key);
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, value);
    }
    return value as V;
  }
}
