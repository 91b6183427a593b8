import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import path from "node:path";
import { AI_DEFAULTS, type AiConfig } from "./ai/config.js";
import { isBytes32, isDid, withoutTrailingSlash } from "@openchart/sdk";
import { configError } from "./errors.js";

/**
 * Hardhat's first well-known development account. Its key is public knowledge: it is a default for
 * the local chain only, and `loadConfig` refuses it for any chain but Hardhat's (31337).
 */
export const LOCAL_DEV_ANCHOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** Hardhat's third development account: the local default of the consent relayer (its own nonces, apart from the batcher's). */
export const LOCAL_DEV_RELAYER_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
export const LOCAL_CHAIN_ID = 31337;
/** `livekit-server --dev`'s key; with the secret below, for the local chain only. */
export const LOCAL_DEV_LIVEKIT_KEY = "devkey";
export const LOCAL_DEV_LIVEKIT_SECRET = "openchart-local-livekit-dev-secret-0123456789";

export interface VideoConfig {
  provider: "livekit" | "agora";
  /** Lifetime of a consult room token. */
  tokenTtlSeconds: number;
  livekit: { url: string; apiKey: string; apiSecret: string };
  agora: { appId: string; appCertificate: string } | undefined;
}

export interface Config {
  rpcUrl: string;
  network: string;
  deploymentsDir: string;
  dataDir: string;
  /** `sqlite:<file>` or a `postgres://` URL. */
  databaseUrl: string;
  host: string;
  port: number;
  anchorKey: string;
  /** Pays the gas of patients' signed grants and revokes (`POST /consents/relay`). */
  relayerKey: string;
  /** Signed consent requests relayed per patient per hour. */
  relayPerPatientPerHour: number;
  /** The web app's `host:port` (as `location.host` shows it) whose did-session CACAOs sign in here, compared exactly. */
  authDomains: string[];
  /** The longest did-session (CACAO issuedAt to expirationTime) accepted, in seconds. */
  sessionMaxSeconds: number;
  /** This API's name in signed requests (the JWS audience). */
  authAudience: string;
  /** DIDs that may issue and revoke license credentials. */
  issuerDids: string[];
  /** DIDs with the operator's rights. */
  adminDids: string[];
  /** Signs API tokens (`POST /auth/token`); random per process when unset, so tokens die with a restart. */
  sessionSecret: Uint8Array;
  /** Lifetime of an API token, capped by the session's own expiry. */
  tokenTtlSeconds: number;
  /** How long a license's status-list check is trusted (licensed sessions, `GET /doctors/:did`). */
  licenseRecheckMs: number;
  /** How long an on-chain consent read is reused (its expiry is still compared with the clock on every request). */
  consentCacheMs: number;
  video: VideoConfig;
  /** A batch is sent as soon as this many leaves wait... */
  batchSize: number;
  /** ...or when the oldest waiting leaf has waited this long. */
  intervalMs: number;
  confirmations: number;
  /** A sent anchoring transaction unmined for this long is replaced (same nonce, higher fee). */
  stuckTxMs: number;
  pollMs: number;
  /** The most the batcher pays per gas, in wei (`ANCHOR_MAX_FEE_GWEI`). */
  maxFeePerGas: bigint;
  /** The most leaves one `POST /anchors` may carry. */
  maxLeavesPerRequest: number;
  adminToken: string | undefined;
  /** Browser origins (scheme://host:port) whose pages may call this API. */
  corsOrigins: string[];
  /** Requests per minute per client address (or per proxy-reported address, see trustProxy). */
  rateLimitPerMinute: number;
  /** Client addresses exempt from the rate limit (a load generator on loopback, a trusted internal caller). */
  rateLimitAllow: string[];
  /** Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs); empty: the socket's peer is the client. */
  trustProxy: string[];
  /** The largest request body any route accepts unless the route sets its own (bytes). */
  bodyLimitBytes: number;
  /** How long a creating POST's answer is kept for replay under its Idempotency-Key. */
  idempotencyTtlMs: number;
  ceramicUrl: string | undefined;
  ipfsUrl: string | undefined;
  logLevel: string;
  /** The AI broker (`POST /ai/chat`); off unless AI_BASE_URL is set. */
  ai: AiConfig;
}

