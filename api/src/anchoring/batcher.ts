import type { FastifyBaseLogger } from "fastify";
import { buildBatch, type Hex } from "@openchart/sdk";
import type { AnchorChain } from "./chain.js";
import type { BatchRow, Store, TxAttempt } from "../store/store.js";
import { gasBudgetState } from "./gas-budget.js";

export interface BatcherOptions {
  batchSize: number;
  intervalMs: number;
  confirmations: number;
  stuckTxMs: number;
  pollMs: number;
  /** Gas units the confirmed batches may use in any 24 hours; beyond, no new batch is built (leaves wait). */
  gasBudgetPerDay: number;
}

export interface BatcherState {
  /** Why the last round failed (chain unreachable, a rejected transaction), or null. */
  lastError: string | null;
  /** When the last batch was confirmed, milliseconds since the epoch. */
  lastConfirmedAt: number | null;
}

export const newBatcherState = (): BatcherState => ({ lastError: null, lastConfirmedAt: null });

/**
 * Turns waiting leaves into anchored batches, one batch at a time. All progress lives in the store,
 * and every round starts from what the store and the chain say, never from memory: a process
 * killed at any point resumes where it was. The invariants that keep a batch from being anchored
 * twice: a batch's transaction is signed and stored before it is broadcast; every later transaction
 * for it reuses that nonce (only one can be mined) unless the chain shows the nonce spent and the
 * root still unanchored; and `anchorOf(root)` is asked before any new nonce is used.
 *
 * Reorganizations: a batch is confirmed (its leaves "anchored") only once its transaction is
 * `confirmations` blocks deep; before that the store only notes where it is mined, and its leaves
 * answer "confirming". A transaction that a reorganization takes out of the chain has no receipt on
 * the next round: the note is cleared, and the same signed transaction is broadcast again (same nonce
 * and hash) unless the node already holds it again, as nodes do with reorganized transactions.
 */
export class Batcher {
  private running: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Stuck transactions that the fee cap leaves no room to replace. */
  private readonly atFeeCap = new Set<Hex>();
  /** Only to log the budget's state when it changes. */
  private budgetSpent = false;

