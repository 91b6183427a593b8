import { Type, type Static } from "typebox";
import { Bytes32 } from "./primitives.js";
import type { Hex } from "../hex.js";

/**
 * One audit head as `GET /audit/heads` publishes it: the hash of entry `seq` of the audit chain went
 * into a batch as one more leaf. No entry contents and no subjects: anyone may read it, and anyone
 * can check it against the chain with no account and no database.
 */
export const AuditHeadReceiptSchema = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  /** The hash of entry `seq`, which is also the leaf anchored. */
  entryHash: Bytes32,
  leaf: Bytes32,
  proof: Type.Array(Bytes32),
  root: Bytes32,
  /** Null while the batch holding the head is not yet confirmed on chain. */
  anchor: Type.Union([
    Type.Object({ txHash: Bytes32, blockNumber: Type.Integer(), anchoredAt: Type.Integer({ description: "seconds since the epoch" }) }),
    Type.Null(),
  ]),
});
export type AuditHeadReceipt = Static<typeof AuditHeadReceiptSchema>;

export const AuditHeadsSchema = Type.Object({
  chainId: Type.Integer(),
  contract: Type.Unsafe<Hex>(Type.String({ pattern: "^0x[0-9a-f]{40}$" })),
  heads: Type.Array(AuditHeadReceiptSchema),
});
export type AuditHeads = Static<typeof AuditHeadsSchema>;