type Env = Record<string, string | undefined>;

/** Reads the configuration from the environment; every key has a working local default. */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.OPENCHART_DATA_DIR || ".data");
  const config: Config = {
    rpcUrl: url(env, "OPENCHART_RPC_URL", "http://127.0.0.1:8545")!,
    network: env.OPENCHART_NETWORK || "localhost",
    deploymentsDir: path.resolve(env.OPENCHART_DEPLOYMENTS_DIR || "deployments"),
    dataDir,
    databaseUrl: databaseUrl(env.API_DATABASE_URL, dataDir),
    host: env.API_HOST || "127.0.0.1",
    port: int(env, "API_PORT", 8787, 0, 65_535),
    anchorKey: privateKey(env, "API_ANCHOR_KEY", LOCAL_DEV_ANCHOR_KEY),
    relayerKey: privateKey(env, "API_RELAYER_KEY", LOCAL_DEV_RELAYER_KEY),
    relayPerPatientPerHour: int(env, "API_RELAY_PER_PATIENT_PER_HOUR", 20, 1, 100_000),
    authDomains: authDomains(env, "API_AUTH_DOMAINS"),
    sessionMaxSeconds: int(env, "API_SESSION_MAX_DAYS", 7, 1, 365) * 86_400,
    authAudience: env.API_AUTH_AUDIENCE || env.OPENCHART_API_URL || "http://127.0.0.1:8787",
    issuerDids: dids(env, "API_ISSUER_DIDS"),
    adminDids: dids(env, "API_ADMIN_DIDS"),
    sessionSecret: sessionSecret(env.API_SESSION_SECRET),
    tokenTtlSeconds: int(env, "API_TOKEN_TTL_SECONDS", 300, 10, 86_400),
    licenseRecheckMs: int(env, "API_LICENSE_RECHECK_SECONDS", 10, 0, 3_600) * 1000,
    consentCacheMs: int(env, "API_CONSENT_CACHE_MS", 2_000, 0, 60_000),
    video: videoConfig(env),
    batchSize: int(env, "ANCHOR_BATCH_SIZE", 256, 1, 10_000),
    intervalMs: int(env, "ANCHOR_INTERVAL_MS", 5_000, 10, 86_400_000),
    confirmations: int(env, "ANCHOR_CONFIRMATIONS", 1, 1, 100),
    stuckTxMs: int(env, "ANCHOR_STUCK_TX_MS", 60_000, 100, 86_400_000),
    pollMs: int(env, "ANCHOR_POLL_MS", 250, 10, 60_000),
    maxFeePerGas: BigInt(int(env, "ANCHOR_MAX_FEE_GWEI", 1_000, 1, 1_000_000)) * 1_000_000_000n,
    maxLeavesPerRequest: int(env, "ANCHOR_MAX_LEAVES_PER_REQUEST", 1_000, 1, 10_000),
    adminToken: env.API_ADMIN_TOKEN || undefined,
    corsOrigins: origins(env, "API_CORS_ORIGINS", "http://127.0.0.1:5173,http://localhost:5173"),
    rateLimitPerMinute: int(env, "API_RATE_LIMIT_PER_MINUTE", 1_200, 1, 10_000_000),
    rateLimitAllow: addresses(env, "API_RATE_LIMIT_ALLOW"),
    trustProxy: addresses(env, "API_TRUST_PROXY", true),
    bodyLimitBytes: int(env, "API_BODY_LIMIT_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
    idempotencyTtlMs: int(env, "API_IDEMPOTENCY_TTL_HOURS", 24, 1, 24 * 30) * 3_600_000,
    ceramicUrl: url(env, "OPENCHART_CERAMIC_URL"),
    ipfsUrl: url(env, "OPENCHART_IPFS_URL"),
    logLevel: env.API_LOG_LEVEL || "info",
    ai: aiConfig(env),
  };
  if (config.adminToken !== undefined && config.adminToken.length < 16) {
    throw configError("API_ADMIN_TOKEN must be at least 16 characters");
  }
  return config;
}

