import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, concatBytes, hexToBytes } from "@noble/hashes/utils.js";
import { invalidInput } from "./errors.js";
import { toBytes32, type Hex } from "./hex.js";

/** Leaves are single `bytes32` commitments, encoded as OpenZeppelin's standard tree expects. */
const LEAF_ENCODING = ["bytes32"];

export interface Batch {
  root: Hex;
  leafCount: number;
  /** The inclusion proof of a commitment in this batch. */
  proofOf(leaf: Hex): Hex[];
}

/** Builds the standard Merkle tree of a batch of commitments, as `RecordRegistry.verify` checks it. */
export function buildBatch(leaves: readonly Hex[]): Batch {
  if (leaves.length === 0) throw invalidInput("a batch needs at least one leaf");
  const normalized = leaves.map((leaf, i) => toBytes32(leaf, `leaf ${i}`));
  const index = new Map<string, number>();
  normalized.forEach((leaf, i) => {
    if (index.has(leaf)) throw invalidInput(`leaf ${leaf} appears twice in the batch`);
    index.set(leaf, i);
  });
  const tree = StandardMerkleTree.of(
    normalized.map((leaf) => [leaf]),
    LEAF_ENCODING,
    { sortLeaves: true },
  );
  return {
    root: tree.root as Hex,
    leafCount: normalized.length,
    proofOf(leaf: Hex): Hex[] {
      const i = index.get(toBytes32(leaf, "leaf"));
      if (i === undefined) throw invalidInput(`leaf ${leaf} is not in this batch`);
      return tree.getProof(i) as Hex[];
    },
  };
}

/** The tree-leaf hash of a commitment: `keccak256(keccak256(abi.encode(leaf)))`; `abi.encode(bytes32)` is the word itself. */
export function treeLeafHash(leaf: Hex): Hex {
  return toHex(keccak_256(keccak_256(fromHex(toBytes32(leaf, "leaf")))));
}

/** Recomputes the root a proof leads to (sorted-pair hashing, as OpenZeppelin's MerkleProof), without a chain. */
export function rootFromProof(leaf: Hex, proof: readonly Hex[]): Hex {
  let node = fromHex(treeLeafHash(leaf));
  proof.forEach((sibling, i) => {
    const other = fromHex(toBytes32(sibling, `proof[${i}]`));
    node = keccak_256(compareBytes(node, other) <= 0 ? concatBytes(node, other) : concatBytes(other, node));
  });
  return toHex(node);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

const fromHex = (hex: Hex): Uint8Array => hexToBytes(hex.slice(2));
const toHex = (bytes: Uint8Array): Hex => `0x${bytesToHex(bytes)}`;
