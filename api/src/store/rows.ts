import type { Hex } from "@openchart/sdk";
import type { AuditEntry } from "../audit/log.js";
import type { BatchRow, BatchStatus, IdempotentBegin, IdempotentOutcome } from "./store.js";

// Row shapes and their mapping to the Store's types, shared by the SQLite and PostgreSQL stores
// (same tables, same column names).

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

/**
 * What an earlier record of the same Idempotency-Key means for a new request; null when the new request
 * may take the key (the record expired, or its reservation was abandoned past its lease).
 */
export function idempotentOutcome(row: IdempotentDbRow, request: IdempotentBegin): IdempotentOutcome | null {
  if (row.expires_at <= request.now) return null;
  if (row.fingerprint !== request.fingerprint) return { kind: "conflict" };
  if (row.state === "done") return { kind: "replay", answer: { status: row.status!, contentType: row.content_type!, body: row.body! } };
  return row.lease_until > request.now ? { kind: "in-progress" } : null;
}
