/**
 * What this isolate last read of the directory (a key, a merchant's shard, whether a merchant is
 * tailed), each answer kept `ttlMs`: the one way the Worker bounds how stale a directory read may
 * be, so a change written there is seen everywhere within that time.
 */
export class IsolateCache<V> {
  private readonly entries = new Map<string, { value: V; fetched: number }>();

  constructor(private readonly ttlMs: number) {}

  /** The answer read at most `ttlMs` before `now`, or undefined: read the directory again. */
  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    return entry && entry.fetched + this.ttlMs > now ? entry.value : undefined;
  }

  set(key: string, value: V, now: number): void {
    this.entries.set(key, { value, fetched: now });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
