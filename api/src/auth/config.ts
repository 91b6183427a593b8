import { randomBytes } from "node:crypto";
import { configError } from "../errors.js";
import { dids, int, list, type Env } from "../env.js";

export interface AuthConfig {
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
  /** The operator's bearer token (`GET /audit` for any subject); unset: that way in is closed. */
  adminToken: string | undefined;
}

/** Sign-in and roles: `API_AUTH_*`, `API_SESSION_MAX_DAYS`, `API_ISSUER_DIDS`, `API_ADMIN_DIDS`, `API_SESSION_SECRET`, `API_TOKEN_TTL_SECONDS`, `API_ADMIN_TOKEN`. */
export function authConfig(env: Env): AuthConfig {
  const adminToken = env.API_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) throw configError("API_ADMIN_TOKEN must be at least 16 characters");
  return {
    authDomains: authDomains(env, "API_AUTH_DOMAINS"),
    sessionMaxSeconds: int(env, "API_SESSION_MAX_DAYS", 7, 1, 365) * 86_400,
    authAudience: env.API_AUTH_AUDIENCE || env.OPENCHART_API_URL || "http://127.0.0.1:8787",
    issuerDids: dids(env, "API_ISSUER_DIDS"),
    adminDids: dids(env, "API_ADMIN_DIDS"),
    sessionSecret: sessionSecret(env.API_SESSION_SECRET),
    tokenTtlSeconds: int(env, "API_TOKEN_TTL_SECONDS", 300, 10, 86_400),
    adminToken,
  };
}

function sessionSecret(value: string | undefined): Uint8Array {
  if (!value) return randomBytes(32);
  if (!/^(0x)?[0-9a-fA-F]{64,}$/.test(value)) throw configError("API_SESSION_SECRET must be at least 32 bytes of hex (64 hex digits)");
  return Uint8Array.from(Buffer.from(value.replace(/^0x/, ""), "hex"));
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
