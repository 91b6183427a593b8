import fs from "node:fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { task, types } from "hardhat/config";
import { anchorDirectly, describeReceiptCheck, parseReceipt, verifyReceipt } from "@openchart/sdk/onchain";
import { deploymentOf, existingFile, signerOf } from "./context";
import { deploymentFileOf } from "@openchart/sdk/deployment-file";
import { REPO_ROOT } from "../chain/dev-accounts";
import { runTask, TaskError } from "./run";

task("anchor", "Anchors one file's salted commitment and prints its receipt (JSON)")
  .addParam("file", "the document to anchor")
  .addOptionalParam("out", "also write the receipt to this file")
  .addOptionalParam("account", "index of the sending account", "0", types.string)
  .setAction(
    runTask(async (args: { file: string; out?: string; account: string }, hre) => {
      const file = existingFile(args.file, "document");
      const deployment = await deploymentOf(hre);
      const signer = await signerOf(hre, args.account);
      const receipt = await anchorDirectly(
        fs.createReadStream(file),
        deployment.contracts.RecordRegistry.address,
        signer,
      );
      const json = JSON.stringify(receipt, null, 2);
      if (args.out) fs.writeFileSync(args.out, `${json}\n`);
      console.log(json);
    }),
  );

// `verify` also names hardhat-verify's explorer verification: with --file it checks a receipt,
// without it the explorer task runs as before.
task("verify", "With --file and --receipt: checks a document against its receipt and the chain")
  .addOptionalParam("file", "the document")
  .addOptionalParam("receipt", "its receipt (JSON)")
  .setAction(async (args: { file?: string; receipt?: string }, hre, runSuper) => {
    if (args.file === undefined && args.receipt === undefined) return runSuper(args);
    return verifyDocument(args, hre);
  });

const verifyDocument = runTask(async (args: { file?: string; receipt?: string }, hre) => {
  if (!args.file || !args.receipt) throw new TaskError("give both --file <document> and --receipt <receipt.json>");
  const file = existingFile(args.file, "document");
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(existingFile(args.receipt, "receipt"), "utf8"));
  } catch (error) {
    if (error instanceof TaskError) throw error;
    throw new TaskError(`receipt ${args.receipt} is not readable JSON: ${(error as Error).message}`);
  }
  const receipt = parseReceipt(json);
  const registry = await knownRegistry(hre);
  const check = await verifyReceipt(fs.createReadStream(file), receipt, hre.ethers.provider, { registry });
  console.log(describeReceiptCheck(file, check));
  if (!check.verified) process.exitCode = 1;
});

/** The network's RecordRegistry when a deployment file names it; else the receipt's own contract is checked. */
async function knownRegistry(hre: HardhatRuntimeEnvironment): Promise<string | undefined> {
  if (!fs.existsSync(deploymentFileOf({ network: hre.network.name, root: REPO_ROOT }))) {
    console.error(`note: no deployment file for "${hre.network.name}": checking the contract the receipt names`);
    return undefined;
  }
  return (await deploymentOf(hre)).contracts.RecordRegistry.address;
}
