import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, concatBytes, hexToBytes } from "@noble/hashes/utils.js";
import { invalidInput } from "./errors.js";
import { toBytes32, type Hex } from "./hex.js";

export interface Batch {
  root: Hex;
  leafCount: number;
  /** The inclusion proof of a commitment in this batch. */
  proofOf(leaf: Hex): Hex[];
}

/**
 * Builds the standard Merkle tree of a batch of commitments, as `RecordRegistry.verify` checks it:
 * the same root and proofs as `StandardMerkleTree.of(leaves.map(l => [l]), ["bytes32"])` from
 * @openzeppelin/merkle-tree (a test holds them equal), computed on bytes instead of through ABI
 * encoding, about 15 times faster: the batcher builds 1,000-leaf trees on the API's event loop.
 */
export function buildBatch(leaves: readonly Hex[]): Batch {
  if (leaves.length === 0) throw invalidInput("a batch needs at least one leaf");
  const normalized = leaves.map((leaf, i) => toBytes32(leaf, `leaf ${i}`));
  const position = new Map<string, number>();
  normalized.forEach((leaf, i) => {
    if (position.has(leaf)) throw invalidInput(`leaf ${leaf} appears twice in the batch`);
    position.set(leaf, i);
  });
  // The standard tree: leaf nodes sorted by hash, stored from the end of one array whose node i has
  // children 2i+1 and 2i+2; inner nodes hash their children in sorted order.
  const hashed = normalized.map((leaf, index) => ({ index, node: keccak_256(keccak_256(fromHex(leaf))) }));
  hashed.sort((a, b) => compareBytes(a.node, b.node));
  const tree: Uint8Array[] = new Array<Uint8Array>(2 * hashed.length - 1);
  const treeIndexOf = new Array<number>(normalized.length);
  hashed.forEach(({ index, node }, i) => {
    tree[tree.length - 1 - i] = node;
    treeIndexOf[index] = tree.length - 1 - i;
  });
  for (let i = tree.length - 1 - hashed.length; i >= 0; i--) tree[i] = nodeHash(tree[2 * i + 1]!, tree[2 * i + 2]!);
  return {
    root: toHex(tree[0]!),
    leafCount: normalized.length,
    proofOf(leaf: Hex): Hex[] {
      const i = position.get(toBytes32(leaf, "leaf"));
      if (i === undefined) throw invalidInput(`leaf ${leaf} is not in this batch`);
      const proof: Hex[] = [];
      for (let node = treeIndexOf[i]!; node > 0; node = Math.floor((node - 1) / 2)) {
        proof.push(toHex(tree[node % 2 === 1 ? node + 1 : node - 1]!));
      }
      return proof;
    },
  };
}

function nodeHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  return keccak_256(compareBytes(a, b) <= 0 ? concatBytes(a, b) : concatBytes(b, a));
}

/** The tree-leaf hash of a commitment: `keccak256(keccak256(abi.encode(leaf)))`; `abi.encode(bytes32)` is the word itself. */
export function treeLeafHash(leaf: Hex): Hex {
  return toHex(keccak_256(keccak_256(fromHex(toBytes32(leaf, "leaf")))));
}

/** Recomputes the root a proof leads to (sorted-pair hashing, as OpenZeppelin's MerkleProof), without a chain. */
export function rootFromProof(leaf: Hex, proof: readonly Hex[]): Hex {
  let node = fromHex(treeLeafHash(leaf));
  proof.forEach((sibling, i) => {
    node = nodeHash(node, fromHex(toBytes32(sibling, `proof[${i}]`)));
  });
  return toHex(node);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

const fromHex = (hex: Hex): Uint8Array => hexToBytes(hex.slice(2));
const toHex = (bytes: Uint8Array): Hex => `0x${bytesToHex(bytes)}`;
