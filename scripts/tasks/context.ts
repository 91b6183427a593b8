import fs from "node:fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Deployment } from "@openchart/sdk/onchain";
import { readDeployment } from "../chain/deploy";
import { TaskError } from "./run";

/** The deployment of the network a task runs on, checked against the chain the node actually serves. */
export async function deploymentOf(hre: HardhatRuntimeEnvironment): Promise<Deployment> {
  const { chainId } = await hre.ethers.provider.getNetwork();
  return readDeployment(hre.network.name, Number(chainId));
}

/** A readable regular file, or a one-line reason. */
export function existingFile(file: string, what: string): string {
  if (!fs.existsSync(file)) throw new TaskError(`${what} ${file} does not exist`);
  if (!fs.statSync(file).isFile()) throw new TaskError(`${what} ${file} is not a file`);
  return file;
}

export async function signerOf(hre: HardhatRuntimeEnvironment, account: string) {
  const signers = await hre.ethers.getSigners();
  const index = Number(account);
  const signer = signers[index];
  if (!Number.isInteger(index) || !signer) {
    throw new TaskError(`account ${account} is not configured for network "${hre.network.name}" (${signers.length} accounts)`);
  }
  return signer;
}
