import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * Who may use the local chain's JSON-RPC, and for what. The Hardhat node holds 20 unlocked development
 * accounts and answers development calls that rewrite state (`hardhat_setStorageAt` can write an active
 * consent), and the journal makes such writes survive restarts. Every web page the user visits can send
 * requests to loopback, so:
 * - a request from a browser must come from the web app's own origins (any other `Origin` is refused
 *   before the body is read: a "simple" cross-origin POST reaches the server even when CORS hides the
 *   answer), and its `Host` must be the proxy's own (a DNS-rebound name is refused);
 * - development calls and calls that make the node sign with its accounts need the launcher's token
 *   (`Authorization: Bearer <token>`), which only the launcher's own clients hold. The web app's wallet
 *   signs itself and sends raw transactions, so reads and `eth_sendRawTransaction` stay open.
 */
export interface RpcAccessPolicy {
  /** Origins of the web app (scheme://host:port) whose pages may read the chain and send raw transactions. */
  allowedOrigins: readonly string[];
  /** The launcher's secret: development and account-signing calls need it as a bearer token. */
  launcherToken: string;
  /** The port the proxy listens on: `Host` must be 127.0.0.1 or localhost on it. */
  port: number;
}

const LAUNCHER_ONLY_PREFIXES = ["hardhat_", "evm_", "personal_", "eth_sign"];
const LAUNCHER_ONLY_METHODS = new Set(["eth_sendTransaction", "eth_accounts", "eth_requestAccounts"]);

/** Development calls (`hardhat_*`, `evm_*`) and calls that use the node's unlocked accounts. */
export function isLauncherOnly(method: string): boolean {
  return LAUNCHER_ONLY_METHODS.has(method) || LAUNCHER_ONLY_PREFIXES.some((prefix) => method.startsWith(prefix));
}

/** Why a request is refused before its body is read (status 403), or null. */
export function requestRefusal(headers: IncomingHttpHeaders, policy: RpcAccessPolicy): string | null {
  const host = headers.host ?? "";
  if (host !== `127.0.0.1:${policy.port}` && host !== `localhost:${policy.port}`) {
    return `host ${host || "(none)"} is not this local chain's address`;
  }
  const origin = headers.origin;
  if (origin !== undefined && !policy.allowedOrigins.includes(origin)) return `origin ${origin} may not use this local chain`;
  return null;
}

/** True when the request carries the launcher's token. */
export function fromLauncher(headers: IncomingHttpHeaders, policy: RpcAccessPolicy): boolean {
  const given = Buffer.from(headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${policy.launcherToken}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** CORS headers for an allowed origin (none for a request without one: it is not from a browser). */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (origin === undefined) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": "content-type",
    "access-control-max-age": "600",
    vary: "Origin",
  };
}
