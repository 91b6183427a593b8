import { OpenChartError } from "./errors.js";
import { toAddress, type Hex } from "./hex.js";

export interface DeployedContract {
  address: Hex;
  blockNumber: number;
  txHash: Hex;
  /** Path of the compiled artifact (ABI and bytecode), relative to the repository root. */
  artifact: string;
}

/** What `deployments/<network>.json` holds: where the contracts of one network live. */
export interface Deployment {
  network: string;
  chainId: number;
  deployedAt: string;
  contracts: { RecordRegistry: DeployedContract; ConsentRegistry: DeployedContract };
}

/** Validates a parsed deployment file; `source` names it in errors. */
export function parseDeployment(json: unknown, source: string): Deployment {
  const fail = (why: string): never => {
    throw new OpenChartError("INVALID_DEPLOYMENT", `${source}: ${why}`);
  };
  if (!isRecord(json)) return fail("not a JSON object");
  if (typeof json.network !== "string") fail("missing network");
  if (!Number.isSafeInteger(json.chainId)) fail("missing chainId");
  if (!isRecord(json.contracts)) return fail("missing contracts");
  for (const name of ["RecordRegistry", "ConsentRegistry"] as const) {
    const entry = json.contracts[name];
    if (!isRecord(entry)) return fail(`missing contracts.${name}`);
    try {
      toAddress(entry.address, `contracts.${name}.address`);
    } catch (error) {
      fail((error as Error).message);
    }
  }
  return json as unknown as Deployment;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
