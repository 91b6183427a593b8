/// <reference types="node" />
import { parseArgs } from "node:util";
import { connectRpc } from "../chain.js";
import { consentHistory, consentRegistryAt } from "../consent.js";
import { toAddress } from "../hex.js";
import { formatUtc } from "../receipt.js";
import { readDeploymentFile } from "../deployment-file.js";
import { CliError, rpcUrlOf, type ExitCode } from "./common.js";

export const consentHistoryUsage =
  "openchart consent-history --patient <address> --grantee <address> [--rpc URL] [--contract <ConsentRegistry address> | --deployment <file>]";

/** `openchart consent-history`: every grant and revoke between a patient and a grantee, oldest first. */
export async function consentHistoryCommand(args: string[]): Promise<ExitCode> {
  const { values } = parseArgs({
    args,
    options: { patient: { type: "string" }, grantee: { type: "string" }, rpc: { type: "string" }, contract: { type: "string" }, deployment: { type: "string" } },
  });
  if (!values.patient || !values.grantee) throw new CliError(`usage: ${consentHistoryUsage}`);
  const patient = toAddress(values.patient, "--patient");
  const grantee = toAddress(values.grantee, "--grantee");
  const provider = await connectRpc(rpcUrlOf(values.rpc));
  try {
    let contract = values.contract;
    let fromBlock = 0;
    if (!contract) {
      const deployment = readDeploymentFile({ file: values.deployment });
      const { chainId } = await provider.getNetwork();
      if (BigInt(deployment.chainId) !== chainId) {
        throw new CliError(`the deployment is for chain ${deployment.chainId}, but the RPC endpoint serves chain ${chainId}`);
      }
      contract = deployment.contracts.ConsentRegistry.address;
      fromBlock = deployment.contracts.ConsentRegistry.blockNumber ?? 0;
    }
    const registry = consentRegistryAt(contract, provider);
    if ((await provider.getCode(registry.target as string)) === "0x") throw new CliError(`no contract at ${contract}`);
    const events = await consentHistory(registry, patient, grantee, fromBlock);
    if (events.length === 0) console.log(`no consent events between patient ${patient} and grantee ${grantee}`);
    for (const e of events) {
      const detail = e.kind === "granted" ? `scope ${e.scope} until ${formatUtc(e.expiresAt!)}` : "";
      console.log(`${formatUtc(e.at)}  ${e.kind.padEnd(7)}  consent ${e.consentId}  ${detail}${detail ? "  " : ""}block ${e.blockNumber}, tx ${e.txHash}`);
    }
    return 0;
  } finally {
    provider.destroy();
  }
}
