import { configError } from "../errors.js";
import { int, list, url, type Env } from "../env.js";

/** A remote pinning service that speaks the IPFS Pinning Service API. */
export interface PinningService {
  /** The API root: `POST {url}/pins` and so on. */
  url: string;
  /** Sent as `Authorization: Bearer ...`; a secret of the operator's account, never logged or sent to a browser. */
  token: string;
}

export interface PinningConfig {
  /** Undefined: remote pinning is off (the default); `POST /pins` answers `off` and stores nothing. */
  service: PinningService | undefined;
  /** Multiaddrs of the node that holds the ciphertexts, sent as `origins` so the service fetches from it at once. */
  origins: string[];
  /** Failed requests (errors, or the service's `failed`) before a pin is given up as failed. */
  maxAttempts: number;
  /** The first retry waits this long, each next one twice as long (with up to 25% jitter)... */
  retryBaseMs: number;
  /** ...but never longer than this. */
  retryMaxMs: number;
  /** How often a queued or pinning request's status is asked of the service. */
  statusPollMs: number;
  /** How often the pinner looks for due work. */
  pollMs: number;
  /** The longest wait for one answer of the service. */
  timeoutMs: number;
  /** New pin requests one caller (DID) may make in any 24 hours. */
  requestsPerDidPerDay: number;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Remote pinning: `PIN_*`; off unless PIN_SERVICE_URL is set. */
export function pinningConfig(env: Env): PinningConfig {
  const serviceUrl = url(env, "PIN_SERVICE_URL");
  const token = env.PIN_SERVICE_TOKEN?.trim() || undefined;
  if (serviceUrl !== undefined) {
    if (token === undefined) throw configError("PIN_SERVICE_TOKEN must be set (the service's access token) when PIN_SERVICE_URL is set");
    // The token is a bearer secret: over plain HTTP anyone on the path could use the account.
    const parsed = new URL(serviceUrl);
    if (parsed.protocol === "http:" && !LOOPBACK.has(parsed.hostname)) {
      throw configError(`PIN_SERVICE_URL must be https:// (plain http only on loopback): the bearer token would travel in clear to ${parsed.host}`);
    }
  }
  const origins = list(env, "PIN_ORIGINS");
  const bad = origins.find((origin) => !/^\/(ip4|ip6|dns|dns4|dns6)\/[^/]+\/(tcp|udp)\/\d+(\/[a-z0-9-]+)*\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/.test(origin));
  if (bad !== undefined) throw configError(`PIN_ORIGINS must be comma-separated multiaddrs ending with /p2p/<peer id>, got "${bad}"`);
  if (origins.length > 20) throw configError("PIN_ORIGINS may list at most 20 multiaddrs (the spec's limit)");
  return {
    service: serviceUrl === undefined ? undefined : { url: serviceUrl, token: token! },
    origins,
    maxAttempts: int(env, "PIN_MAX_ATTEMPTS", 8, 1, 100),
    retryBaseMs: int(env, "PIN_RETRY_BASE_MS", 2_000, 10, 3_600_000),
    retryMaxMs: int(env, "PIN_RETRY_MAX_MS", 600_000, 10, 86_400_000),
    statusPollMs: int(env, "PIN_STATUS_POLL_MS", 10_000, 10, 3_600_000),
    pollMs: int(env, "PIN_POLL_MS", 1_000, 10, 60_000),
    timeoutMs: int(env, "PIN_TIMEOUT_MS", 15_000, 100, 300_000),
    requestsPerDidPerDay: int(env, "PIN_REQUESTS_PER_DID_PER_DAY", 1_000, 1, 10_000_000),
  };
}
