import { OpenChartError } from "./errors.js";
import { toAddress, toBytes32, type Hex } from "./hex.js";

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
  /** The account allowed to anchor batch roots in RecordRegistry. */
  batcher: Hex;
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
  try {
    toAddress(json.batcher, "batcher");
    for (const name of ["RecordRegistry", "ConsentRegistry"] as const) {
      const entry = json.contracts[name];
      if (!isRecord(entry)) return fail(`missing contracts.${name}`);
      toAddress(entry.address, `contracts.${name}.address`);
      toBytes32(entry.txHash, `contracts.${name}.txHash`);
      if (!Number.isSafeInteger(entry.blockNumber)) fail(`contracts.${name}.blockNumber must be an integer`);
      if (typeof entry.artifact !== "string") fail(`contracts.${name}.artifact must be a path`);
    }
  } catch (error) {
    if (error instanceof OpenChartError) throw error;
    fail((error as Error).message);
  }
  return json as unknown as Deployment;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
