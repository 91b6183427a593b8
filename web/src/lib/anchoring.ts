import type { AnchoringState } from "@openchart/sdk";

/** What the records list shows about a record's fingerprint on the chain. */
export type AnchorDisplay =
  | { kind: "anchored"; anchoredAt: number; txHash: string; blockNumber: number }
  | { kind: "pending" }
  | { kind: "failed"; reason: string };

interface StoredAnchor {
  anchoredAt?: unknown;
  txHash?: unknown;
  blockNumber?: unknown;
}

/** Reads the anchoring coordinates a record keeps once anchored (its `receipt` field, JSON). */
export function anchorDisplayOf(receipt: string | undefined): AnchorDisplay {
  if (!receipt) return { kind: "pending" };
  try {
    const stored = JSON.parse(receipt) as StoredAnchor;
    if (typeof stored.anchoredAt === "number" && typeof stored.txHash === "string" && typeof stored.blockNumber === "number") {
      return { kind: "anchored", anchoredAt: stored.anchoredAt, txHash: stored.txHash, blockNumber: stored.blockNumber };
    }
  } catch {
    // fall through: a record whose receipt field is not ours is shown as unreadable
  }
  return { kind: "failed", reason: "its anchoring receipt is unreadable" };
}

/** The state the vault reports after asking the anchoring service, as the list shows it. */
export function anchorDisplayFromState(state: AnchoringState): AnchorDisplay {
  switch (state.status) {
    case "anchored":
      return { kind: "anchored", anchoredAt: state.anchored.anchoredAt, txHash: state.anchored.txHash, blockNumber: state.anchored.blockNumber };
    case "failed":
      return { kind: "failed", reason: state.reason };
    default:
      return { kind: "pending" };
  }
}
