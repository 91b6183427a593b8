/// <reference types="node" />
import { parseArgs } from "node:util";
import { connectRpc } from "../chain.js";
import { consentIdOfOpening, consentRegistryAt, consentTimeline, parseConsentProof, readConsent } from "../consent.js";
import { formatUtc } from "../receipt.js";
import { CliError, readJsonFile, rpcUrlOf, type ExitCode } from "./common.js";

export const consentUsage = "openchart consent verify --proof <consent proof file> [--rpc URL] [--from-block N]";

/**
 * `openchart consent verify`: the state and timeline of the one consent a patient's proof opens. The chain
 * alone cannot say whose a consent is; the proof's opening recomputes its id, so nothing else is looked up.
 */
export async function consentCommand(args: string[]): Promise<ExitCode> {
  const [sub, ...rest] = args;
  if (sub !== "verify") throw new CliError(`usage: ${consentUsage}`);
  const { values } = parseArgs({
    args: rest,
    options: { proof: { type: "string" }, rpc: { type: "string" }, "from-block": { type: "string" } },
  });
  if (!values.proof) throw new CliError(`usage: ${consentUsage}`);
  const fromBlock = Number(values["from-block"] ?? 0);
  if (!Number.isSafeInteger(fromBlock) || fromBlock < 0) throw new CliError(`--from-block must be a block number, got ${values["from-block"]}`);
  const { opening } = parseConsentProof(readJsonFile(values.proof, "consent proof"));
  const consentId = consentIdOfOpening(opening);
  const provider = await connectRpc(rpcUrlOf(values.rpc));
  try {
    const { chainId } = await provider.getNetwork();
    if (BigInt(opening.chainId) !== chainId) {
      console.log(`NOT VERIFIED: the proof is for chain ${opening.chainId}, but the RPC endpoint serves chain ${chainId}`);
      return 1;
    }
    if ((await provider.getCode(opening.registry)) === "0x") {
      console.log(`NOT VERIFIED: no contract at ${opening.registry} on chain ${chainId}`);
      return 1;
    }
    const registry = consentRegistryAt(opening.registry, provider);
    const state = await readConsent(registry, consentId);
    const records = `${opening.recordIds.length} record${opening.recordIds.length === 1 ? "" : "s"}`;
    console.log(`consent ${consentId}: patient ${opening.patient} to grantee ${opening.grantee}, ${records}`);
    if (state.status === "none") {
      console.log(`NOT VERIFIED: no consent with this opening was ever granted in ConsentRegistry ${opening.registry}`);
      return 1;
    }
    const now = state.status === "active" ? `active until ${formatUtc(state.expiresAt)}` : state.status === "expired" ? `expired at ${formatUtc(state.expiresAt)}` : "revoked";
    console.log(`status: ${now}`);
    for (const e of await consentTimeline(registry, consentId, fromBlock)) {
      const detail = e.kind === "granted" ? `until ${formatUtc(e.expiresAt!)}  ` : "";
      console.log(`${formatUtc(e.at)}  ${e.kind.padEnd(7)}  ${detail}block ${e.blockNumber}, tx ${e.txHash}`);
    }
    return 0;
  } finally {
    provider.destroy();
  }
}
