#!/usr/bin/env node
/// <reference types="node" />
import { OpenChartError } from "../errors.js";
import { CliError, type ExitCode } from "./common.js";

interface Command {
  run: (args: string[]) => Promise<ExitCode>;
  usage: string;
}

/**
 * `openchart`: the command line of auditors (verify, consent verify), patients (records) and operators
 * (redact). A small dispatcher: each command group lives in its own module, loaded only when that command
 * runs (the record vault's modules take seconds to load; `redact` needs none of them).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  verify: async () => import("./verify.js").then((m) => ({ run: m.verifyCommand, usage: m.verifyUsage })),
  consent: async () => import("./consent.js").then((m) => ({ run: m.consentCommand, usage: m.consentUsage })),
  records: async () => import("./records.js").then((m) => ({ run: (args: string[]) => m.recordsCommand(args), usage: m.recordsUsage })),
  audit: async () => import("./audit.js").then((m) => ({ run: m.auditCommand, usage: m.auditUsage })),
  export: async () => import("./export.js").then((m) => ({ run: (args: string[]) => m.exportCommand(args), usage: m.exportUsage })),
  import: async () => import("./export.js").then((m) => ({ run: (args: string[]) => m.exportCommand(args, process.env, "import"), usage: "openchart import <bundle.json>   (see openchart export --help)" })),
  redact: async () => import("./redact.js").then((m) => ({ run: m.redactCommand, usage: m.redactUsage })),
};

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return `usage:\n${commands.map((c) => `  ${c.usage}`).join("\n")}\n\nexit codes: 0 done or verified, 1 not verified, 2 bad usage or input`;
}

async function main(argv: string[]): Promise<ExitCode> {
  const [name, ...args] = argv;
  const load = name === undefined ? undefined : COMMANDS[name];
  if (!load) {
    console.error(name === undefined || name === "--help" ? await usage() : `unknown command "${name}"\n${await usage()}`);
    return 2;
  }
  try {
    return await (await load()).run(args);
  } catch (error) {
    if (error instanceof CliError || error instanceof OpenChartError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`openchart ${name}: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
