import { Interface } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { consentRegistryAbi, recordRegistryAbi, revertReasonOf } from "@openchart/sdk/onchain";

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
  const revert = revertReasonOf(error, contractErrors);
  if (revert) return `the contract refused: ${revert}`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!;
}
