/**
 * Group commit for busy routes: every item is still written and synced before its caller's answer leaves,
 * but the items that arrive while one transaction is being synced share the next one, so one disk sync
 * serves many requests instead of one each. `commit` writes a batch in one transaction and returns one
 * result per item, in order.
 */
export class GroupCommit<T, R = void> {
  private queue: { item: T; done(error: unknown, result?: R): void }[] = [];
  private busy = false;

  constructor(
    private readonly commit: (items: T[]) => Promise<R[]>,
    /** The most items one transaction carries. */
    private readonly maxBatch = 512,
  ) {}

  /** Resolves with the item's result once its batch is durably committed. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, done: (error, result) => (error === undefined ? resolve(result as R) : reject(error)) });
      if (!this.busy) this.schedule();
    });
  }

  // setImmediate, not a microtask: requests already read from their sockets get to queue their
  // items before the (synchronous, for SQLite) transaction blocks the event loop.
  private schedule(): void {
    this.busy = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      const results = await this.commit(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => waiting.done(undefined, results[i]));
    } catch (error) {
      for (const waiting of batch) waiting.done(error);
    }
    if (this.queue.length > 0) this.schedule();
    else this.busy = false;
  }
}
