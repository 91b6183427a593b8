import type { AuditDraft } from "./log.js";
import type { AuditStore } from "../store/store.js";

interface Waiting {
  draft: AuditDraft;
  done(error?: unknown): void;
}

/**
 * Group commit for busy routes (video tokens): every decision is still written, hash-chained and
 * synced before its answer leaves, but the entries that arrive while one transaction is being
 * synced share the next one, so one disk sync serves many requests instead of one each.
 */
export class AuditWriter {
  private queue: Waiting[] = [];
  private busy = false;

  constructor(
    private readonly audit: AuditStore,
    /** The most entries one transaction carries. */
    private readonly maxBatch = 512,
  ) {}

  /** Resolves once the entry is durably in the log. */
  append(draft: AuditDraft): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ draft, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.busy) this.schedule();
    });
  }

  // setImmediate, not a microtask: requests already read from their sockets get to queue their
  // entries before the (synchronous, for SQLite) transaction blocks the event loop.
  private schedule(): void {
    this.busy = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      await this.audit.appendMany(
        batch.map((waiting) => waiting.draft),
        Date.now(),
      );
      for (const waiting of batch) waiting.done();
    } catch (error) {
      for (const waiting of batch) waiting.done(error);
    }
    if (this.queue.length > 0) this.schedule();
    else this.busy = false;
  }
}