/** Refuses the public development keys and secrets on any chain but the local one. */
export function checkAnchorKeyForChain(config: Config, chainId: number): void {
  if (config.anchorKey === LOCAL_DEV_ANCHOR_KEY && chainId !== LOCAL_CHAIN_ID) {
    throw configError(
      `API_ANCHOR_KEY is unset, and its default (a public Hardhat development key) is for the local chain only, not chain ${chainId}`,
    );
  }
  if (config.relayerKey === LOCAL_DEV_RELAYER_KEY && chainId !== LOCAL_CHAIN_ID) {
    throw configError(
      `API_RELAYER_KEY is unset, and its default (a public Hardhat development key) is for the local chain only, not chain ${chainId}`,
    );
  }
  if (config.video.provider === "livekit" && config.video.livekit.apiSecret === LOCAL_DEV_LIVEKIT_SECRET && chainId !== LOCAL_CHAIN_ID) {
    throw configError(`LIVEKIT_API_SECRET is unset, and its default (a published development secret) is for the local chain only, not chain ${chainId}`);
  }
}

function videoConfig(env: Env): VideoConfig {
  const provider = env.API_VIDEO_PROVIDER || "livekit";
  if (provider !== "livekit" && provider !== "agora") throw configError(`API_VIDEO_PROVIDER must be livekit or agora, got "${provider}"`);
  const livekitUrl = env.LIVEKIT_URL || "ws://127.0.0.1:7880";
  if (!/^wss?:\/\/[^\s]+$/.test(livekitUrl)) throw configError(`LIVEKIT_URL must be a ws:// or wss:// URL, got "${livekitUrl}"`);
  const apiSecret = env.LIVEKIT_API_SECRET || LOCAL_DEV_LIVEKIT_SECRET;
  if (apiSecret.length < 32) throw configError("LIVEKIT_API_SECRET must be at least 32 characters");
  const appId = env.AGORA_APP_ID || "";
  const appCertificate = env.AGORA_APP_CERTIFICATE || "";
  const hex32 = /^[0-9a-f]{32}$/i;
  if (provider === "agora" && (!hex32.test(appId) || !hex32.test(appCertificate))) {
    throw configError("API_VIDEO_PROVIDER=agora needs AGORA_APP_ID and AGORA_APP_CERTIFICATE (32 hex characters each, from the Agora console)");
  }
  return {
    provider,
    tokenTtlSeconds: int(env, "API_VIDEO_TOKEN_TTL_SECONDS", 600, 60, 86_400),
    livekit: { url: withoutTrailingSlash(livekitUrl), apiKey: env.LIVEKIT_API_KEY || LOCAL_DEV_LIVEKIT_KEY, apiSecret },
    agora: appId && appCertificate ? { appId, appCertificate } : undefined,
  };
}

function aiConfig(env: Env): AiConfig {
  const baseUrl = url(env, "AI_BASE_URL");
  const model = env.AI_MODEL?.trim() || undefined;
  if (baseUrl !== undefined && model === undefined) {
    throw configError("AI_MODEL must name the model to use when AI_BASE_URL is set (for example llama3.1:8b for Ollama)");
  }
  return {
    endpoint: baseUrl === undefined ? undefined : { baseUrl, apiKey: env.AI_API_KEY || undefined, model: model! },
    timeoutMs: int(env, "AI_TIMEOUT_MS", AI_DEFAULTS.timeoutMs, 100, 600_000),
    limits: {
      maxMessages: int(env, "AI_MAX_MESSAGES", AI_DEFAULTS.maxMessages, 1, 500),
      maxMessageChars: int(env, "AI_MAX_MESSAGE_CHARS", AI_DEFAULTS.maxMessageChars, 1, 100_000),
      maxNames: AI_DEFAULTS.maxNames,
      maxTokens: int(env, "AI_MAX_TOKENS", AI_DEFAULTS.maxTokens, 1, 1_000_000),
      requestsPerMinute: int(env, "AI_REQUESTS_PER_MINUTE", AI_DEFAULTS.requestsPerMinute, 1, 100_000),
      requestsPerHour: int(env, "AI_REQUESTS_PER_HOUR", AI_DEFAULTS.requestsPerHour, 1, 1_000_000),
      tokensPerDay: int(env, "AI_TOKENS_PER_DAY", AI_DEFAULTS.tokensPerDay, 1, 1_000_000_000),
    },
  };
}

