import { describe, expect, it } from "vitest";
import { commitmentOf, newSalt } from "./commitment.js";
import type { Hex } from "./hex.js";
import { buildBatch, rootFromProof } from "./merkle.js";
import { ReceiptVerifier } from "./receipt-verifier.js";

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
    const verifier = await ReceiptVerifier.withLookup(async (root) => (asked.push(root), root === batch.root ? 1_800_000_000 : 0));
    for (const receipt of receipts) {
      expect(receipt.proof).toHaveLength(10);
      expect(rootFromProof(receipt.leaf, receipt.proof)).toBe(batch.root);
      expect(await verifier.verify(receipt)).toEqual({ verified: true, anchoredAt: 1_800_000_000 });
    }
    expect(asked).toEqual([batch.root]);
  });

  it("names what is wrong with a tampered receipt", async () => {
    const { receipts } = await batchOf(5);
    const verifier = await ReceiptVerifier.withLookup(async () => 1_800_000_000);
    const [r] = receipts;
    const flip = (h: Hex): Hex => `0x${h[2] === "0" ? "1" : "0"}${h.slice(3)}`;
    expect(await verifier.verify({ ...r!, proof: [flip(r!.proof[0]!), ...r!.proof.slice(1)] })).toMatchObject({ reason: /Merkle proof/ });
    expect(await verifier.verify({ ...r!, salt: flip(r!.salt) })).toMatchObject({ reason: /commitment/ });
    expect(await verifier.verify({ ...r!, anchoredAt: 5 })).toMatchObject({ reason: /chain says 1800000000/ });
    expect(await verifier.verify({ ...r!, root: "0x12" })).toMatchObject({ reason: /32-byte hex/ });
    const unanchored = await ReceiptVerifier.withLookup(async () => 0);
    expect(await unanchored.verify(r!)).toMatchObject({ reason: /not anchored/ });
  });
});
