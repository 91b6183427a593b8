import { int, type Env } from "../env.js";

export interface LicensesConfig {
  /** How long a license's status-list check is trusted (licensed sessions, `GET /doctors/:did`). */
  licenseRecheckSeconds: number;
}

/** Licensing: `API_LICENSE_RECHECK_SECONDS`. */
export function licensesConfig(env: Env): LicensesConfig {
  return { licenseRecheckSeconds: int(env, "API_LICENSE_RECHECK_SECONDS", 10, 0, 3_600) };
}
