import { PlatformError } from "./ports";

/**
 * How long the web app keeps a sign-in (`OPENCHART_SESSION_HOURS`, default 24): 1 to 168 hours, since the
 * API accepts no session longer than `API_SESSION_MAX_DAYS` (default 7 days).
 */
export function sessionHoursOf(value: string | undefined): number {
  if (value === undefined || value === "") return 24;
  const hours = Number(value);
  if (!Number.isInteger(hours) || hours < 1 || hours > 168) throw new PlatformError(`OPENCHART_SESSION_HOURS must be a whole number of hours from 1 to 168, got "${value}"`);
  return hours;
}
