import { Contract, type Provider } from "ethers";
import { formatUtc, recordRegistryAbi, rootFromProof, type Hex } from "@openchart/sdk";
import { findChainBreak, type AuditEntry } from "./log.js";
import type { Store } from "../store/store.js";

export type AuditVerdict =
  | { verified: true; entries: number; anchoredHeads: number; pendingHeads: number; unanchoredTail: number; latest: { seq: number; anchoredAt: number; blockNumber: number; txHash: Hex } | null }
  | { verified: false; reason: string };

const PAGE = 5_000;

/**
 * Recomputes the whole audit chain from the store, then checks every head that went into a
 * confirmed batch: the head is the hash of its entry, its proof leads to the batch root, and the
 * chain has that root anchored at the recorded time. Entries after the last anchored head are
 * intact-but-unanchored (they will be anchored with the next batch).
 */
export async function verifyAuditLog(store: Pick<Store, "audit" | "leaves">, provider: Provider, contract: Hex): Promise<AuditVerdict> {
  const entries: AuditEntry[] = [];
  for (let page = await store.audit.entries({ limit: PAGE }); page.length > 0; page = await store.audit.entries({ afterSeq: entries.at(-1)!.seq, limit: PAGE })) {
    entries.push(...page);
    if (page.length < PAGE) break;
  }
  const broken = findChainBreak(entries);
  if (broken) return { verified: false, reason: `entry ${broken.seq}: ${broken.reason}` };

  const registry = new Contract(contract, recordRegistryAbi, provider);
  let anchoredHeads = 0;
  let pendingHeads = 0;
  let latest: Extract<AuditVerdict, { verified: true }>["latest"] = null;
  for (const head of await store.audit.heads()) {
    const entry = entries[head.seq - 1];
    if (!entry || entry.hash !== head.leaf) return { verified: false, reason: `the head anchored for entry ${head.seq} is not that entry's hash` };
    const record = await store.leaves.get(head.leaf);
    const anchor = record?.batch?.anchor;
    if (!record?.proof || !anchor) {
      pendingHeads++;
      continue;
    }
    if (rootFromProof(head.leaf, record.proof) !== record.batch!.root) {
      return { verified: false, reason: `the proof of the head of entry ${head.seq} does not lead to its batch root` };
    }
    const [at] = (await registry.getFunction("anchorOf")(record.batch!.root)) as [bigint];
    if (Number(at) !== anchor.anchoredAt) {
      return { verified: false, reason: `the root holding the head of entry ${head.seq} is ${at === 0n ? "not anchored" : `anchored at ${at}, not ${anchor.anchoredAt}`} on chain` };
    }
    anchoredHeads++;
    latest = { seq: head.seq, anchoredAt: anchor.anchoredAt, blockNumber: anchor.blockNumber, txHash: anchor.txHash };
  }
  return { verified: true, entries: entries.length, anchoredHeads, pendingHeads, unanchoredTail: entries.length - (latest?.seq ?? 0), latest };
}

export function describeVerdict(verdict: AuditVerdict): string {
  if (!verdict.verified) return `AUDIT LOG NOT VERIFIED: ${verdict.reason}`;
  const head = verdict.latest
    ? `latest anchored head: entry ${verdict.latest.seq}, anchored at ${formatUtc(verdict.latest.anchoredAt)}, block ${verdict.latest.blockNumber}, tx ${verdict.latest.txHash}`
    : "no head anchored yet";
  return `AUDIT LOG VERIFIED: ${verdict.entries} entries, chain intact; ${verdict.anchoredHeads} heads anchored (${head}); ${verdict.unanchoredTail} newer entries await the next batch`;
}
