import { ArgumentsParser } from "hardhat/internal/cli/ArgumentsParser";
import { getEnvHardhatArguments } from "hardhat/internal/core/params/env-variables";
import { HARDHAT_PARAM_DEFINITIONS } from "hardhat/internal/core/params/hardhat-params";

/** The tasks of index.ts that use nothing of the toolbox but hardhat-ethers (`verify` is decided below). */
const OWN_TASKS = new Set(["deploy", "anchor", "grant", "revoke", "consent-status"]);

/** The hardhat CLI's entry files: run directly (cli.js) or as `npx hardhat` (bootstrap.js, which requires cli.js). */
const HARDHAT_CLI = /[\\/]hardhat[\\/]internal[\\/]cli[\\/](cli|bootstrap)\.js$/;

export interface HardhatCommand {
  task: string | undefined;
  args: string[];
}

/** The task (or scope) this process runs and its other arguments, when it is the hardhat CLI; else undefined. */
export function hardhatCommand(argv: readonly string[] = process.argv, main: string | undefined = require.main?.filename): HardhatCommand | undefined {
  if (!HARDHAT_CLI.test(main ?? "")) return undefined;
  try {
    // The CLI's own parse of the same arguments (its global options, their environment variables), done again
    // here because hardhat loads the config before it tells anyone which task it will run.
    const parsed = new ArgumentsParser().parseHardhatArguments(
      HARDHAT_PARAM_DEFINITIONS,
      getEnvHardhatArguments(HARDHAT_PARAM_DEFINITIONS, process.env),
      argv.slice(2),
    );
    return { task: parsed.scopeOrTaskName, args: parsed.allUnparsedCLAs };
  } catch {
    return undefined;
  }
}

/**
 * True when `command` (this process's, from hardhatCommand) runs one of our tasks, so that hardhat.config.ts can
 * load hardhat-ethers alone instead of the whole toolbox. `verify` is ours only with --file or --receipt:
 * without them it is hardhat-verify's explorer verification, which needs the toolbox. Anything else (another
 * task, a scope such as `ignition`, a script or test that requires "hardhat" itself) gets the toolbox.
 */
export function runsOwnTask(command: HardhatCommand | undefined): boolean {
  if (command?.task === "verify") return command.args.some((arg) => arg === "--file" || arg === "--receipt");
  return command?.task !== undefined && OWN_TASKS.has(command.task);
}
