import { randomBytes } from "node:crypto";
import { configError } from "../errors.js";
import { dids, int, list, type Env } from "../env.js";

export interface AuthConfig {
  /** Hosts of the web app whose did-session CACAOs sign in here. */
  authDomains: string[];
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

/** Sign-in and roles: `API_AUTH_*`, `API_ISSUER_DIDS`, `API_ADMIN_DIDS`, `API_SESSION_SECRET`, `API_TOKEN_TTL_SECONDS`, `API_ADMIN_TOKEN`. */
export function authConfig(env: Env): AuthConfig {
  const adminToken = env.API_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) throw configError("API_ADMIN_TOKEN must be at least 16 characters");
  return {
    authDomains: list(env, "API_AUTH_DOMAINS", "localhost,127.0.0.1"),
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
