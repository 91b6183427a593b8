import { int, type Env } from "../env.js";

export interface LicensesConfig {
  /** How long a license's status-list check is trusted (licensed sessions, `GET /doctors/:did`). */
  licenseRecheckSeconds: number;
  /** How often listed doctors' licenses are re-checked in the background, so a suspended one leaves the directory. */
  directoryRecheckSeconds: number;
  /** Searches of the public directory per client address and minute (in place of the global limit there). */
  directoryRateLimitPerMinute: number;
}

/** Licensing: `API_LICENSE_RECHECK_SECONDS`, `API_DIRECTORY_RECHECK_SECONDS`, `API_DIRECTORY_RATE_LIMIT_PER_MINUTE`. */
export function licensesConfig(env: Env): LicensesConfig {
  return {
    licenseRecheckSeconds: int(env, "API_LICENSE_RECHECK_SECONDS", 10, 0, 3_600),
    directoryRecheckSeconds: int(env, "API_DIRECTORY_RECHECK_SECONDS", 60, 1, 86_400),
    directoryRateLimitPerMinute: int(env, "API_DIRECTORY_RATE_LIMIT_PER_MINUTE", 120, 1, 100_000),
  };
}
