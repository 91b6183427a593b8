import { Contract, Interface, type Provider } from "ethers";
import { recordRegistryAbi } from "./abi.js";
import { commitmentOf, documentSha256, type DocumentBytes } from "./commitment.js";
import { OpenChartError } from "./errors.js";
import { isBytes32, preview, toAddress, type Hex } from "./hex.js";
import { rootFromProof } from "./merkle.js";
import type { AnchoredLeaf } from "./api/anchoring.js";
import { isDirectAnchor, readRootAnchor, rootAnchorRefusal, type AnchorRule, type RootAnchor } from "./root-anchor.js";

/**
 * Everything needed to prove, with the document and a JSON-RPC endpoint only, that the document
 * existed unaltered when `root` was anchored. A leaf anchored on its own has `root === leaf` and
 * an empty proof.
 */
export interface Receipt {
  documentSha256: Hex;
  salt: Hex;
  leaf: Hex;
  proof: Hex[];
  root: Hex;
  chainId: number;
  contract: Hex;
  txHash: Hex;
  blockNumber: number;
  /** Block time of the anchoring transaction, seconds since the epoch. */
  anchoredAt: number;
}

export type ReceiptCheck =
  | { verified: true; anchoredAt: number; blockNumber: number; txHash: Hex; anchorer: Hex }
  | { verified: false; reason: string };

/** What the anchoring service knows of a receipt: all but the document hash and salt, which only the client holds. */
export type { AnchoredLeaf };

/** Validates untrusted JSON as a receipt, naming the first bad field. */
export function parseReceipt(json: unknown): Receipt {
  const r = receiptObject(json);
  for (const field of ["documentSha256", "salt"] as const) {
    if (!isBytes32(r[field])) invalidReceipt(`${field} must be 32-byte hex, got ${preview(r[field])}`);
  }
  return { documentSha256: lower(r.documentSha256), salt: lower(r.salt), ...parseAnchoredLeaf(r) };
}

/** Validates untrusted JSON as the anchoring part of a receipt (as a record stores it), naming the first bad field. */
export function parseAnchoredLeaf(json: unknown): AnchoredLeaf {
  const r = receiptObject(json);
  for (const field of ["leaf", "root", "txHash"] as const) {
    if (!isBytes32(r[field])) invalidReceipt(`${field} must be 32-byte hex, got ${preview(r[field])}`);
  }
  if (!Array.isArray(r.proof) || !r.proof.every(isBytes32)) invalidReceipt("proof must be an array of 32-byte hex values");
  for (const field of ["chainId", "blockNumber", "anchoredAt"] as const) {
    const value = r[field];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      invalidReceipt(`${field} must be a non-negative integer, got ${preview(value)}`);
    }
  }
  try {
    toAddress(r.contract, "contract");
  } catch (error) {
    invalidReceipt((error as Error).message);
  }
  return {
    leaf: lower(r.leaf),
    proof: (r.proof as string[]).map(lower),
    root: lower(r.root),
    chainId: r.chainId as number,
    contract: lower(r.contract),
    txHash: lower(r.txHash),
    blockNumber: r.blockNumber as number,
    anchoredAt: r.anchoredAt as number,
  };
}

function receiptObject(json: unknown): Record<string, unknown> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return invalidReceipt("not a JSON object");
  return json as Record<string, unknown>;
}

function invalidReceipt(why: string): never {
  throw new OpenChartError("INVALID_RECEIPT", `invalid receipt: ${why}`);
}

export interface VerifyOptions {
  /**
   * The RecordRegistry the caller trusts (from its deployment file). A receipt naming another
   * contract is refused: a look-alike contract could report any time it likes.
   */
  registry?: string;
  /** If given, the anchorer of the root (the batcher, for a batch) must be one of these addresses. */
  trustedAnchorers?: AnchorRule["trustedAnchorers"];
}

const registryInterface = new Interface(recordRegistryAbi);
const LEAF_ANCHORED = registryInterface.getEvent("LeafAnchored")!.topicHash;
const ROOT_ANCHORED = registryInterface.getEvent("RootAnchored")!.topicHash;

/**
 * Checks a document against its receipt: the document's hash, the salted commitment, the Merkle
 * proof, and, on the chain, that the receipt's transaction emitted the anchoring event for the
 * root, that a batch root was anchored by the registry's batcher (`rootAnchorRefusal`, the rule the
 * bulk verifier shares), and that the registry's stored time is that transaction's block time. Returns the chain's
 * own time and block, never the receipt's claims.
 */
