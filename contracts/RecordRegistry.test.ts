import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { buildBatch, commitmentOf, newSalt, recordRegistryAbi, treeLeafHash, type Hex } from "@openchart/sdk";

function randomLeaves(count: number): Hex[] {
  return Array.from({ length: count }, () => commitmentOf(newSalt(), newSalt()));
}

describe("RecordRegistry", () => {
  async function deployed() {
    const [patient, batcher, stranger] = await ethers.getSigners();
    const registry = await ethers.deployContract("RecordRegistry", [batcher!.address]);
    return { registry: registry.connect(batcher!), patient: patient!, batcher: batcher!, stranger: stranger! };
  }

  describe("anchor", () => {
    it("stores the block time and the anchorer, and emits LeafAnchored", async () => {
      const { registry, patient } = await loadFixture(deployed);
      const leaf = randomLeaves(1)[0]!;
      const tx = await registry.connect(patient).anchor(leaf);
      await expect(tx).to.emit(registry, "LeafAnchored").withArgs(leaf);
      const at = await time.latest();
      expect(await registry.anchoredAt(leaf)).to.equal(at);
      expect(await registry.anchorOf(leaf)).to.deep.equal([BigInt(at), patient.address, 0n]);
    });

    it("is open to any account", async () => {
      const { registry, stranger } = await loadFixture(deployed);
      const leaf = randomLeaves(1)[0]!;
      await expect(registry.connect(stranger).anchor(leaf)).to.emit(registry, "LeafAnchored").withArgs(leaf);
      expect((await registry.anchorOf(leaf)).anchorer).to.equal(stranger.address);
    });

    it("refuses the zero value", async () => {
      const { registry } = await loadFixture(deployed);
      await expect(registry.anchor(ethers.ZeroHash)).to.be.revertedWithCustomError(registry, "ZeroValue");
    });

    it("refuses a duplicate, naming it and its first anchoring time", async () => {
      const { registry, patient, stranger } = await loadFixture(deployed);
      const leaf = randomLeaves(1)[0]!;
      await registry.connect(patient).anchor(leaf);
      const at = await time.latest();
      await expect(registry.connect(stranger).anchor(leaf))
        .to.be.revertedWithCustomError(registry, "AlreadyAnchored")
        .withArgs(leaf, at);
    });
  });

  describe("anchorRoot", () => {
    it("stores the root with its batch size and emits RootAnchored", async () => {
      const { registry, batcher } = await loadFixture(deployed);
      const batch = buildBatch(randomLeaves(3));
      await expect(registry.anchorRoot(batch.root, 3)).to.emit(registry, "RootAnchored").withArgs(batch.root, 3);
      const at = BigInt(await time.latest());
      expect(await registry.anchorOf(batch.root)).to.deep.equal([at, batcher.address, 3n]);
      expect(await registry.anchoredAt(batch.root)).to.equal(at);
    });

    it("refuses anyone but the batcher", async () => {
      const { registry, stranger } = await loadFixture(deployed);
      await expect(registry.connect(stranger).anchorRoot(randomLeaves(1)[0]!, 1))
        .to.be.revertedWithCustomError(registry, "NotBatcher")
        .withArgs(stranger.address);
    });

    it("cannot be squatted: a stranger anchoring the pending root as a leaf does not block the batch", async () => {
      const { registry, stranger, batcher } = await loadFixture(deployed);
      const batch = buildBatch(randomLeaves(4));
      await registry.connect(stranger).anchor(batch.root);
      await expect(registry.anchorRoot(batch.root, 4)).to.emit(registry, "RootAnchored");
      expect((await registry.anchorOf(batch.root)).anchorer).to.equal(batcher.address);
    });

    it("refuses zero, empty batches and duplicates, naming them", async () => {
      const { registry } = await loadFixture(deployed);
      const root = randomLeaves(1)[0]!;
      await expect(registry.anchorRoot(ethers.ZeroHash, 1)).to.be.revertedWithCustomError(registry, "ZeroValue");
      await expect(registry.anchorRoot(root, 0)).to.be.revertedWithCustomError(registry, "EmptyBatch").withArgs(root);
      await registry.anchorRoot(root, 2);
      const at = await time.latest();
      await expect(registry.anchorRoot(root, 2))
        .to.be.revertedWithCustomError(registry, "AlreadyAnchored")
        .withArgs(root, at);
    });

    it("refuses a zero batcher at deployment", async () => {
      const factory = await ethers.getContractFactory("RecordRegistry");
      await expect(ethers.deployContract("RecordRegistry", [ethers.ZeroAddress]))
        .to.be.revertedWithCustomError(factory, "NotBatcher")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("anchoredAt", () => {
    it("reads 0 for a value never anchored", async () => {
      const { registry } = await loadFixture(deployed);
      expect(await registry.anchoredAt(randomLeaves(1)[0]!)).to.equal(0n);
      expect(await registry.anchorOf(randomLeaves(1)[0]!)).to.deep.equal([0n, ethers.ZeroAddress, 0n]);
    });
  });

  describe("verify with @openzeppelin/merkle-tree proofs", () => {
    for (const size of [1, 2, 3, 1000]) {
      it(`accepts every leaf of an anchored tree of ${size}`, async () => {
        const { registry } = await loadFixture(deployed);
        const leaves = randomLeaves(size);
        const reference = StandardMerkleTree.of(
          leaves.map((leaf) => [leaf]),
          ["bytes32"],
        );
        const batch = buildBatch(leaves);
        expect(batch.root).to.equal(reference.root);
        await registry.anchorRoot(batch.root, size);
        const checks = await Promise.all(leaves.map((leaf) => registry.verify(leaf, batch.proofOf(leaf), batch.root)));
        expect(checks.every(Boolean)).to.equal(true);
        for (const [i, [leaf]] of reference.entries()) {
          if (i % 97 !== 0) continue; // the reference library's own proofs, sampled
          expect(await registry.verify(leaf!, reference.getProof(i), batch.root)).to.equal(true);
        }
      });
    }

    it("rejects a valid proof against a root that is not anchored, or anchored only as a leaf", async () => {
      const { registry, stranger } = await loadFixture(deployed);
      const leaves = randomLeaves(4);
      const batch = buildBatch(leaves);
      expect(await registry.verify(leaves[0]!, batch.proofOf(leaves[0]!), batch.root)).to.equal(false);
      await registry.connect(stranger).anchor(batch.root);
      expect(await registry.verify(leaves[0]!, batch.proofOf(leaves[0]!), batch.root)).to.equal(false);
    });

    it("rejects a leaf outside the tree, a wrong proof, and an inner node posing as a leaf", async () => {
      const { registry } = await loadFixture(deployed);
      const leaves = randomLeaves(4);
      const batch = buildBatch(leaves);
      await registry.anchorRoot(batch.root, 4);
      const stranger = randomLeaves(1)[0]!;
      expect(await registry.verify(stranger, batch.proofOf(leaves[0]!), batch.root)).to.equal(false);
      expect(await registry.verify(leaves[0]!, batch.proofOf(leaves[1]!), batch.root)).to.equal(false);
      const proof = batch.proofOf(leaves[0]!);
      const inner = ethers.keccak256(
        ethers.concat([treeLeafHash(leaves[0]!), proof[0]!].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))),
      );
      expect(await registry.verify(inner, proof.slice(1), batch.root)).to.equal(false);
    });

    it("hashes leaves as the standard tree does", async () => {
      const { registry } = await loadFixture(deployed);
      const leaf = randomLeaves(1)[0]!;
      const reference = StandardMerkleTree.of([[leaf]], ["bytes32"]);
      expect(await registry.leafHash(leaf)).to.equal(reference.leafHash([leaf]));
      expect(treeLeafHash(leaf)).to.equal(reference.leafHash([leaf]));
    });
  });

  it("matches the ABI fragments the sdk calls", async () => {
    const { registry } = await loadFixture(deployed);
    for (const fragment of new ethers.Interface(recordRegistryAbi).fragments) {
      const compiled = registry.interface.fragments.find(
        (f) => f.type === fragment.type && f.format("sighash") === fragment.format("sighash"),
      );
      expect(compiled?.format("full"), fragment.format("full")).to.equal(fragment.format("full"));
    }
  });
});
