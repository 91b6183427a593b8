import { describe, expect, it } from "vitest";
import { commitmentOf, newSalt } from "./commitment.js";
import type { Hex } from "./hex.js";
import { buildBatch, rootFromProof } from "./merkle.js";
import { ReceiptVerifier } from "./receipt-verifier.js";
import type { RootAnchor } from "./root-anchor.js";

const BATCHER: Hex = `0x${"ba".repeat(20)}`;
const STRANGER: Hex = `0x${"5e".repeat(20)}`;
/** anchorOf's answer for a batch root the batcher anchored with `anchorRoot`. */
const batchRoot = (at: number, leafCount = 5): RootAnchor => ({ at, anchorer: BATCHER, leafCount });
const NOT_ANCHORED: RootAnchor = { at: 0, anchorer: `0x${"00".repeat(20)}`, leafCount: 0 };

async function batchOf(n: number) {
  const items = Array.from({ length: n }, () => {
    const documentSha256 = newSalt();
    const salt = newSalt();
    return { documentSha256, salt, leaf: commitmentOf(documentSha256, salt) };
  });
  const batch = buildBatch(items.map((i) => i.leaf));
  return { batch, receipts: items.map((i) => ({ ...i, proof: batch.proofOf(i.leaf), root: batch.root, anchoredAt: 1_800_000_000 })) };
}

describe("ReceiptVerifier", () => {
  it("agrees with rootFromProof on every proof of a 1,024-leaf batch and asks the chain once per root", async () => {
    const { batch, receipts } = await batchOf(1024);
    const asked: Hex[] = [];
    const verifier = await ReceiptVerifier.withLookup(async (root) => (asked.push(root), root === batch.root ? batchRoot(1_800_000_000, 1024) : NOT_ANCHORED));
    for (const receipt of receipts) {
      expect(receipt.proof).toHaveLength(10);
      expect(rootFromProof(receipt.leaf, receipt.proof)).toBe(batch.root);
      expect(await verifier.verify(receipt)).toEqual({ verified: true, anchoredAt: 1_800_000_000 });
    }
    expect(asked).toEqual([batch.root]);
  });

  it("names what is wrong with a tampered receipt", async () => {
    const { receipts } = await batchOf(5);
    const verifier = await ReceiptVerifier.withLookup(async () => batchRoot(1_800_000_000));
    const [r] = receipts;
    const flip = (h: Hex): Hex => `0x${h[2] === "0" ? "1" : "0"}${h.slice(3)}`;
    expect(await verifier.verify({ ...r!, proof: [flip(r!.proof[0]!), ...r!.proof.slice(1)] })).toMatchObject({ reason: /Merkle proof/ });
    expect(await verifier.verify({ ...r!, salt: flip(r!.salt) })).toMatchObject({ reason: /commitment/ });
    expect(await verifier.verify({ ...r!, anchoredAt: 5 })).toMatchObject({ reason: /chain says 1800000000/ });
    expect(await verifier.verify({ ...r!, root: "0x12" })).toMatchObject({ reason: /32-byte hex/ });
    const unanchored = await ReceiptVerifier.withLookup(async () => NOT_ANCHORED);
    expect(await unanchored.verify(r!)).toMatchObject({ reason: /not anchored/ });
  });

  it("refuses a batch root a stranger anchored with the open anchor(), but accepts a leaf anchored directly", async () => {
    const { receipts } = await batchOf(5);
    const [r] = receipts;
    // anchor(root) by anyone: the registry records the time and the stranger, and no leaf count.
    const squatted = await ReceiptVerifier.withLookup(async () => ({ at: 1_800_000_000, anchorer: STRANGER, leafCount: 0 }));
    expect(await squatted.verify(r!)).toMatchObject({ verified: false, reason: /anchored by 0x5e5e.* with the open anchor\(\), not as a batch root/ });
    const direct = { ...r!, proof: [], root: r!.leaf };
    expect(await squatted.verify(direct)).toEqual({ verified: true, anchoredAt: 1_800_000_000 });
  });

  it("refuses an anchorer outside trustedAnchorers", async () => {
    const { receipts } = await batchOf(3);
    const verifier = await ReceiptVerifier.withLookup(async () => batchRoot(1_800_000_000), { trustedAnchorers: [STRANGER] });
    expect(await verifier.verify(receipts[0]!)).toMatchObject({ verified: false, reason: /not a trusted anchorer/ });
  });
});
