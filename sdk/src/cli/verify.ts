/// <reference types="node" />
import fs from "node:fs";
import { parseArgs } from "node:util";
import { connectRpc } from "../chain.js";
import { describeReceiptCheck, parseReceipt, verifyReceipt } from "../receipt.js";
import { CliError, readJsonFile, rpcUrlOf, type ExitCode } from "./common.js";

export const verifyUsage = "openchart verify <file> --receipt <receipt.json> [--rpc URL]";

/** `openchart verify`: the document, its receipt and a JSON-RPC URL; nothing else. */
export async function verifyCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseArgs({ args, options: { receipt: { type: "string" }, rpc: { type: "string" } }, allowPositionals: true });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0 || !values.receipt) throw new CliError(`usage: ${verifyUsage}`);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`document ${file} is not a readable file`);
  const receipt = parseReceipt(readJsonFile(values.receipt, "receipt"));
  const provider = await connectRpc(rpcUrlOf(values.rpc));
  try {
    const check = await verifyReceipt(fs.createReadStream(file), receipt, provider);
    console.log(describeReceiptCheck(file, check));
    return check.verified ? 0 : 1;
  } finally {
    provider.destroy();
  }
}
