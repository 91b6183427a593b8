import { addresses, int, origins, type Env } from "../env.js";
import { configError } from "../errors.js";

export interface HardeningConfig {
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
  idempotencyTtlHours: number;
  /** Requests per minute per signed-in caller (DID), whatever address they come from. */
  rateLimitPerDidPerMinute: number;
  /** The salt of the address tags in audit entries about unverified callers; unset: random per process. */
  auditIpSalt: string | undefined;
}

/** The HTTP hardening plugins (CORS, rate limit, proxies, body limit, idempotency): `API_CORS_ORIGINS` and the like. */
export function hardeningConfig(env: Env): HardeningConfig {
  return {
    corsOrigins: origins(env, "API_CORS_ORIGINS", "http://127.0.0.1:5173,http://localhost:5173"),
    rateLimitPerMinute: int(env, "API_RATE_LIMIT_PER_MINUTE", 1_200, 1, 10_000_000),
    rateLimitAllow: addresses(env, "API_RATE_LIMIT_ALLOW"),
    trustProxy: addresses(env, "API_TRUST_PROXY", true),
    bodyLimitBytes: int(env, "API_BODY_LIMIT_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
    idempotencyTtlHours: int(env, "API_IDEMPOTENCY_TTL_HOURS", 24, 1, 24 * 30),
    rateLimitPerDidPerMinute: int(env, "API_RATE_LIMIT_PER_DID_PER_MINUTE", 600, 1, 10_000_000),
    auditIpSalt: auditIpSalt(env),
  };
}

function auditIpSalt(env: Env): string | undefined {
  const salt = env.API_AUDIT_IP_SALT;
  if (salt === undefined || salt === "") return undefined;
  if (salt.length < 16) throw configError("API_AUDIT_IP_SALT must be at least 16 characters");
  return salt;
}
