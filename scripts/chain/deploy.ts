import fs from "node:fs";
import path from "node:path";
import { Contract, ContractFactory, type Provider, type Signer } from "ethers";
import { REPO_ROOT } from "./dev-accounts";
import { CONSENT_DOMAIN_VERSION, type DeployedContract, type Deployment, type Fees, type Hex } from "@openchart/sdk/onchain";
import { deploymentFileOf, readDeploymentFile, writeDeploymentFile } from "@openchart/sdk/deployment-file";

export const CONTRACT_NAMES = ["RecordRegistry", "ConsentRegistry"] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface Artifact {
  abi: unknown[];
  bytecode: string;
}

export function artifactPath(name: ContractName): string {
  return `artifacts/contracts/${name}.sol/${name}.json`;
}

/** Reads a compiled artifact from the repository's `artifacts/` (run `npm run compile` first). */
export function readArtifactFile(name: ContractName): Artifact {
  const file = path.join(REPO_ROOT, artifactPath(name));
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run compile\` first`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as Artifact;
}

export interface DeployOptions {
  /** The only account allowed to anchor batch roots (the API's anchoring key). Default: the deployer. */
  batcher?: string;
  readArtifact?: (name: ContractName) => Artifact | Promise<Artifact>;
  /** Contracts already deployed and current (see {@link currentContracts}): kept, not deployed again. */
  keep?: Partial<Record<ContractName, DeployedContract>>;
  /** EIP-1559 fees of the deploying transactions (see `feesWithin`); default: the signer's own estimate. */
  fees?: Fees;
  /** Blocks each deploying transaction must be under (its own included) before it counts; default 1. */
  confirmations?: number;
}

/** Deploys both registries from `signer` and describes them as a deployment file does. */
export async function deployContracts(signer: Signer, network: string, options: DeployOptions = {}): Promise<Deployment> {
  const provider = signer.provider!;
  const { chainId } = await provider.getNetwork();
  const batcher = options.batcher ?? (await signer.getAddress());
  const readArtifact = options.readArtifact ?? readArtifactFile;
  const constructorArgs: Record<ContractName, unknown[]> = { RecordRegistry: [batcher], ConsentRegistry: [] };
  const contracts = {} as Record<ContractName, DeployedContract>;
  for (const name of CONTRACT_NAMES) {
    const kept = options.keep?.[name];
    if (kept) {
      contracts[name] = kept;
      continue;
    }
    const { abi, bytecode } = await readArtifact(name);
    const overrides = options.fees ? { type: 2, ...options.fees } : {};
    const contract = await new ContractFactory(abi as never, bytecode, signer).deploy(...constructorArgs[name], overrides);
    const receipt = (await contract.deploymentTransaction()!.wait(options.confirmations ?? 1))!;
    contracts[name] = {
      address: (await contract.getAddress()).toLowerCase() as Hex,
      blockNumber: receipt.blockNumber,
      txHash: receipt.hash as Hex,
      artifact: artifactPath(name),
    };
  }
  return {
    network,
    chainId: Number(chainId),
    deployedAt: new Date().toISOString(),
    batcher: batcher.toLowerCase() as Hex,
    contracts,
  };
}

export function deploymentFile(network: string): string {
  return deploymentFileOf({ network, root: REPO_ROOT });
}

/**
 * The contracts of `deployment` that still have code on the chain `provider` serves, in their current version:
 * a ConsentRegistry must sign with EIP-712 version {@link CONSENT_DOMAIN_VERSION} (v2 replaced v1, whose
 * events named patients and doctors), so a data directory from before is given a new one.
 */
export async function currentContracts(provider: Provider, deployment: Deployment): Promise<Partial<Record<ContractName, DeployedContract>>> {
  const current: Partial<Record<ContractName, DeployedContract>> = {};
  for (const name of CONTRACT_NAMES) {
    const contract = deployment.contracts[name];
    if ((await provider.getCode(contract.address)) === "0x") continue;
    if (name === "ConsentRegistry" && (await eip712VersionOf(provider, contract.address)) !== CONSENT_DOMAIN_VERSION) continue;
    current[name] = contract;
  }
  return current;
}

async function eip712VersionOf(provider: Provider, address: string): Promise<string | undefined> {
  const abi = ["function eip712Domain() view returns (bytes1, string, string version, uint256, address, bytes32, uint256[])"];
  try {
    const domain = (await new Contract(address, abi, provider).getFunction("eip712Domain")()) as unknown[];
    return domain[2] as string;
  } catch {
    return undefined;
  }
}

/** True when every contract of `deployment` still has code on the chain `provider` serves, in its current version. */
export async function stillDeployed(provider: Provider, deployment: Deployment): Promise<boolean> {
  return Object.keys(await currentContracts(provider, deployment)).length === CONTRACT_NAMES.length;
}

/**
 * The deployment `deployments/<network>.json` describes, when it is for the chain `provider` serves and
 * its contracts are still there: a platform or API may be using it right now. Undefined when there is
 * no such file, it is unreadable, or it is for another chain or a chain that forgot it.
 */
export async function liveDeployment(provider: Provider, network: string): Promise<Deployment | undefined> {
  let deployment: Deployment;
  try {
    deployment = readDeployment(network);
  } catch {
    return undefined;
  }
  const { chainId } = await provider.getNetwork();
  if (BigInt(deployment.chainId) !== chainId) return undefined;
  return (await stillDeployed(provider, deployment)) ? deployment : undefined;
}

/** Writes `deployments/<network>.json` (OPENCHART_DEPLOYMENTS_DIR, else under the repository: the sdk's rule). */
export function writeDeployment(deployment: Deployment): string {
  return writeDeploymentFile(deployment, { root: REPO_ROOT });
}

/** Reads `deployments/<network>.json`, refusing a missing file or one made for another chain. */
export function readDeployment(network: string, expectedChainId?: number): Deployment {
  return readDeploymentFile({ network, chainId: expectedChainId, root: REPO_ROOT });
}
