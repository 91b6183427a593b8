import type { Provider } from "ethers";
import { verifyAuditHeads, type AuditChainEntry, type AuditVerdict, type Hex } from "@openchart/sdk";
import { publishedHeads } from "./heads.js";
import type { Store } from "../store/store.js";

const PAGE = 5_000;

/** Every entry of the chain, from entry 1, read in pages. */
export async function allEntries(store: Pick<Store, "audit">): Promise<AuditChainEntry[]> {
  const entries: AuditChainEntry[] = [];
  for (let page = await store.audit.entries({ limit: PAGE }); page.length > 0; page = await store.audit.entries({ afterSeq: entries.at(-1)!.seq, limit: PAGE })) {
    entries.push(...page);
    if (page.length < PAGE) break;
  }
  return entries;
}

/**
 * The operator's check, with the database: the whole chain and the heads the API would publish go
 * through the auditor's verifier (sdk `verifyAuditHeads`), which checks them against the batch roots
 * the registry's batcher anchored on chain, so a database rewritten as a whole is still caught.
 */
export async function verifyAuditLog(store: Pick<Store, "audit" | "leaves">, provider: Provider, contract: Hex, fromBlock = 0): Promise<AuditVerdict> {
  return verifyAuditHeads({ heads: await publishedHeads(store), entries: await allEntries(store), provider, registry: contract, fromBlock });
}
