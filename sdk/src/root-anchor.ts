import { Contract, type ContractRunner } from "ethers";
import { recordRegistryAbi } from "./abi.js";
import type { Hex } from "./hex.js";

/** What `RecordRegistry.anchorOf` says about a value: time (0 when never anchored), anchorer, batch size. */
export interface RootAnchor {
  /** Block time of the anchoring, seconds since the epoch; 0 when the value was never anchored. */
  at: number;
  /** The wallet that anchored a single leaf, or the registry's batcher for a batch root. */
  anchorer: Hex;
  /** Leaves under a batch root; 0 for a value anchored with the open `anchor()`. */
  leafCount: number;
}

/** The receipt fields that decide how its root must have been anchored. */
export interface AnchoredValue {
  leaf: string;
  proof: readonly string[];
  root: string;
}

export interface AnchorRule {
  /** If given, the anchorer (the batcher, for a batch) must be one of these addresses. */
  trustedAnchorers?: readonly string[];
  /** Named in the "not anchored" reason. */
  registry?: string;
}

/** A leaf anchored on its own: its receipt's root is the leaf itself, with no proof. */
export function isDirectAnchor(receipt: AnchoredValue): boolean {
  return receipt.proof.length === 0 && receipt.root.toLowerCase() === receipt.leaf.toLowerCase();
}

/** Reads `anchorOf(value)` from the RecordRegistry at `registry`. */
export async function readRootAnchor(registry: string, runner: ContractRunner, value: string): Promise<RootAnchor> {
  const contract = new Contract(registry, recordRegistryAbi, runner);
  const [at, anchorer, leafCount] = (await contract.getFunction("anchorOf")(value)) as [bigint, string, bigint];
  return { at: Number(at), anchorer: anchorer.toLowerCase() as Hex, leafCount: Number(leafCount) };
}

/**
 * The one rule every receipt verifier applies to the chain's answer about a receipt's root: it must be
 * anchored, and a batch root must sit in the registry's batch namespace (`anchorRoot`, which only the
 * deployment's batcher may call). Anyone may call the open `anchor()` with any 32 bytes, including the
 * root of a tree of their own making, so a root anchored that way proves nothing about the leaves under
 * it. Returns null when the anchor is acceptable, else the reason.
 */
export function rootAnchorRefusal(receipt: AnchoredValue, anchor: RootAnchor, rule: AnchorRule = {}): string | null {
  const root = receipt.root.toLowerCase();
  if (anchor.at === 0) return `the root ${root} is not anchored${rule.registry ? ` in ${rule.registry.toLowerCase()}` : ""}`;
  if (!isDirectAnchor(receipt) && anchor.leafCount === 0) {
    return `the root ${root} was anchored by ${anchor.anchorer} with the open anchor(), not as a batch root by the registry's batcher`;
  }
  const trusted = rule.trustedAnchorers?.map((a) => a.toLowerCase());
  if (trusted && !trusted.includes(anchor.anchorer.toLowerCase())) {
    return `the root was anchored by ${anchor.anchorer}, who is not a trusted anchorer`;
  }
  return null;
}
