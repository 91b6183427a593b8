import { Interface } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { consentRegistryAbi, recordRegistryAbi } from "@openchart/sdk";

/** A failure the user can act on: printed as one line, exit code 1, no stack. */
export class TaskError extends Error {}

const contractErrors = new Interface([...recordRegistryAbi, ...consentRegistryAbi]);

/**
 * Runs a task body so that every failure becomes one line on stderr and a non-zero exit code,
 * and a contract revert is shown by its custom error name and arguments.
 */
export function runTask<A>(
  body: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>,
): (args: A, hre: HardhatRuntimeEnvironment) => Promise<void> {
  return async (args, hre) => {
    try {
      await body(args, hre);
    } catch (error) {
      console.error(`error: ${describe(error)}`);
      process.exitCode = 1;
    }
  };
}

function describe(error: unknown): string {
  const data = findRevertData(error);
  if (data) {
    try {
      const parsed = contractErrors.parseError(data);
      if (parsed) return `the contract refused: ${parsed.name}(${parsed.args.map(String).join(", ")})`;
    } catch {
      // not one of ours: fall through to the message
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!;
}

function findRevertData(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) return data;
    e = (e as { error?: unknown; cause?: unknown }).error ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}
