import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { describe, expect, it } from "vitest";
import { newSalt } from "./commitment.js";
import { buildBatch, rootFromProof, treeLeafHash } from "./merkle.js";

describe("buildBatch", () => {
  for (const size of [1, 2, 3, 5, 17, 256, 1000]) {
    it(`agrees with @openzeppelin/merkle-tree for ${size} leaves`, () => {
      const leaves = Array.from({ length: size }, () => newSalt());
      const batch = buildBatch(leaves);
      const reference = StandardMerkleTree.of(
        leaves.map((l) => [l]),
        ["bytes32"],
      );
      expect(batch.root).toBe(reference.root);
      expect(batch.leafCount).toBe(size);
      for (const [, [entry]] of reference.entries()) {
        const leaf = entry!;
        expect(treeLeafHash(leaf)).toBe(reference.leafHash([leaf]));
        expect(batch.proofOf(leaf)).toEqual(reference.getProof([leaf]));
        expect(rootFromProof(leaf, batch.proofOf(leaf))).toBe(batch.root);
        expect(StandardMerkleTree.verify(batch.root, ["bytes32"], [leaf], batch.proofOf(leaf))).toBe(true);
      }
    });
  }

  it("refuses an empty batch, duplicates and malformed leaves", () => {
    const leaf = newSalt();
    expect(() => buildBatch([])).toThrow(/at least one leaf/);
    expect(() => buildBatch([leaf, leaf.toUpperCase().replace("0X", "0x") as `0x${string}`])).toThrow(/appears twice/);
    expect(() => buildBatch(["0x1234"])).toThrow(/leaf 0 must be 32-byte hex/);
  });

  it("refuses a proof request for a leaf outside the batch", () => {
    expect(() => buildBatch([newSalt()]).proofOf(newSalt())).toThrow(/not in this batch/);
  });

  it("leads a tampered proof elsewhere", () => {
    const leaves = Array.from({ length: 8 }, () => newSalt());
    const batch = buildBatch(leaves);
    const proof = batch.proofOf(leaves[3]!);
    proof[1] = newSalt();
    expect(rootFromProof(leaves[3]!, proof)).not.toBe(batch.root);
  });
});
