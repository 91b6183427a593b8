import { createKeccak, type IHasher } from "hash-wasm";
import type { Provider } from "ethers";
import type { Hex } from "./hex.js";
import type { Receipt } from "./receipt.js";
import { readRootAnchor, rootAnchorRefusal, type AnchorRule, type RootAnchor } from "./root-anchor.js";

/** What the bulk verifier needs from a receipt: everything but the transaction details. */
export type ReceiptCore = Pick<Receipt, "documentSha256" | "salt" | "leaf" | "proof" | "root" | "anchoredAt">;

export type BulkCheck = { verified: true; anchoredAt: number } | { verified: false; reason: string };

/**
 * Verifies many receipts of one registry quickly (an auditor checking a whole archive): the
 * commitment and Merkle proof are recomputed with a WebAssembly keccak (several times faster than
 * the pure-JS one), and each root's on-chain anchor is asked once and cached. It checks the same
 * things as `verifyReceipt` except the transaction and chain id, which are per-root facts that
 * `verifyReceipt` on one receipt of that root establishes; who anchored a root is judged by the
 * rule both share (`rootAnchorRefusal`).
 */
export class ReceiptVerifier {
  /** Roots asked of the chain: the answers, and the questions still in flight. */
  private readonly anchors = new Map<Hex, RootAnchor>();
  private readonly lookups = new Map<Hex, Promise<RootAnchor>>();
  private readonly pair = new Uint8Array(64);

  private constructor(
    private readonly keccak: IHasher,
    private readonly anchorOf: (root: Hex) => Promise<RootAnchor>,
    private readonly rule: AnchorRule,
  ) {}

  /** A verifier for the `RecordRegistry` at `contract`, reading roots through `provider`. */
  static async forRegistry(provider: Provider, contract: string, rule: Omit<AnchorRule, "registry"> = {}): Promise<ReceiptVerifier> {
    return ReceiptVerifier.withLookup((root) => readRootAnchor(contract, provider, root), { ...rule, registry: contract });
  }

  /** A verifier with any root lookup: what `anchorOf(root)` answers (time 0 when not anchored). */
  static async withLookup(anchorOf: (root: Hex) => Promise<RootAnchor>, rule: AnchorRule = {}): Promise<ReceiptVerifier> {
    return new ReceiptVerifier(await createKeccak(256), anchorOf, rule);
  }

  verify(receipt: ReceiptCore): Promise<BulkCheck> {
    const reason = this.offlineFailure(receipt);
    if (reason) return Promise.resolve({ verified: false, reason });
    const root = receipt.root.toLowerCase() as Hex;
    const known = this.anchors.get(root);
    if (known !== undefined) return Promise.resolve(this.judge(known, receipt));
    let lookup = this.lookups.get(root);
    if (!lookup) {
      lookup = this.anchorOf(root).then(
        (anchor) => (this.anchors.set(root, anchor), anchor),
        (error: unknown) => {
          this.lookups.delete(root);
          throw error;
        },
      );
      this.lookups.set(root, lookup);
    }
    return lookup.then((anchor) => this.judge(anchor, receipt));
  }

  private judge(anchor: RootAnchor, receipt: ReceiptCore): BulkCheck {
    const refusal = rootAnchorRefusal(receipt, anchor, this.rule);
    if (refusal) return { verified: false, reason: refusal };
    if (anchor.at !== receipt.anchoredAt) return { verified: false, reason: `the receipt says anchored at ${receipt.anchoredAt}, the chain says ${anchor.at}` };
    return { verified: true, anchoredAt: anchor.at };
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
