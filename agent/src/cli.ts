#!/usr/bin/env node
import fs from "node:fs";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createAgent, type OpenChartAgent } from "./agent.js";
import { AgentError, messageOf } from "./errors.js";
import { initIssuer, issueLicense, listLicenses, loadIssuer, reinstateLicense, revokeLicense, suspendLicense } from "./issuer.js";
import { specialtyFor } from "./specialties.js";
import { verifyDoctorPresentation } from "./verify/presentation.js";

const USAGE = `usage: openchart-agent <command>
  issuer init [--alias <name>] [--method key|pkh]   create (or show) the issuer DID
  issue --to <did> --license <number> --specialty <code> [--specialty-label <label>]
        --jurisdiction <code> --days <n> [--from <date>] [--name <the doctor's name>]
  revoke <credential-id>                revoke for good
  suspend <credential-id> | reinstate <credential-id>
  list [--json]                         credentials issued by the local issuer
  challenge [--domain <domain>]         hand out a single-use challenge
  verify <vp.jwt|vp.json> --challenge <c> --domain <d> [--trust <did>]... [--consume]
configuration: OPENCHART_DATA_DIR, AGENT_DATABASE_URL, AGENT_SECRET_KEY, AGENT_STATUS_BASE_URL, AGENT_TRUSTED_ISSUERS`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

class UsageError extends Error {}

const DAY_MS = 86_400_000;

/** Runs one command; returns the exit code (0 success or accepted, 1 failure or refused, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  let agent: OpenChartAgent | undefined;
  try {
    const handler = COMMANDS[command];
    if (!handler) throw new UsageError(`unknown command "${command}"`);
    agent = await createAgent({ env: io.env });
    return await handler(agent, rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      io.err(`error: ${error.message}\n${USAGE}`);
      return 2;
    }
    io.err(`error: ${error instanceof AgentError ? error.message : messageOf(error)}`);
    return 1;
  } finally {
    await agent?.close();
  }
}

type Handler = (agent: OpenChartAgent, args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Handler> = {
  async issuer(agent, args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { alias: { type: "string" }, method: { type: "string" } } });
    if (positionals[0] !== "init") throw new UsageError('the issuer command is "issuer init"');
    const method = values.method ?? "key";
    if (method !== "key" && method !== "pkh") throw new UsageError("--method is key or pkh");
    const issuer = await initIssuer(agent, values.alias, method);
    io.out(issuer.did);
    return 0;
  },

  async issue(agent, args, io) {
    const { values } = parseArgs({
      args,
      options: {
        to: { type: "string" },
        name: { type: "string" },
        license: { type: "string" },
        specialty: { type: "string" },
        "specialty-label": { type: "string" },
        jurisdiction: { type: "string" },
        days: { type: "string" },
        from: { type: "string" },
      },
    });
    for (const name of ["to", "license", "specialty", "jurisdiction", "days"] as const) {
      if (!values[name]) throw new UsageError(`issue needs --${name}`);
    }
    const specialty = specialtyFor(values.specialty!, values["specialty-label"]);
    if (!specialty) throw new UsageError(`unknown specialty code ${values.specialty}: give its label with --specialty-label`);
    const days = Number(values.days);
    if (!Number.isFinite(days) || days <= 0) throw new UsageError("--days must be a positive number");
    const validFrom = values.from ? new Date(values.from) : new Date();
    if (Number.isNaN(validFrom.getTime())) throw new UsageError(`--from is not a date: ${values.from}`);
    const issuer = await loadIssuer(agent);
    const issued = await issueLicense(agent, issuer.did, {
      subject: values.to!,
      ...(values.name ? { name: values.name } : {}),
      licenseNumber: values.license!,
      specialty,
      jurisdiction: values.jurisdiction!,
      validFrom,
      validUntil: new Date(validFrom.getTime() + days * DAY_MS),
    });
    io.out(issued.id);
    io.out(issued.jwt);
    return 0;
  },

  revoke: statusCommand("revoke", revokeLicense, "revoked", "was already revoked"),
  suspend: statusCommand("suspend", suspendLicense, "suspended", "was already suspended"),
  reinstate: statusCommand("reinstate", reinstateLicense, "reinstated", "was not suspended"),

  async list(agent, args, io) {
    const { values } = parseArgs({ args, options: { json: { type: "boolean" } } });
    const licenses = await listLicenses(agent, (await loadIssuer(agent)).did);
    if (values.json) {
      io.out(JSON.stringify(licenses, null, 2));
      return 0;
    }
    if (licenses.length === 0) io.out("no credentials issued yet");
    for (const l of licenses) {
      io.out(`${l.id}  ${l.state.padEnd(13)} ${l.licenseNumber}  ${l.specialty.label} (${l.specialty.code})  ${l.jurisdiction}  until ${l.validUntil.slice(0, 10)}  ${l.subject}`);
    }
    return 0;
  },

  async challenge(agent, args, io) {
    const { values } = parseArgs({ args, options: { domain: { type: "string" } } });
    const issued = await agent.challenges.issue(values.domain ?? null);
    io.out(issued.challenge);
    io.err(`expires at ${issued.expiresAt.toISOString()}`);
    return 0;
  },

  async verify(agent, args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { challenge: { type: "string" }, domain: { type: "string" }, trust: { type: "string", multiple: true }, consume: { type: "boolean" } },
    });
    const file = positionals[0];
    if (!file || !values.challenge || !values.domain) throw new UsageError("verify needs a presentation file, --challenge and --domain");
    const presentation = fs.readFileSync(file, "utf8");
    const trustedIssuers = [...(values.trust ?? []), ...(io.env.AGENT_TRUSTED_ISSUERS ?? "").split(",").map((d) => d.trim()).filter(Boolean)];
    const local = await loadIssuer(agent).catch(() => null);
    if (local) trustedIssuers.push(local.did);
    const result = await verifyDoctorPresentation(agent, presentation, {
      challenge: values.challenge,
      domain: values.domain,
      trustedIssuers,
      challengeStore: values.consume ? agent.challenges : undefined,
    });
    if (result.ok && result.doctor) {
      const d = result.doctor;
      io.out(`ok: ${d.did}${d.name ? ` (${d.name})` : ""} holds license ${d.licenseNumber} (${d.specialty.label}, ${d.jurisdiction}) valid until ${d.validUntil}`);
      return 0;
    }
    io.out("refused:");
    for (const r of result.reasons) io.out(`  ${r.code}${r.credential === undefined ? "" : ` [credential ${r.credential}]`}: ${r.message}`);
    return 1;
  },
};

function statusCommand(name: string, change: (agent: OpenChartAgent, id: string) => Promise<boolean>, done: string, unchanged: string): Handler {
  return async (agent, args, io) => {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new UsageError(`${name} needs exactly one credential id`);
    const id = positionals[0]!;
    io.out((await change(agent, id)) ? `${id} ${done}` : `${id} ${unchanged}`);
    return 0;
  };
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env });
  process.exitCode = code;
}
