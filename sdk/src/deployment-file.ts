/// <reference types="node" />
import fs from "node:fs";
import path from "node:path";
import { parseDeployment, type Deployment } from "./deployment.js";
import { OpenChartError } from "./errors.js";

type Env = Record<string, string | undefined>;

/**
 * Where a deployment file is, by one rule for the API, the `openchart` CLI and the hardhat scripts:
 * an explicit `file`, else `<dir>/<network>.json`, where
 * - `dir` is OPENCHART_DEPLOYMENTS_DIR (relative to the working directory), else `<root>/deployments`;
 * - `network` is the caller's (a hardhat network's name), else OPENCHART_NETWORK, else `localhost`.
 */
export interface DeploymentLocation {
  /** An explicit file (a CLI's `--deployment`): the rest is ignored. */
  file?: string;
  /** The directory, when the caller already resolved it (a launcher's own option). */
  dir?: string;
  network?: string;
  /** The project whose `deployments/` is the default; default: the working directory. */
  root?: string;
  /** Default: `process.env`. */
  env?: Env;
}

/** The deployments directory: OPENCHART_DEPLOYMENTS_DIR, else `<root>/deployments`. */
export function deploymentsDirOf({ dir, root, env = process.env }: Omit<DeploymentLocation, "file" | "network"> = {}): string {
  if (dir) return path.resolve(dir);
  const configured = env.OPENCHART_DEPLOYMENTS_DIR;
  return configured ? path.resolve(configured) : path.resolve(root ?? ".", "deployments");
}

export function deploymentNetworkOf({ network, env = process.env }: Pick<DeploymentLocation, "network" | "env"> = {}): string {
  return network || env.OPENCHART_NETWORK || "localhost";
}

export function deploymentFileOf(location: DeploymentLocation = {}): string {
  if (location.file) return path.resolve(location.file);
  return path.join(deploymentsDirOf(location), `${deploymentNetworkOf(location)}.json`);
}

/** Reads and validates a deployment file; with `chainId`, refuses one made for another chain. */
export function readDeploymentFile(location: DeploymentLocation & { chainId?: number } = {}): Deployment {
  const file = deploymentFileOf(location);
  if (!fs.existsSync(file)) {
    if (location.file) throw new OpenChartError("NOT_FOUND", `deployment file ${location.file} does not exist`);
    const network = deploymentNetworkOf(location);
    throw new OpenChartError("NOT_FOUND", `no deployment for network "${network}": ${file} is missing; run \`npx hardhat deploy --network ${network}\` first`);
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new OpenChartError("INVALID_DEPLOYMENT", `deployment file ${file} is not readable JSON: ${(error as Error).message}`);
  }
  const deployment = parseDeployment(json, file);
  if (location.chainId !== undefined && deployment.chainId !== location.chainId) {
    throw new OpenChartError("WRONG_NETWORK", `${file} is for chain ${deployment.chainId}, but network "${deploymentNetworkOf(location)}" is chain ${location.chainId}`);
  }
  return deployment;
}

/** Writes `<dir>/<deployment.network>.json` (the directory by the same rule) and returns its path. */
export function writeDeploymentFile(deployment: Deployment, location: Omit<DeploymentLocation, "file" | "network"> = {}): string {
  const file = path.join(deploymentsDirOf(location), `${deployment.network}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, deploymentText(deployment));
  return file;
}

/** A deployment as its file holds it. */
export function deploymentText(deployment: Deployment): string {
  return `${JSON.stringify(deployment, null, 2)}\n`;
}
