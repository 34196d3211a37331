/**
 * One value kept for a fixed time, measured on the injected clock (so tests can move time).
 * The pending promise is cached too, so concurrent readers share one computation; a failure is
 * not kept. Per process: every instance keeps its own copy, which is fine for figures that are
 * the same for everyone and may be up to `ttlMs` old.
 */
export class TtlCache<T> {
  private entry?: { expiresAt: number; value: Promise<T> };

  constructor(private readonly ttlMs: number) {}

  get(now: Date, compute: () => Promise<T>): Promise<T> {
    const at = now.getTime();
    if (this.entry && at < this.entry.expiresAt) return this.entry.value;
    const value = compute();
    const entry = { expiresAt: at + this.ttlMs, value };
    this.entry = entry;
    value.catch(() => {
      if (this.entry === entry) this.entry = undefined;
    });
    return value;
  }

  clear(): void {
    this.entry = undefined;
  }
}
