import type { Env } from "../env.js";
import { configError } from "../errors.js";

export interface MetricsConfig {
  /** Bearer token of `GET /metrics`; unset: the route is closed (403). */
  metricsToken: string | undefined;
}

/** `API_METRICS_TOKEN`: what a Prometheus scraper sends (`authorization: { credentials: ... }`). */
export function metricsConfig(env: Env): MetricsConfig {
  const token = env.API_METRICS_TOKEN;
  if (token === undefined || token === "") return { metricsToken: undefined };
  if (token.length < 16) throw configError("API_METRICS_TOKEN must be at least 16 characters");
  return { metricsToken: token };
}
