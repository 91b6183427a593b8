import type { Hex } from "@openchart/sdk";
import type { AuditEntry } from "../audit/log.js";
import type { AuditHead, BatchRow, BatchStatus, LeafRecord, StoredAnswer, TxAttempt } from "./store.js";

// The rows of the tables both engines define alike (same column names; see schema.ts), and their
// mapping to and from the store's types. Engines speak rows; the stores above them speak types.

export interface LeafDbRow {
  leaf: string;
  submitted_at: number;
  batch_id: number | null;
  proof: string | null;
}

export interface BatchDbRow {
  id: number;
  root: string;
  leaf_count: number;
  created_at: number;
  status: BatchStatus;
  tx_hash: string | null;
  block_number: number | null;
  anchored_at: number | null;
  gas_used: number | null;
  mined_tx: string | null;
  mined_block: number | null;
  mined_depth: number | null;
}

export interface AttemptDbRow {
  batch_id: number;
  tx_hash: string;
  nonce: number;
  raw_tx: string;
  max_fee: string;
  priority_fee: string;
  sent_at: number;
}

export interface AuditDbRow {
  seq: number;
  at: number;
  subject: string;
  action: string;
  decision: string;
  refs: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadDbRow {
  leaf: string;
  seq: number;
  batch_id: number;
}

export interface IdempotentDbRow {
  scope: string;
  route: string;
  key_hash: string;
  fingerprint: string;
  state: "reserved" | "done";
  lease_until: number;
  expires_at: number;
  status: number | null;
  content_type: string | null;
  body: string | null;
}

export function toBatch(row: BatchDbRow): BatchRow {
  return {
    id: row.id,
    root: row.root as Hex,
    leafCount: row.leaf_count,
    createdAt: row.created_at,
    status: row.status,
    anchor:
      row.status === "confirmed"
        ? { txHash: row.tx_hash as Hex, blockNumber: row.block_number!, anchoredAt: row.anchored_at!, gasUsed: row.gas_used! }
        : null,
    mined:
      row.status !== "confirmed" && row.mined_tx !== null
        ? { txHash: row.mined_tx as Hex, blockNumber: row.mined_block!, confirmations: row.mined_depth! }
        : null,
  };
}

export function toLeaf(row: LeafDbRow, batch: BatchDbRow | undefined): LeafRecord {
  return { leaf: row.leaf as Hex, submittedAt: row.submitted_at, proof: row.proof ? (JSON.parse(row.proof) as Hex[]) : null, batch: batch ? toBatch(batch) : null };
}

export const proofColumn = (proof: readonly Hex[]): string => JSON.stringify(proof);

export function toAttempt(row: AttemptDbRow): TxAttempt {
  return {
    batchId: row.batch_id,
    txHash: row.tx_hash as Hex,
    nonce: row.nonce,
    rawTx: row.raw_tx as Hex,
    maxFeePerGas: BigInt(row.max_fee),
    maxPriorityFeePerGas: BigInt(row.priority_fee),
    sentAt: row.sent_at,
  };
}

export function attemptRow(attempt: TxAttempt): AttemptDbRow {
  return {
    batch_id: attempt.batchId,
    tx_hash: attempt.txHash,
    nonce: attempt.nonce,
    raw_tx: attempt.rawTx,
    max_fee: attempt.maxFeePerGas.toString(),
    priority_fee: attempt.maxPriorityFeePerGas.toString(),
    sent_at: attempt.sentAt,
  };
}

export function toAudit(row: AuditDbRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    subject: row.subject,
    action: row.action as AuditEntry["action"],
    decision: row.decision as AuditEntry["decision"],
    refs: JSON.parse(row.refs) as AuditEntry["refs"],
    prevHash: row.prev_hash as Hex,
    hash: row.hash as Hex,
  };
}

export function auditRow(entry: AuditEntry): AuditDbRow {
  return {
    seq: entry.seq,
    at: entry.at,
    subject: entry.subject,
    action: entry.action,
    decision: entry.decision,
    refs: JSON.stringify(entry.refs),
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

export const toAuditHead = (row: AuditHeadDbRow): AuditHead => ({ seq: row.seq, leaf: row.leaf as Hex, batchId: row.batch_id });

export function storedAnswer(row: IdempotentDbRow): StoredAnswer | null {
  return row.state === "done" ? { status: row.status!, contentType: row.content_type!, body: row.body! } : null;
}
