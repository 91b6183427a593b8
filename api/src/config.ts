import path from "node:path";
import { deploymentNetworkOf, deploymentsDirOf } from "@openchart/sdk/deployment-file";
import { aiConfig, type AiConfig } from "./ai/config.js";
import { appointmentsConfig, type AppointmentsConfig } from "./appointments/config.js";
import { anchoringConfig, checkAnchoringForChain, type AnchoringConfig } from "./anchoring/config.js";
import { authConfig, type AuthConfig } from "./auth/config.js";
import { checkConsentsForChain, consentsConfig, type ConsentsConfig } from "./consents/config.js";
import { checkConsultsForChain, consultsConfig, type ConsultsConfig } from "./consults/config.js";
import { configError } from "./errors.js";
import { int, url, type Env } from "./env.js";
import { licensesConfig, type LicensesConfig } from "./licenses/config.js";
import { hardeningConfig, type HardeningConfig } from "./plugins/config.js";
import { metricsConfig, type MetricsConfig } from "./metrics/config.js";
import { pinningConfig, type PinningConfig } from "./pinning/config.js";
import { recoveryConfig, type RecoveryConfig } from "./recovery/config.js";
import { replicasConfig, type ReplicasConfig } from "./replicas/config.js";
import { shlConfig, type ShlConfig } from "./shl/config.js";

/** The keys every part of the platform shares (`OPENCHART_*`) and the server's own. */
export interface ServerConfig {
  rpcUrl: string;
  network: string;
  deploymentsDir: string;
  dataDir: string;
  /** `sqlite:<file>` or a `postgres://` URL. */
  databaseUrl: string;
  host: string;
  port: number;
  ceramicUrl: string | undefined;
  ipfsUrl: string | undefined;
  logLevel: string;
}

/** The API's whole configuration: the server's keys and each feature's, as the feature reads them. */
export interface Config
  extends ServerConfig, AnchoringConfig, AuthConfig, ConsentsConfig, ConsultsConfig, LicensesConfig, HardeningConfig, RecoveryConfig, MetricsConfig, ReplicasConfig, AppointmentsConfig {
  /** The AI broker (`POST /ai/chat`); off unless AI_BASE_URL is set. */
  ai: AiConfig;
  /** Remote pinning (`POST /pins`); off unless PIN_SERVICE_URL is set. */
  pinning: PinningConfig;
  /** SMART Health Links (`/shl/...`). */
  shl: ShlConfig;
}

/** Reads the configuration from the environment; every key has a working local default. */
export function loadConfig(env: Env = process.env): Config {
  return {
    ...serverConfig(env),
    ...anchoringConfig(env),
    ...authConfig(env),
    ...consentsConfig(env),
    ...consultsConfig(env),
    ...licensesConfig(env),
    ...hardeningConfig(env),
    ...recoveryConfig(env),
    ...metricsConfig(env),
    ...replicasConfig(env),
    ...appointmentsConfig(env),
    ai: aiConfig(env),
    pinning: pinningConfig(env),
    shl: shlConfig(env),
  };
}

/** Refuses the public development keys and secrets on any chain but the local one. */
export function checkAnchorKeyForChain(config: Config, chainId: number): void {
  checkAnchoringForChain(config, chainId);
  checkConsentsForChain(config, chainId);
  checkConsultsForChain(config, chainId);
}

function serverConfig(env: Env): ServerConfig {
  const dataDir = path.resolve(env.OPENCHART_DATA_DIR || ".data");
  return {
    rpcUrl: url(env, "OPENCHART_RPC_URL", "http://127.0.0.1:8545")!,
    network: deploymentNetworkOf({ env }),
    deploymentsDir: deploymentsDirOf({ env }),
    dataDir,
    databaseUrl: databaseUrl(env.API_DATABASE_URL, dataDir),
    host: env.API_HOST || "127.0.0.1",
    port: int(env, "API_PORT", 8787, 0, 65_535),
    ceramicUrl: url(env, "OPENCHART_CERAMIC_URL"),
    ipfsUrl: url(env, "OPENCHART_IPFS_URL"),
    logLevel: env.API_LOG_LEVEL || "info",
  };
}

function databaseUrl(value: string | undefined, dataDir: string): string {
  if (!value) return `sqlite:${path.join(dataDir, "api.sqlite")}`;
  if (/^postgres(ql)?:\/\//.test(value)) return value;
  if (value.startsWith("sqlite:")) return `sqlite:${path.resolve(value.slice("sqlite:".length))}`;
  throw configError(`API_DATABASE_URL must be sqlite:<file> or postgres://..., got "${value}"`);
}