  constructor(
    private readonly store: Pick<Store, "leaves" | "batches">,
    private readonly chain: AnchorChain,
    private readonly options: BatcherOptions,
    private readonly log: FastifyBaseLogger,
    /** Shared with `/healthz`, which reports it. */
    readonly state: BatcherState = newBatcherState(),
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
      let busy = false;
      try {
        busy = await this.round();
        this.state.lastError = null;
      } catch (error) {
        const message = (error as Error).message;
        if (this.state.lastError !== message) this.log.warn({ err: message }, "anchoring round failed; retrying");
        this.state.lastError = message;
      }
      if (!busy) await this.sleep(this.options.pollMs);
    }
  }

  /** One step of progress. True when there is more to do at once. */
  async round(now = Date.now()): Promise<boolean> {
    const open = await this.store.batches.open();
    if (open) return this.advance(open, now);
    const { count, oldestSubmittedAt } = await this.store.leaves.pendingStats();
    const due = count >= this.options.batchSize || (count > 0 && now - oldestSubmittedAt! >= this.options.intervalMs);
    if (!due) return false;
    const budgetSpent = (await gasBudgetState(this.store.batches, this.options.gasBudgetPerDay, now)).spent;
    if (budgetSpent !== this.budgetSpent) {
      this.budgetSpent = budgetSpent;
      if (budgetSpent) this.log.warn("daily gas budget (ANCHOR_GAS_BUDGET_PER_DAY) spent: leaves wait until it frees");
    }
    if (budgetSpent) return false;
    const batch = await this.store.batches.create({ maxLeaves: this.options.batchSize, now, build: buildBatch });
    if (batch) this.log.info({ batch: batch.id, root: batch.root, leaves: batch.leafCount }, "batch built");
    return batch !== null;
  }

  /** Moves an open batch one step towards confirmed. True when it was confirmed in this step. */
  private async advance(batch: BatchRow, now: number): Promise<boolean> {
    const attempts = await this.store.batches.attempts(batch.id);
    for (const attempt of [...attempts].reverse()) {
      const receipt = await this.chain.receipt(attempt.txHash);
      if (receipt?.status === 1) return this.confirmWhenDeep(batch, attempt.txHash, receipt.blockNumber, receipt.gasUsed, now);
    }
    if (batch.mined) {
      this.log.warn({ batch: batch.id, tx: batch.mined.txHash, block: batch.mined.blockNumber }, "the anchoring transaction left the chain in a reorganization; sending it again");
      await this.store.batches.markMined(batch.id, null);
    }
    if ((await this.chain.anchoredAt(batch.root)) !== 0) {
      // Anchored by a transaction of ours that this store has no record of (the same key used by a
      // restored backup, say): the receipt names the transaction that did it, and it is never sent again.
      const txHash = await this.chain.anchoringTx(batch.root);
      const receipt = txHash ? await this.chain.receipt(txHash) : null;
      if (!txHash || !receipt) return false;
      return this.confirmWhenDeep(batch, txHash, receipt.blockNumber, receipt.gasUsed, now);
    }
    const last = attempts.at(-1);
    if (!last) return this.send(batch, now);
    if ((await this.chain.minedNonce()) > last.nonce) {
      // The nonce is spent, none of our transactions for it anchored the root (a revert, or the key
      // used elsewhere), and the root is not anchored: only now is a new nonce safe.
      this.log.warn({ batch: batch.id, nonce: last.nonce }, "nonce spent without anchoring the batch; sending with a new nonce");
      return this.send(batch, now);
    }
    if (now - last.sentAt >= this.options.stuckTxMs && !this.atFeeCap.has(last.txHash)) {
      this.log.warn({ batch: batch.id, nonce: last.nonce, tx: last.txHash }, "anchoring transaction stuck; replacing it with a higher fee");
      return this.send(batch, now, last);
    }
    if (!(await this.chain.isKnown(last.txHash))) {
      // Signed and stored, but the process died before sending it, or the node dropped it.
      const result = await this.chain.broadcast(last.rawTx);
      this.log.info({ batch: batch.id, tx: last.txHash, result }, "re-broadcast the stored anchoring transaction");
    }
    return false;
  }

  private async send(batch: BatchRow, now: number, replacing?: TxAttempt): Promise<boolean> {
    const signed = await this.chain.signAnchor(batch.root, batch.leafCount, replacing);
    if (!signed) {
      this.atFeeCap.add(replacing!.txHash);
      this.log.warn({ batch: batch.id, tx: replacing!.txHash }, "fee cap (ANCHOR_MAX_FEE_GWEI) reached: waiting for the stuck transaction");
      return false;
    }
    await this.store.batches.addAttempt({ batchId: batch.id, ...signed, sentAt: now });
    const result = await this.chain.broadcast(signed.rawTx);
    this.log.info({ batch: batch.id, tx: signed.txHash, nonce: signed.nonce, result }, "anchoring transaction sent");
    return false;
  }

  private async confirmWhenDeep(batch: BatchRow, txHash: Hex, blockNumber: number, gasUsed: bigint, now: number): Promise<boolean> {
    // A receipt means the transaction is in a block: at least one confirmation, even if the node's head
    // answer lags behind the block it just named.
    const confirmations = Math.max(1, (await this.chain.blockNumber()) - blockNumber + 1);
    if (confirmations < this.options.confirmations) {
      const seen = batch.mined;
      if (!seen || seen.txHash !== txHash || seen.blockNumber !== blockNumber || seen.confirmations !== confirmations) {
        await this.store.batches.markMined(batch.id, { txHash, blockNumber, confirmations });
      }
      return false;
    }
    const anchoredAt = await this.chain.anchoredAt(batch.root);
    if (anchoredAt === 0) return false; // reorganized away: the next round resends
    await this.store.batches.confirm(
      batch.id,
      { txHash, blockNumber, anchoredAt, gasUsed: Number(gasUsed) },
      { subject: "service", action: "anchor.batch", decision: "confirmed", refs: { root: batch.root, txHash, leafCount: batch.leafCount } },
      now,
    );
    this.state.lastConfirmedAt = now;
    this.log.info({ batch: batch.id, root: batch.root, tx: txHash, block: blockNumber }, "batch anchored");
    return true;
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
