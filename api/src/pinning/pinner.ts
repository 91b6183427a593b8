import type { FastifyBaseLogger } from "fastify";
import { keyDigest } from "../audit/log.js";
import type { PinProgress, PinRow, PinStore } from "../store/store.js";
import { PinServiceError, type PinObject, type RemotePinning, type RemoteStatus } from "./service-client.js";

export interface PinnerOptions {
  origins: string[];
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  statusPollMs: number;
  pollMs: number;
  /** The longest wait for one answer of the service: a claimed row's lease outlasts a step's calls. */
  timeoutMs: number;
}

/** Rows one round claims: a slow service must not hold every due row under one replica's lease. */
const ROWS_PER_ROUND = 16;

/**
 * Carries the pin requests in the store to the remote service, one step per due row per round. All
 * progress lives in the store, so a process killed at any moment resumes from there:
 * - before a POST (new pin, or a replacement) the row is marked `submitting`; a row found so marked
 *   asks the service for a request with its random name first, and adopts it instead of pinning twice;
 * - a row is worked on only under a lease (`claimDue`), and written only while the lease holds, so
 *   replicas sharing one PostgreSQL may all run a pinner;
 * - errors (no answer, 5xx, 429, 401) are retried with exponential backoff and jitter, and after
 *   `maxAttempts` the pin is `failed` (the caller may ask again); a 400 fails at once; a request the
 *   service reports `failed` is replaced by a new one, counted as an attempt.
 * Logs name a pin by the digest of its CID (as the audit log does), never by the CID or the caller.
 */
export class Pinner {
  private running: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly store: PinStore,
    private readonly remote: RemotePinning,
    private readonly options: PinnerOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.stopped = false;
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let handled = 0;
      try {
        handled = await this.round();
      } catch (error) {
        // The database, not the service (whose errors each step keeps on its row).
        const message = (error as Error).message;
        if (this.lastError !== message) this.log.warn({ err: message }, "pinning round failed; retrying");
        this.lastError = message;
      }
      if (handled < ROWS_PER_ROUND) await this.sleep(this.options.pollMs);
    }
  }

  /** One pass over the rows due now; returns how many it claimed. */
  async round(now = Date.now()): Promise<number> {
    const rows = await this.store.claimDue(now, this.options.timeoutMs * 4 + 5_000, ROWS_PER_ROUND);
    for (const row of rows) await this.step(row, now);
    return rows.length;
  }

  private async step(row: PinRow, now: number): Promise<void> {
    const current: PinProgress = { status: row.status, requestId: row.requestId, submitting: row.submitting, attempts: row.attempts, nextAttemptAt: row.nextAttemptAt, reason: row.reason };
    try {
      if (row.wanted === "unpin") return await this.unpin(row, current, now);
      await this.advance(row, current, now);
    } catch (error) {
      if (!(error instanceof PinServiceError)) throw error;
      const attempts = current.attempts + 1;
      const giveUp = row.wanted === "pin" && (error.permanent || attempts >= this.options.maxAttempts);
      // Removal is never given up: the ciphertext would stay at the service, on the operator's account.
      const next: PinProgress = giveUp
        ? { ...current, status: "failed", attempts, nextAttemptAt: null, reason: error.message }
        : { ...current, attempts, nextAttemptAt: now + this.backoff(attempts), reason: error.message };
      this.log.warn({ pin: keyDigest(row.cid), attempts, err: error.message, gaveUp: giveUp }, giveUp ? "remote pin failed; giving up" : "remote pinning call failed; retrying later");
      await this.store.settle(row, next, now, true);
    }
  }

  /** One step towards pinned: post, adopt, poll or replace, whichever the row needs. */
  private async advance(row: PinRow, current: PinProgress, now: number): Promise<void> {
    const pin: PinObject = { cid: row.cid, name: row.name, origins: this.options.origins };
    if (current.requestId === null) {
      const adopted = current.submitting ? await this.remote.find(pin) : null;
      if (adopted) this.log.info({ pin: keyDigest(row.cid) }, "adopted the remote pin request a crash left unrecorded");
      const posted = adopted ?? (await this.submitting(row, current, now, () => this.remote.add(pin)));
      if (posted) await this.record(row, current, posted, now);
      return;
    }
    const seen = await this.remote.status(current.requestId);
    if (!seen) {
      // The service forgot the request: pin afresh on the next round.
      return void (await this.store.settle(row, { ...current, requestId: null, submitting: false, status: "queued", nextAttemptAt: now }, now, true));
    }
    if (seen.status !== "failed") return this.record(row, current, seen, now);
    const attempts = current.attempts + 1;
    if (attempts >= this.options.maxAttempts) {
      this.log.warn({ pin: keyDigest(row.cid), attempts }, "the pinning service failed the pin each time; giving up");
      return void (await this.store.settle(row, { ...current, status: "failed", attempts, nextAttemptAt: null, reason: "the pinning service reported the pin failed" }, now, true));
    }
    current.attempts = attempts;
    current.reason = "the pinning service reported the pin failed";
    const replaced = await this.submitting(row, current, now, () => this.remote.replace(seen.requestId, pin));
    if (replaced) await this.record(row, current, replaced, now);
  }

  /** Marks the row `submitting` (kept under the lease), then makes the call; null when the lease was lost. */
  private async submitting(row: PinRow, current: PinProgress, now: number, post: () => Promise<RemoteStatus>): Promise<RemoteStatus | null> {
    if (!(await this.store.settle(row, { ...current, submitting: true }, now, false))) return null;
    current.submitting = true;
    return post();
  }

  /**
   * Stores what the service said of the request, and when to ask again. A request the service already
   * failed stays `queued` here: the next status read replaces it, and only giving up makes a pin `failed`.
   */
  private async record(row: PinRow, current: PinProgress, remote: RemoteStatus, now: number): Promise<void> {
    const pinned = remote.status === "pinned";
    await this.store.settle(
      row,
      {
        ...current,
        requestId: remote.requestId,
        submitting: false,
        status: remote.status === "failed" ? "queued" : remote.status,
        nextAttemptAt: pinned ? null : now + this.options.statusPollMs,
        reason: pinned ? null : current.reason,
      },
      now,
      true,
    );
  }

  private async unpin(row: PinRow, current: PinProgress, now: number): Promise<void> {
    const requestId = current.requestId ?? (current.submitting ? (await this.remote.find({ cid: row.cid, name: row.name }))?.requestId : undefined);
    if (requestId) await this.remote.remove(requestId);
    if (await this.store.removeUnwanted(row)) return;
    // Wanted pinned again while it was being removed (or the lease was lost): pin afresh.
    await this.store.settle(row, { status: "queued", requestId: null, submitting: false, attempts: 0, nextAttemptAt: now, reason: null }, now, true);
  }

  /** Exponential, capped, with up to 25% jitter so that replicas and rows do not retry in step. */
  private backoff(attempts: number): number {
    const base = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** Math.min(attempts - 1, 30));
    return Math.round(base * (1 + Math.random() * 0.25));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
