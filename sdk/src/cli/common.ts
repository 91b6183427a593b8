/// <reference types="node" />
import fs from "node:fs";

/** A command's outcome: the exit code (0 done or verified, 1 not verified) and what it printed. */
export type ExitCode = 0 | 1 | 2;

/** A usage or input error: printed as one line, exit code 2. */
export class CliError extends Error {
  override readonly name = "CliError";
}

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

export function rpcUrlOf(option: string | undefined): string {
  return option ?? process.env.OPENCHART_RPC_URL ?? DEFAULT_RPC_URL;
}

export function readJsonFile(file: string, what: string): unknown {
  if (!fs.existsSync(file)) throw new CliError(`${what} ${file} does not exist`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`${what} ${file} is not readable JSON: ${(error as Error).message}`);
  }
}
