import { createKeccak, type IHasher } from "hash-wasm";
import { Contract, type Provider } from "ethers";
import { hexToBytes } from "@noble/hashes/utils.js";
import { recordRegistryAbi } from "./abi.js";
import { isBytes32, type Hex } from "./hex.js";
import type { Receipt } from "./receipt.js";

/** What the bulk verifier needs from a receipt: everything but the transaction details. */
export type ReceiptCore = Pick<Receipt, "documentSha256" | "salt" | "leaf" | "proof" | "root" | "anchoredAt">;

export type BulkCheck = { verified: true; anchoredAt: number } | { verified: false; reason: string };

/**
 * Verifies many receipts of one registry quickly (an auditor checking a whole archive): the
 * commitment and Merkle proof are recomputed with a WebAssembly keccak (several times faster than
 * the pure-JS one), and each root's on-chain time is asked once and cached. It checks the same
 * things as `verifyReceipt` except the transaction and chain id, which are per-root facts that
 * `verifyReceipt` on one receipt of that root establishes.
 */
export class ReceiptVerifier {
  private readonly roots = new Map<Hex, Promise<number>>();

  private constructor(
    private readonly keccak: IHasher,
    private readonly anchoredAtOf: (root: Hex) => Promise<number>,
  ) {}

  /** A verifier for the `RecordRegistry` at `contract`, reading roots through `provider`. */
  static async forRegistry(provider: Provider, contract: string): Promise<ReceiptVerifier> {
    const registry = new Contract(contract, recordRegistryAbi, provider);
    return ReceiptVerifier.withLookup(async (root) => Number(((await registry.getFunction("anchorOf")(root)) as [bigint])[0]));
  }

  /** A verifier with any root lookup (seconds since the epoch, 0 when not anchored). */
  static async withLookup(anchoredAtOf: (root: Hex) => Promise<number>): Promise<ReceiptVerifier> {
    return new ReceiptVerifier(await createKeccak(256), anchoredAtOf);
  }

  async verify(receipt: ReceiptCore): Promise<BulkCheck> {
    const reason = this.offlineFailure(receipt);
    if (reason) return { verified: false, reason };
    let lookup = this.roots.get(receipt.root);
    if (!lookup) {
      lookup = this.anchoredAtOf(receipt.root);
      this.roots.set(receipt.root, lookup);
      lookup.catch(() => this.roots.delete(receipt.root));
    }
    const at = await lookup;
    if (at === 0) return { verified: false, reason: `the root ${receipt.root} is not anchored` };
    if (at !== receipt.anchoredAt) return { verified: false, reason: `the receipt says anchored at ${receipt.anchoredAt}, the chain says ${at}` };
    return { verified: true, anchoredAt: at };
  }

  /** The commitment and proof checks alone: null when both hold, else the reason. */
  offlineFailure(receipt: ReceiptCore): string | null {
    if (![receipt.documentSha256, receipt.salt, receipt.leaf, receipt.root].every(isBytes32) || !receipt.proof.every(isBytes32)) {
      return "the receipt holds a value that is not 32-byte hex";
    }
    const leaf = bytesOf(receipt.leaf);
    if (!equal(this.hash(bytesOf(receipt.documentSha256), bytesOf(receipt.salt)), leaf)) {
      return "the receipt's leaf is not the commitment of this document and salt";
    }
    if (receipt.proof.length === 0 && receipt.root.toLowerCase() === receipt.leaf.toLowerCase()) return null;
    // OpenZeppelin's standard tree: the leaf node is keccak256(keccak256(abi.encode(leaf))).
    let node = this.hash(this.hash(leaf));
    for (const sibling of receipt.proof) {
      const other = bytesOf(sibling);
      node = compare(node, other) <= 0 ? this.hash(node, other) : this.hash(other, node);
    }
    return equal(node, bytesOf(receipt.root)) ? null : "the Merkle proof does not lead from the leaf to the receipt's root";
  }

  private hash(a: Uint8Array, b?: Uint8Array): Uint8Array {
    this.keccak.init();
    this.keccak.update(a);
    if (b) this.keccak.update(b);
    return this.keccak.digest("binary");
  }
}

const bytesOf = (hex: Hex): Uint8Array => hexToBytes(hex.slice(2));

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
