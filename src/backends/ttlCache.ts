/**
 * What a service says that does not change within minutes (a database's id, a user's, the problem types), kept for
 * `ttlMs` in this process so that the operations of a session ask once. Loads are shared while they run; a failed load
 * is forgotten at once, so the next caller asks again.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > at) return hit.value;
    for (const [old, entry] of this.entries) if (entry.until <= at) this.entries.delete(old);
    const value = load();
    this.entries.set(key, { value, until: at + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
