import fs from "node:fs";
import path from "node:path";
import { ContractFactory, type Signer } from "ethers";
import { parseDeployment, OpenChartError, type DeployedContract, type Deployment, type Hex } from "@openchart/sdk";

export const CONTRACT_NAMES = ["RecordRegistry", "ConsentRegistry"] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface Artifact {
  abi: unknown[];
  bytecode: string;
}

const ROOT = path.resolve(__dirname, "..", "..");

/** Where `deployments/<network>.json` files live (overridable so tests never touch the real ones). */
export function deploymentsDir(): string {
  return path.resolve(ROOT, process.env.OPENCHART_DEPLOYMENTS_DIR ?? "deployments");
}

export function artifactPath(name: ContractName): string {
  return `artifacts/contracts/${name}.sol/${name}.json`;
}

/** Reads a compiled artifact from the repository's `artifacts/` (run `npm run compile` first). */
export function readArtifactFile(name: ContractName): Artifact {
  const file = path.join(ROOT, artifactPath(name));
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run compile\` first`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as Artifact;
}

/** Deploys both registries from `signer` and describes them as a deployment file does. */
export async function deployContracts(
  signer: Signer,
  network: string,
  readArtifact: (name: ContractName) => Artifact | Promise<Artifact> = readArtifactFile,
): Promise<Deployment> {
  const provider = signer.provider!;
  const { chainId } = await provider.getNetwork();
  const contracts = {} as Record<ContractName, DeployedContract>;
  for (const name of CONTRACT_NAMES) {
    const { abi, bytecode } = await readArtifact(name);
    const contract = await new ContractFactory(abi as never, bytecode, signer).deploy();
    const receipt = (await contract.deploymentTransaction()!.wait())!;
    contracts[name] = {
      address: (await contract.getAddress()).toLowerCase() as Hex,
      blockNumber: receipt.blockNumber,
      txHash: receipt.hash as Hex,
      artifact: artifactPath(name),
    };
  }
  return { network, chainId: Number(chainId), deployedAt: new Date().toISOString(), contracts };
}

export function writeDeployment(deployment: Deployment): string {
  const file = path.join(deploymentsDir(), `${deployment.network}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(deployment, null, 2)}\n`);
  return file;
}

/** Reads `deployments/<network>.json`, refusing a missing file or one made for another chain. */
export function readDeployment(network: string, expectedChainId?: number): Deployment {
  const file = path.join(deploymentsDir(), `${network}.json`);
  if (!fs.existsSync(file)) {
    throw new OpenChartError(
      "WRONG_NETWORK",
      `no deployment for network "${network}" (${path.relative(process.cwd(), file)} is missing): run \`npx hardhat deploy --network ${network}\` first`,
    );
  }
  const deployment = parseDeployment(JSON.parse(fs.readFileSync(file, "utf8")), file);
  if (expectedChainId !== undefined && deployment.chainId !== expectedChainId) {
    throw new OpenChartError(
      "WRONG_NETWORK",
      `${file} is for chain ${deployment.chainId}, but network "${network}" is chain ${expectedChainId}`,
    );
  }
  return deployment;
}
