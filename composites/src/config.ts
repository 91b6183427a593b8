import path from "node:path";

/** Where and how the local node runs. Every field has a safe local default (loopback, `.data/`). */
export interface LocalNodeConfig {
  /** Root of all node state; the node writes `ceramic/` and `ipfs/` below it. */
  dataDir: string;
  /** Interface both servers bind to. Only loopback is allowed: Ceramic has no authentication, and the IPFS RPC only a token for its restricted endpoints. */
  host: string;
  /** Ceramic HTTP API port; 0 picks a free port. */
  ceramicPort: number;
  /** Kubo RPC API port of the IPFS node; 0 picks a free port. */
  ipfsPort: number;
  /** Browser origins allowed to call the IPFS RPC API (the web app's dev server). */
  corsOrigins: string[];
}

/** Where the token of the IPFS RPC's restricted endpoints is kept (owner-only), for the platform's own tools. */
export const rpcTokenFile = (dataDir: string): string => path.join(dataDir, "ipfs-rpc.token");

export const DEFAULT_CERAMIC_PORT = 7007;
export const DEFAULT_IPFS_PORT = 5001;
const DEFAULT_CORS_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173"];
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

export class NodeConfigError extends Error {
  override readonly name = "NodeConfigError";
}

function port(value: string | undefined, fallback: number, key: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new NodeConfigError(`${key} must be a port number between 0 and 65535, got "${value}"`);
  }
  return n;
}

/** Reads the node's configuration from `OPENCHART_*` variables. */
export function nodeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LocalNodeConfig {
  const host = env.OPENCHART_NODE_HOST ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) {
    throw new NodeConfigError(`OPENCHART_NODE_HOST must be a loopback address (the local node has no access control), got "${host}"`);
  }
  const origins = env.OPENCHART_NODE_CORS_ORIGINS;
  return {
    dataDir: path.resolve(env.OPENCHART_DATA_DIR ?? ".data"),
    host,
    ceramicPort: port(env.OPENCHART_CERAMIC_PORT, DEFAULT_CERAMIC_PORT, "OPENCHART_CERAMIC_PORT"),
    ipfsPort: port(env.OPENCHART_IPFS_PORT, DEFAULT_IPFS_PORT, "OPENCHART_IPFS_PORT"),
    corsOrigins: origins ? origins.split(",").map((o) => o.trim()).filter(Boolean) : DEFAULT_CORS_ORIGINS,
  };
}