export async function verifyReceipt(
  document: DocumentBytes,
  untrusted: Receipt,
  provider: Provider,
  options: VerifyOptions = {},
): Promise<ReceiptCheck> {
  const no = (reason: string): ReceiptCheck => ({ verified: false, reason });
  const receipt = parseReceipt(untrusted);
  if (options.registry !== undefined && receipt.contract !== toAddress(options.registry, "registry")) {
    return no(`the receipt names contract ${receipt.contract}, not the RecordRegistry ${options.registry.toLowerCase()}`);
  }
  if ((await documentSha256(document)) !== receipt.documentSha256) {
    return no("the document's SHA-256 differs from the receipt's: the document was altered or is another one");
  }
  if (commitmentOf(receipt.documentSha256, receipt.salt) !== receipt.leaf) {
    return no("the receipt's leaf is not the commitment of this document and salt");
  }
  const direct = isDirectAnchor(receipt);
  if (!direct && rootFromProof(receipt.leaf, receipt.proof) !== receipt.root) {
    return no("the Merkle proof does not lead from the leaf to the receipt's root");
  }
  const { chainId } = await provider.getNetwork();
  if (chainId !== BigInt(receipt.chainId)) {
    return no(`the receipt is for chain ${receipt.chainId}, but the RPC endpoint serves chain ${chainId}`);
  }
  if ((await provider.getCode(receipt.contract)) === "0x") {
    return no(`no contract at ${receipt.contract} on chain ${receipt.chainId}`);
  }
  let anchor: RootAnchor;
  try {
    anchor = await readRootAnchor(receipt.contract, provider, receipt.root);
  } catch {
    return no(`the contract at ${receipt.contract} is not a RecordRegistry (it does not answer anchorOf)`);
  }
  const refusal = rootAnchorRefusal(receipt, anchor, { trustedAnchorers: options.trustedAnchorers, registry: receipt.contract });
  if (refusal) return no(refusal);
  const registry = new Contract(receipt.contract, recordRegistryAbi, provider);
  if (!direct && !((await registry.getFunction("verify")(receipt.leaf, receipt.proof, receipt.root)) as boolean)) {
    return no("the contract rejects the Merkle proof");
  }
  const tx = await provider.getTransactionReceipt(receipt.txHash);
  if (!tx) return no(`transaction ${receipt.txHash} is not on chain ${receipt.chainId}`);
  const eventTopic = direct ? LEAF_ANCHORED : ROOT_ANCHORED;
  const anchoredHere = tx.logs.some(
    (log) =>
      log.address.toLowerCase() === receipt.contract &&
      log.topics[0] === eventTopic &&
      log.topics[1]?.toLowerCase() === receipt.root,
  );
  if (!anchoredHere) return no(`transaction ${receipt.txHash} did not anchor ${receipt.root}`);
  if (tx.blockNumber !== receipt.blockNumber) {
    return no(`the receipt names block ${receipt.blockNumber}, but the transaction is in block ${tx.blockNumber}`);
  }
  const blockTime = (await provider.getBlock(tx.blockNumber))!.timestamp;
  if (anchor.at !== blockTime) {
    return no(`the contract reports anchoring at ${anchor.at}, but the anchoring block's time is ${blockTime}`);
  }
  if (blockTime !== receipt.anchoredAt) {
    return no(`the receipt says anchored at ${receipt.anchoredAt}, the chain says ${blockTime}`);
  }
  return { verified: true, anchoredAt: blockTime, blockNumber: tx.blockNumber, txHash: receipt.txHash, anchorer: anchor.anchorer };
}

/** The one-line verdict the auditor tools print (the CLI, the hardhat task and the web app say the same). */
export function describeReceiptCheck(document: string, check: ReceiptCheck): string {
  if (!check.verified) return `NOT VERIFIED: ${check.reason}`;
  return `VERIFIED: ${document} existed unaltered when anchored at ${formatUtc(check.anchoredAt)}, block ${check.blockNumber}, tx ${check.txHash}`;
}

/** "2026-11-23 21:40:05 UTC" from seconds since the epoch; a time past year 275760 says so. */
export function formatUtc(seconds: number | bigint): string {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `${seconds} s after 1970 (beyond any calendar date)`;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function lower(value: unknown): Hex {
  return (value as string).toLowerCase() as Hex;
}
