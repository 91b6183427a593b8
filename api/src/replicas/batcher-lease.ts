import os from "node:os";
import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { BatchStore, LeaseFence, LeaseStore } from "../store/store.js";

/** The name of the batcher's lease in the `leases` table. */
export const BATCHER_LEASE = "anchoring-batcher";

/** What the leadership drives: the batcher's own loop (anchoring/batcher.ts). */
export interface Runnable {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Runs the batcher on exactly one replica at a time. Each replica tries to take the batcher's lease (a row
 * in the shared database, timed by the database's clock); the one that holds it runs the batcher and
 * renews the lease every third of its lifetime, the others try again every fifth. A holder killed
 * with SIGKILL stops renewing, and another replica takes over once the lease lapses; a holder stopped
 * cleanly gives the lease up at once.
 *
 * A holder that cannot renew (the database unreachable, the process frozen past the lease) stops its
 * batcher; and the batcher's writes are fenced (`fencedBatches`): made under a lease no longer held,
 * they are refused inside their transaction, so two replicas never both advance a batch. Where the
 * chain is concerned the batcher's own rules hold as after a crash: a transaction is stored before it is
 * sent, and the new holder resends that one (same nonce) rather than a new one.
 */
export class BatcherLeadership {
  /** This process: host, pid and a random tag (a pid is reused after a restart). */
  readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private leading = false;
  private stopped = true;
  /** The next step, waiting for its turn; and the step under way, which stop() waits for. */
  private timer: NodeJS.Timeout | undefined;
  private stepping: Promise<void> = Promise.resolve();
  private batcher: Runnable | undefined;
  private log: FastifyBaseLogger | undefined;

  constructor(
    private readonly leases: LeaseStore,
    private readonly ttlMs: number,
  ) {}

  /** Whether this replica runs the batcher now. */
  get leader(): boolean {
    return this.leading;
  }

  /** The fence the batcher's writes are made under. */
  get fence(): LeaseFence {
    return { name: BATCHER_LEASE, holder: this.holder };
  }

  /** Competes for the lease from now on, and runs `batcher` while it holds it. */
  start(batcher: Runnable, log: FastifyBaseLogger): void {
    if (!this.stopped) return;
    this.batcher = batcher;
    this.log = log;
    this.stopped = false;
    this.stepping = this.leases
      .releaseAbandoned(BATCHER_LEASE)
      .catch((error: Error) => log.warn({ err: error.message }, "could not free the batcher's lease at start"))
      .then(() => this.next(0));
  }

  /** Stops the batcher (its current step finishes) and gives the lease up, so another replica takes it at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.stepping;
    if (this.leading) await this.batcher!.stop();
    this.leading = false;
    // Also when a step under way took the lease just now: it is given up all the same.
    await this.leases.release(BATCHER_LEASE, this.holder).catch((error: Error) => this.log!.warn({ err: error.message }, "could not release the batcher's lease"));
  }

  /** The holder renews every third of the lease; the others try every fifth. */
  private next(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.stepping = this.step()
        .catch((error: Error) => this.log!.error({ err: error.message }, "the batcher's lease step failed"))
        .then(() => this.next(this.leading ? this.ttlMs / 3 : this.ttlMs / 5));
    }, delayMs);
  }

  private async step(): Promise<void> {
    let held: boolean;
    try {
      held = await this.leases.acquire(BATCHER_LEASE, this.holder, this.ttlMs);
    } catch (error) {
      if (this.leading) this.log!.warn({ err: (error as Error).message }, "could not renew the batcher's lease");
      held = false;
    }
    if (this.stopped) return;
    if (held && !this.leading) {
      this.leading = true;
      this.log!.info({ holder: this.holder }, "holding the batcher's lease: this replica anchors");
      this.batcher!.start();
    } else if (!held && this.leading) {
      this.leading = false;
      this.log!.warn({ holder: this.holder }, "lost the batcher's lease: another replica anchors");
      await this.batcher!.stop();
    }
  }
}

/** The batch store as the batcher sees it: every write first checks that this replica still holds the lease. */
export function fencedBatches(batches: BatchStore, fence: LeaseFence): BatchStore {
  return {
    ...batches,
    create: (input) => batches.create({ ...input, fence }),
    addAttempt: (attempt) => batches.addAttempt(attempt, fence),
    confirm: (batchId, anchor, audit, now) => batches.confirm(batchId, anchor, audit, now, fence),
    // Reorg-safe confirmations: noting (or, after a reorganization, clearing) where the transaction is mined is fenced too.
    markMined: (batchId, mined) => batches.markMined(batchId, mined, fence),
  };
}
