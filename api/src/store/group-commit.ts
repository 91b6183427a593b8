interface Waiting<In, Out> {
  item: In;
  resolve(result: Out): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items that arrive while one batch is being written (and synced) go together in the next
 * batch, one transaction and one disk sync for all of them; each caller still waits for its own item to be
 * durable and gets its own result. `write` takes a batch and returns one result per item, in order.
 */
export class GroupCommit<In, Out> {
  private queue: Waiting<In, Out>[] = [];
  private busy = false;

  constructor(
    private readonly write: (batch: In[]) => Promise<Out[]>,
    /** The most items one batch carries. */
    private readonly maxBatch = 512,
  ) {}

  /** Resolves with the item's result once its batch is committed. */
  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.busy) this.schedule();
    });
  }

  // setImmediate, not a microtask: requests already read from their sockets get to queue their items
  // before the (synchronous, for SQLite) transaction blocks the event loop.
  private schedule(): void {
    this.busy = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      const results = await this.write(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => waiting.resolve(results[i]!));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
    if (this.queue.length > 0) this.schedule();
    else this.busy = false;
  }
}
