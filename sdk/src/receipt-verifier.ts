import { createKeccak, type IHasher } from "hash-wasm";
import { Contract, type Provider } from "ethers";
import { recordRegistryAbi } from "./abi.js";
import type { Hex } from "./hex.js";
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
  /** Roots asked of the chain: the answers, and the questions still in flight. */
  private readonly anchoredAt = new Map<Hex, number>();
  private readonly lookups = new Map<Hex, Promise<number>>();
  private readonly pair = new Uint8Array(64);

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

  verify(receipt: ReceiptCore): Promise<BulkCheck> {
    const reason = this.offlineFailure(receipt);
    if (reason) return Promise.resolve({ verified: false, reason });
    const root = receipt.root.toLowerCase() as Hex;
    const known = this.anchoredAt.get(root);
    if (known !== undefined) return Promise.resolve(judge(known, receipt));
    let lookup = this.lookups.get(root);
    if (!lookup) {
      lookup = this.anchoredAtOf(root).then(
        (at) => (this.anchoredAt.set(root, at), at),
        (error: unknown) => {
          this.lookups.delete(root);
          throw error;
        },
      );
      this.lookups.set(root, lookup);
    }
    return lookup.then((at) => judge(at, receipt));
  }

  /** The commitment and proof checks alone: null when both hold, else the reason. */
  offlineFailure(receipt: ReceiptCore): string | null {
    const leaf = bytesOf(receipt.leaf);
    const sha = bytesOf(receipt.documentSha256);
    const salt = bytesOf(receipt.salt);
    const root = bytesOf(receipt.root);
    const proof = receipt.proof.map(bytesOf);
    if (!leaf || !sha || !salt || !root || proof.some((p) => p === null)) return "the receipt holds a value that is not 32-byte hex";
    if (!equal(this.hashPair(sha, salt), leaf)) return "the receipt's leaf is not the commitment of this document and salt";
    if (proof.length === 0 && equal(root, leaf)) return null;
    // OpenZeppelin's standard tree: the leaf node is keccak256(keccak256(abi.encode(leaf))).
    let node = this.hashOne(this.hashOne(leaf));
    for (const other of proof as Uint8Array[]) node = compare(node, other) <= 0 ? this.hashPair(node, other) : this.hashPair(other, node);
    return equal(node, root) ? null : "the Merkle proof does not lead from the leaf to the receipt's root";
  }

  private hashOne(a: Uint8Array): Uint8Array {
    this.keccak.init();
    this.keccak.update(a);
    return this.keccak.digest("binary");
  }

  /** keccak256(a || b) with one copy into a scratch buffer: one call into WebAssembly instead of two. */
  private hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
    this.pair.set(a, 0);
    this.pair.set(b, 32);
    return this.hashOne(this.pair);
  }
}

function judge(at: number, receipt: ReceiptCore): BulkCheck {
  if (at === 0) return { verified: false, reason: `the root ${receipt.root} is not anchored` };
  if (at !== receipt.anchoredAt) return { verified: false, reason: `the receipt says anchored at ${receipt.anchoredAt}, the chain says ${at}` };
  return { verified: true, anchoredAt: at };
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[65 + i] = NIBBLE[97 + i] = 10 + i;

/** 32 bytes from "0x" + 64 hex digits, or null: validation and decoding in one pass. */
function bytesOf(hex: string): Uint8Array | null {
  if (typeof hex !== "string" || hex.length !== 66 || hex.charCodeAt(0) !== 48 || (hex.charCodeAt(1) | 32) !== 120) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = NIBBLE[hex.charCodeAt(2 + 2 * i)] ?? -1;
    const lo = NIBBLE[hex.charCodeAt(3 + 2 * i)] ?? -1;
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
