import type { RecordSummary } from "@openchart/sdk/vault";
import type { AnchoringState } from "@openchart/sdk";

/** What the records list shows about a record's fingerprint on the chain. */
export type AnchorDisplay =
  | { kind: "anchored"; anchoredAt: number; txHash: string; blockNumber: number }
  | { kind: "pending" }
  | { kind: "confirming"; blockNumber: number; confirmations: number; confirmationsRequired: number }
  | { kind: "failed"; reason: string };

/** What a record keeps of its anchoring (the vault parses its receipt): nothing yet means pending. */
export function anchorDisplayOf(receipt: RecordSummary["receipt"]): AnchorDisplay {
  return receipt ? anchorDisplayFromState(receipt) : { kind: "pending" };
}

/** The state the vault reports after asking the anchoring service, as the list shows it. */
export function anchorDisplayFromState(state: AnchoringState): AnchorDisplay {
  switch (state.status) {
    case "anchored":
      return { kind: "anchored", anchoredAt: state.anchored.anchoredAt, txHash: state.anchored.txHash, blockNumber: state.anchored.blockNumber };
    case "confirming":
      return { kind: "confirming", blockNumber: state.blockNumber, confirmations: state.confirmations, confirmationsRequired: state.confirmationsRequired };
    case "failed":
      return { kind: "failed", reason: state.reason };
    default:
      return { kind: "pending" };
  }
}
