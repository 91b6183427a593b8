/// <reference types="node" />
import fs from "node:fs";
import { parseArgs } from "node:util";
import { connectRpc } from "../chain.js";
import { describeReceiptCheck, parseReceipt, verifyReceipt } from "../receipt.js";
import { readDeploymentFile } from "../deployment-file.js";
import { CliError, readJsonFile, rpcUrlOf, type ExitCode } from "./common.js";

export const verifyUsage =
  "openchart verify <file> --receipt <receipt.json> [--rpc URL] [--registry <RecordRegistry address> | --deployment <file>]";

/** `openchart verify`: the document, its receipt and a JSON-RPC URL; nothing else. */
export async function verifyCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    options: { receipt: { type: "string" }, rpc: { type: "string" }, registry: { type: "string" }, deployment: { type: "string" } },
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0 || !values.receipt) throw new CliError(`usage: ${verifyUsage}`);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`document ${file} is not a readable file`);
  const receipt = parseReceipt(readJsonFile(values.receipt, "receipt"));
  const provider = await connectRpc(rpcUrlOf(values.rpc));
  try {
    // Pinning the registry (from the auditor's own deployment file or address) refuses a receipt that
    // names a look-alike contract; without it the contract the receipt names is checked.
    const registry = values.registry ?? (values.deployment ? readDeploymentFile({ file: values.deployment }).contracts.RecordRegistry.address : undefined);
    const check = await verifyReceipt(fs.createReadStream(file), receipt, provider, { registry });
    console.log(describeReceiptCheck(file, check));
    return check.verified ? 0 : 1;
  } finally {
    provider.destroy();
  }
}
