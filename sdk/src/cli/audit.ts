/// <reference types="node" />
import { parseArgs } from "node:util";
import type { AuditHeads } from "../api/audit.js";
import { withoutTrailingSlash } from "../api/url.js";
import type { AuditChainEntry } from "../audit-chain.js";
import { describeAuditVerdict, verifyAuditHeads } from "../audit-verify.js";
import { connectRpc } from "../chain.js";
import { readDeploymentFile } from "../deployment-file.js";
import { CliError, readJsonFile, rpcUrlOf, type ExitCode } from "./common.js";

export const auditUsage =
  "openchart audit verify --api <API URL> [--entries <export.json>] [--rpc URL] [--registry <RecordRegistry address> | --deployment <file>]";

/**
 * `openchart audit verify`: an auditor's check of the API's audit log with no database and no
 * account: the heads the API publishes (`GET /audit/heads`) against the chain, and with an export of
 * the entries (`openchart-api audit export`), the whole hash chain against those heads.
 */
export async function auditCommand(args: string[]): Promise<ExitCode> {
  const [sub, ...rest] = args;
  if (sub !== "verify") throw new CliError(`usage: ${auditUsage}`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { api: { type: "string" }, entries: { type: "string" }, rpc: { type: "string" }, registry: { type: "string" }, deployment: { type: "string" } },
    allowPositionals: true,
  });
  if (!values.api || positionals.length > 0) throw new CliError(`usage: ${auditUsage}`);
  const published = await fetchHeads(values.api);
  const entries = values.entries ? parseEntries(readJsonFile(values.entries, "entries export")) : undefined;
  // The auditor's own deployment file (or address) pins the registry; without one, the contract the API names is checked, and said so.
  const deployment = values.deployment ? readDeploymentFile({ file: values.deployment }) : undefined;
  const registry = values.registry ?? deployment?.contracts.RecordRegistry.address ?? published.contract;
  if (!values.registry && !deployment) console.error(`openchart audit: no --registry or --deployment: checking the contract the API names, ${published.contract}`);
  const provider = await connectRpc(rpcUrlOf(values.rpc));
  try {
    const verdict = await verifyAuditHeads({ heads: published.heads, entries, provider, registry, fromBlock: deployment?.contracts.RecordRegistry.blockNumber ?? 0 });
    console.log(describeAuditVerdict(verdict));
    return verdict.verified ? 0 : 1;
  } finally {
    provider.destroy();
  }
}

async function fetchHeads(api: string): Promise<AuditHeads> {
  const url = `${withoutTrailingSlash(api)}/audit/heads`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new CliError(`cannot reach ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new CliError(`${url} answered HTTP ${response.status}`);
  const body = (await response.json()) as AuditHeads;
  if (!Array.isArray(body?.heads) || typeof body.contract !== "string") throw new CliError(`${url} did not answer with audit heads`);
  return body;
}

function parseEntries(json: unknown): AuditChainEntry[] {
  const entries = Array.isArray(json) ? json : (json as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) throw new CliError('the entries export must be {"entries": [...]} (openchart-api audit export)');
  return entries as AuditChainEntry[];
}

