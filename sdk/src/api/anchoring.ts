import { Type, type Static } from "typebox";
import { Bytes32 } from "./primitives.js";
import type { Hex } from "../hex.js";

/** `POST /anchors` answers each leaf with where it stands. */
export const AcceptedLeafSchema = Type.Object({ leaf: Bytes32, status: Type.Union([Type.Literal("pending"), Type.Literal("anchored")]) });
export type AcceptedLeaf = Static<typeof AcceptedLeafSchema>;

export const SubmitResultSchema = Type.Object({
  leaves: Type.Array(AcceptedLeafSchema),
  /** True when the service answered an earlier request with the same Idempotency-Key. */
  replayed: Type.Boolean(),
});
export type SubmitResult = Static<typeof SubmitResultSchema>;

export const PendingLeafSchema = Type.Object({
  status: Type.Literal("pending"),
  leaf: Bytes32,
  submittedAt: Type.Integer({ description: "milliseconds since the epoch" }),
});

/**
 * The leaf's batch is in a block, fewer than the service's required confirmations deep: not a receipt
 * yet, since a reorganization may still drop the transaction (the service then sends it again).
 */
export const ConfirmingLeafSchema = Type.Object({
  status: Type.Literal("confirming"),
  leaf: Bytes32,
  submittedAt: Type.Integer({ description: "milliseconds since the epoch" }),
  txHash: Bytes32,
  blockNumber: Type.Integer(),
  confirmations: Type.Integer({ minimum: 1, description: "blocks the transaction is under, its own included, when the service last looked" }),
  confirmationsRequired: Type.Integer({ minimum: 1, description: "blocks needed before the leaf is anchored (ANCHOR_CONFIRMATIONS)" }),
});
export type ConfirmingLeaf = Static<typeof ConfirmingLeafSchema>;

/** What the anchoring service knows of a receipt: all but the document hash and salt, which only the client holds. */
export const AnchoredLeafSchema = Type.Object({
  leaf: Bytes32,
  proof: Type.Array(Bytes32),
  root: Bytes32,
  chainId: Type.Integer(),
  contract: Type.Unsafe<Hex>(Type.String({ pattern: "^0x[0-9a-f]{40}$" })),
  txHash: Bytes32,
  blockNumber: Type.Integer(),
  anchoredAt: Type.Integer({ description: "block time, seconds since the epoch" }),
});
export type AnchoredLeaf = Static<typeof AnchoredLeafSchema>;

/**
 * `GET /anchors/:leaf`: pending, confirming (mined, not yet deep enough), or anchored with everything a
 * receipt needs but the document's part.
 */
export const LeafStateSchema = Type.Union([Type.Object({ status: Type.Literal("anchored"), ...AnchoredLeafSchema.properties }), ConfirmingLeafSchema, PendingLeafSchema]);
export type LeafState = Static<typeof LeafStateSchema>;

/** Where a record's commitment stands at the anchoring service, as the vault reports it and the web shows it. */
export type AnchoringState =
  | { status: "queued" }
  | { status: "pending" }
  | { status: "confirming"; confirmations: number; confirmationsRequired: number; blockNumber: number }
  | { status: "anchored"; anchored: AnchoredLeaf }
  | { status: "failed"; reason: string };
