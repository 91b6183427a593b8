import { Interface, type Provider } from "ethers";
import { recordRegistryAbi } from "./abi.js";
import { findChainBreak, type AuditChainEntry } from "./audit-chain.js";
import type { AuditHeadReceipt } from "./api/audit.js";
import { rootFromProof } from "./merkle.js";
import { readRootAnchor, rootAnchorRefusal } from "./root-anchor.js";
import type { Hex } from "./hex.js";
import { formatUtc } from "./receipt.js";

export interface AuditCheckInput {
  /** The published heads (`GET /audit/heads`, or the operator's database). */
  heads: readonly AuditHeadReceipt[];
  /** The whole chain from entry 1, when the auditor has an export; without it only the heads are checked. */
  entries?: readonly AuditChainEntry[];
  provider: Provider;
  /** The RecordRegistry the auditor trusts. */
  registry: string;
  /** The registry's deployment block: where the search for batch roots starts. */
  fromBlock?: number;
}

export type AuditVerdict =
  | {
      verified: true;
      /** Entries recomputed, or null when only the heads were checked. */
      entries: number | null;
      anchoredHeads: number;
      pendingHeads: number;
      /** Batch roots the registry's batcher anchored, each holding one of the heads. */
      batchRoots: number;
      latest: { seq: number; anchoredAt: number; blockNumber: number; txHash: Hex } | null;
    }
  | { verified: false; reason: string };

const ROOT_ANCHORED = new Interface(recordRegistryAbi).getEvent("RootAnchored")!.topicHash;

/**
 * Checks an audit log against the chain, trusting neither the API nor its database:
 * - every batch root the registry's batcher anchored (its `RootAnchored` events) holds a published
 *   head, because the batcher folds the chain's head into every batch it builds: a rewrite that
 *   drops the heads leaves anchored roots with no head;
 * - every head's proof leads to its root, and the root is a batch root on chain (the receipts' rule);
 * - given the entries: the chain recomputes from entry 1, reaches the latest anchored head, and each
 *   head is the hash of its entry, so no entry at or below an anchored head was changed or removed.
 */
export async function verifyAuditHeads(input: AuditCheckInput): Promise<AuditVerdict> {
  const no = (reason: string): AuditVerdict => ({ verified: false, reason });
  const { heads, entries, provider, registry } = input;
  if (entries) {
    const broken = findChainBreak(entries);
    if (broken) return no(`entry ${broken.seq}: ${broken.reason}`);
  }
  const rootEvents = await provider.getLogs({ address: registry, topics: [ROOT_ANCHORED], fromBlock: input.fromBlock ?? 0, toBlock: "latest" });
  const onChain = new Map(rootEvents.map((log) => [log.topics[1]!.toLowerCase(), log]));
  const headRoots = new Set<string>();
  let anchoredHeads = 0;
  let pendingHeads = 0;
  let latest: Extract<AuditVerdict, { verified: true }>["latest"] = null;
  let previousSeq = 0;
  for (const head of heads) {
    const name = `the head of entry ${head.seq}`;
    if (head.seq <= previousSeq) return no(`the heads are not in increasing order of entry (${head.seq} after ${previousSeq})`);
    previousSeq = head.seq;
    if (head.leaf.toLowerCase() !== head.entryHash.toLowerCase()) return no(`${name}: its leaf is not the entry's hash`);
    if (rootFromProof(head.leaf, head.proof) !== head.root.toLowerCase()) return no(`${name}: its proof does not lead to its root ${head.root}`);
    const entry = entries?.[head.seq - 1];
    if (entries && entry && entry.hash.toLowerCase() !== head.leaf.toLowerCase()) {
      return no(`entry ${head.seq} is not the head anchored for it: the log was rewritten at or below entry ${head.seq}`);
    }
    const event = onChain.get(head.root.toLowerCase());
    const anchor = await readRootAnchor(registry, provider, head.root);
    if (anchor.at === 0 || !event) {
      if (head.anchor) return no(`${name}: its root ${head.root} is published as anchored but is not a batch root on chain`);
      pendingHeads++;
      continue;
    }
    const refusal = rootAnchorRefusal(head, anchor, { registry });
    if (refusal) return no(`${name}: ${refusal}`);
    if (entries && !entry) return no(`entries ${entries.length + 1} to ${head.seq} are missing below the head anchored for entry ${head.seq}`);
    headRoots.add(head.root.toLowerCase());
    anchoredHeads++;
    latest = { seq: head.seq, anchoredAt: anchor.at, blockNumber: event.blockNumber, txHash: event.transactionHash.toLowerCase() as Hex };
  }
  for (const [root, event] of onChain) {
    if (!headRoots.has(root)) {
      return no(`the batch root ${root} (block ${event.blockNumber}, tx ${event.transactionHash}) holds no published audit head: heads were removed or the log was rewritten`);
    }
  }
  return { verified: true, entries: entries ? entries.length : null, anchoredHeads, pendingHeads, batchRoots: onChain.size, latest };
}

/** One line for the command lines (`openchart audit verify`, `openchart-api audit verify`). */
export function describeAuditVerdict(verdict: AuditVerdict): string {
  if (!verdict.verified) return `AUDIT LOG NOT VERIFIED: ${verdict.reason}`;
  const head = verdict.latest
    ? `latest anchored head: entry ${verdict.latest.seq}, anchored at ${formatUtc(verdict.latest.anchoredAt)}, block ${verdict.latest.blockNumber}, tx ${verdict.latest.txHash}`
    : "no head anchored yet";
  const heads = `${verdict.anchoredHeads} heads anchored (${head}), one in each of the ${verdict.batchRoots} batch roots on chain`;
  if (verdict.entries === null) return `AUDIT LOG VERIFIED (heads only, entries not checked): ${heads}; ${verdict.pendingHeads} heads await their batch`;
  return `AUDIT LOG VERIFIED: ${verdict.entries} entries, chain intact; ${heads}; ${verdict.entries - (verdict.latest?.seq ?? 0)} newer entries await the next batch`;
}
