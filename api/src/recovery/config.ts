import { configError } from "../errors.js";
import type { Env } from "../env.js";

export interface RecoveryConfig {
  /** How long after a recovery request guardians may approve it: the old wallet's time to cancel. */
  recoveryWaitMs: number;
}

/** The longest waiting period accepted: 30 days. */
const MAX_WAIT_HOURS = 720;

/** `API_RECOVERY_WAIT_HOURS`: default 72 (as Safe and Candide do); 0 (tests, demos) lets guardians approve at once. */
export function recoveryConfig(env: Env): RecoveryConfig {
  const raw = env.API_RECOVERY_WAIT_HOURS;
  if (raw === undefined || raw === "") return { recoveryWaitMs: 72 * 3_600_000 };
  const hours = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(hours >= 0 && hours <= MAX_WAIT_HOURS)) {
    throw configError(`API_RECOVERY_WAIT_HOURS must be a number of hours from 0 to ${MAX_WAIT_HOURS} (decimals allowed), got "${raw}"`);
  }
  return { recoveryWaitMs: Math.round(hours * 3_600_000) };
}