function databaseUrl(value: string | undefined, dataDir: string): string {
  if (!value) return `sqlite:${path.join(dataDir, "api.sqlite")}`;
  if (/^postgres(ql)?:\/\//.test(value)) return value;
  if (value.startsWith("sqlite:")) return `sqlite:${path.resolve(value.slice("sqlite:".length))}`;
  throw configError(`API_DATABASE_URL must be sqlite:<file> or postgres://..., got "${value}"`);
}

function dids(env: Env, key: string): string[] {
  const list = (env[key] || "").split(",").map((d) => d.trim()).filter(Boolean);
  const bad = list.find((did) => !isDid(did));
  if (bad !== undefined) throw configError(`${key} must be a comma-separated list of DIDs, got "${bad}"`);
  return list;
}

function list(env: Env, key: string, fallback = ""): string[] {
  return (env[key] || fallback).split(",").map((item) => item.trim()).filter(Boolean);
}

/** The local platform's web app (`npm start`, port 8080) and Vite's dev server (port 5173). */
export const DEFAULT_AUTH_DOMAINS = "127.0.0.1:8080,localhost:8080,127.0.0.1:5173,localhost:5173";
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * SIWE domains as the browser's `location.host` gives them: host and port, the port left out only for a
 * scheme's default. A bare loopback host is refused: any local program on any port could sign in with it.
 */
function authDomains(env: Env, key: string): string[] {
  const all = list(env, key, DEFAULT_AUTH_DOMAINS);
  for (const domain of all) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(`http://${domain}`);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.host !== domain.toLowerCase() || parsed.pathname !== "/" || parsed.username !== "" || domain.includes("@")) {
      throw configError(`${key} must be a comma-separated list of host:port like app.example.org or 127.0.0.1:8080 (no scheme, no path), got "${domain}"`);
    }
    if (LOOPBACK_HOSTS.has(parsed.hostname) && parsed.port === "") {
      throw configError(`${key} must name the web app's port for a loopback host (like 127.0.0.1:8080), got "${domain}"`);
    }
  }
  return all;
}

/** Origins as browsers send them: scheme, host and port only, no path and no trailing slash. */
function origins(env: Env, key: string, fallback: string): string[] {
  const all = list(env, key, fallback);
  for (const origin of all) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.origin !== origin) {
      throw configError(`${key} must be a comma-separated list of origins like https://app.example.org (no path, no trailing slash), got "${origin}"`);
    }
  }
  return all;
}

/** IP addresses (IPv4 or IPv6), with a /prefix when `cidr` allows it. */
function addresses(env: Env, key: string, cidr = false): string[] {
  const all = list(env, key);
  for (const entry of all) {
    const [address = "", prefix, ...rest] = entry.split("/");
    const max = isIP(address) === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (cidr && /^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (isIP(address) === 0 || !prefixOk || rest.length > 0) {
      throw configError(`${key} must be a comma-separated list of IP addresses${cidr ? " or CIDR ranges" : ""}, got "${entry}"`);
    }
  }
  return all;
}

function sessionSecret(value: string | undefined): Uint8Array {
  if (!value) return randomBytes(32);
  if (!/^(0x)?[0-9a-fA-F]{64,}$/.test(value)) throw configError("API_SESSION_SECRET must be at least 32 bytes of hex (64 hex digits)");
  return Uint8Array.from(Buffer.from(value.replace(/^0x/, ""), "hex"));
}

function privateKey(env: Env, key: string, localDefault: string): string {
  const value = env[key];
  if (!value) return localDefault;
  if (!isBytes32(value)) throw configError(`${key} must be a 32-byte hex private key (0x + 64 hex digits)`);
  return value;
}

function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw configError(`${key} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function url(env: Env, key: string, fallback?: string): string | undefined {
  const raw = env[key] || fallback;
  if (raw === undefined) return undefined;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw configError(`${key} must be an http(s) URL, got "${raw}"`);
  }
  return withoutTrailingSlash(raw);
}
