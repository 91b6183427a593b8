#!/usr/bin/env node
/// <reference types="node" />
import { OpenChartError } from "../errors.js";
import { auditCommand, auditUsage } from "./audit.js";
import { CliError, type ExitCode } from "./common.js";
import { consentCommand, consentUsage } from "./consent.js";
import { recordsCommand, recordsUsage } from "./records.js";
import { redactCommand, redactUsage } from "./redact.js";
import { verifyCommand, verifyUsage } from "./verify.js";

/**
 * `openchart`: the command line of auditors (verify, consent verify), patients (records) and operators (redact). A small dispatcher: each command group lives in its own
 * module and registers here with its usage line.
 */
const COMMANDS: Record<string, { run: (args: string[]) => Promise<ExitCode>; usage: string }> = {
  verify: { run: verifyCommand, usage: verifyUsage },
  consent: { run: consentCommand, usage: consentUsage },
  records: { run: (args) => recordsCommand(args), usage: recordsUsage },
  audit: { run: auditCommand, usage: auditUsage },
  redact: { run: redactCommand, usage: redactUsage },
};

const USAGE = `usage:\n${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join("\n")}\n\nexit codes: 0 done or verified, 1 not verified, 2 bad usage or input`;

async function main(argv: string[]): Promise<ExitCode> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    console.error(name === undefined || name === "--help" ? USAGE : `unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof CliError || error instanceof OpenChartError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`openchart ${name}: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
