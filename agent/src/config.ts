import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AgentError } from "./errors.js";
import { withoutTrailingSlash } from "@openchart/sdk/api";

/** Everything the agent reads from its environment; `loadAgentConfig` fills the local defaults. */
export interface AgentConfig {
  /** Where local state lives (`OPENCHART_DATA_DIR`, default `.data`). */
  dataDir: string;
  /** `postgres://...` selects PostgreSQL; anything else (or nothing) is the SQLite file below. */
  databaseUrl?: string;
  /** SQLite file (`AGENT_SQLITE_PATH`, default `<dataDir>/agent.sqlite`); `:memory:` for throw-away agents. */
  sqlitePath: string;
  /** 32-byte hex key that encrypts private keys at rest (`AGENT_SECRET_KEY`). */
  secretKey: string;
  /** Base URL where the API serves status list credentials (`AGENT_STATUS_BASE_URL`). */
  statusBaseUrl: string;
  /** Chain of the did:pkh identifiers this agent creates (`OPENCHART_CHAIN_ID`, default 31337). */
  chainId: number;
  /** How long a challenge stays usable (`AGENT_CHALLENGE_TTL_SECONDS`, default 300). */
  challengeTtlSeconds: number;
  /** How long a verifier may cache a status list it fetched over HTTP (`AGENT_STATUS_LIST_TTL_SECONDS`, default 60). */
  statusListTtlSeconds: number;
}

type Env = Record<string, string | undefined>;

const HEX_KEY = /^[0-9a-f]{64}$/i;

/**
 * Reads the agent's configuration. Without `AGENT_SECRET_KEY` a random key is created once in
 * `<dataDir>/agent-secret.key` (mode 0600), so a local install works and keeps its keys across restarts.
 */
export function loadAgentConfig(env: Env = process.env, overrides: Partial<AgentConfig> = {}): AgentConfig {
  const dataDir = overrides.dataDir ?? env.OPENCHART_DATA_DIR ?? ".data";
  const apiUrl = withoutTrailingSlash(env.OPENCHART_API_URL ?? "http://127.0.0.1:8787");
  const config: AgentConfig = {
    dataDir,
    databaseUrl: overrides.databaseUrl ?? (env.AGENT_DATABASE_URL || undefined),
    sqlitePath: overrides.sqlitePath ?? env.AGENT_SQLITE_PATH ?? path.join(dataDir, "agent.sqlite"),
    secretKey: overrides.secretKey ?? env.AGENT_SECRET_KEY ?? localSecretKey(dataDir),
    statusBaseUrl: withoutTrailingSlash(overrides.statusBaseUrl ?? env.AGENT_STATUS_BASE_URL ?? `${apiUrl}/credentials/status`),
    chainId: overrides.chainId ?? positiveNumber(env, "OPENCHART_CHAIN_ID", 31337),
    challengeTtlSeconds: overrides.challengeTtlSeconds ?? positiveNumber(env, "AGENT_CHALLENGE_TTL_SECONDS", 300),
    statusListTtlSeconds: overrides.statusListTtlSeconds ?? positiveNumber(env, "AGENT_STATUS_LIST_TTL_SECONDS", 60),
  };
  if (!HEX_KEY.test(config.secretKey)) {
    throw new AgentError("INVALID_CONFIG", "AGENT_SECRET_KEY must be 64 hex characters (32 bytes)");
  }
  if (config.databaseUrl && !isPostgresUrl(config.databaseUrl)) {
    throw new AgentError("INVALID_CONFIG", "AGENT_DATABASE_URL must be a postgres:// or postgresql:// URL");
  }
  try {
    new URL(config.statusBaseUrl);
  } catch {
    throw new AgentError("INVALID_CONFIG", `AGENT_STATUS_BASE_URL is not a URL: ${config.statusBaseUrl}`);
  }
  return config;
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new AgentError("INVALID_CONFIG", `${name} must be a positive number`);
  return value;
}

function localSecretKey(dataDir: string): string {
  const file = path.join(dataDir, "agent-secret.key");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString("hex");
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  return key;
}
