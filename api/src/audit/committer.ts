import { Worker } from "node:worker_threads";
import type { AuditDraft, AuditEntry } from "./log.js";

interface Pending {
  resolve(entries: AuditEntry[]): void;
  reject(error: Error): void;
}

/**
 * Commits audit entries to the SQLite file from a worker thread. better-sqlite3 is synchronous: a
 * fully synced commit (1 to 4 ms here) on the main thread stops every request for that long. On its
 * own thread, the sync overlaps with request handling, and entries arriving meanwhile share the next
 * commit (AuditWriter's group commit).
 */
export class AuditCommitter {
  /**
   * Only the built server (dist/*.js) starts the thread: run from sources through tsx, a worker would
   * not inherit tsx's loader (Node 20), so the store commits on its own thread instead.
   */
  static readonly available = !import.meta.url.endsWith(".ts");

  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(file: string) {
    this.worker = new Worker(new URL("./thread.js", import.meta.url), { workerData: { file } });
    this.worker.on("message", ({ id, entries, error }: { id: number; entries?: AuditEntry[]; error?: string }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) this.worker.unref();
      if (error !== undefined || !entries) waiting?.reject(new Error(`audit commit failed: ${error}`));
      else waiting?.resolve(entries);
    });
    this.worker.on("error", (error) => this.failAll(error));
    this.worker.on("exit", (code) => this.failAll(new Error(`the audit thread exited with code ${code}`)));
    this.worker.unref();
  }

  append(drafts: readonly AuditDraft[], now: number): Promise<AuditEntry[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<AuditEntry[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, drafts, now });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
