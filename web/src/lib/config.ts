import { withoutTrailingSlash } from "@openchart/sdk";

/** Runtime settings, read from `config.json` next to index.html so one build serves any network. */
export interface WebConfig {
  rpcUrl: string;
  chainId: number;
  /** The OpenChart API (anchoring queue, consent relay, licenses, consults). */
  apiUrl: string;
  /** The audience the API expects in session-signed requests (its API_AUTH_AUDIENCE). */
  apiAudience: string;
  /** Ceramic node (ComposeDB) the record vault writes to. */
  ceramicUrl: string;
  /** Kubo RPC API of the IPFS node that stores the encrypted bytes. */
  ipfsUrl: string;
  contracts: { RecordRegistry?: string; ConsentRegistry?: string };
  /** How long a sign-in lasts (the did-session's lifetime, kept across reloads and tabs until then or sign-out). */
  sessionHours: number;
}

export const LOCAL_DEFAULTS: WebConfig = {
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 31337,
  apiUrl: "http://127.0.0.1:8787",
  apiAudience: "http://127.0.0.1:8787",
  ceramicUrl: "http://127.0.0.1:7007",
  ipfsUrl: "http://127.0.0.1:5001",
  contracts: {},
  sessionHours: 24,
};

function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value.length > 0 ? withoutTrailingSlash(value) : fallback;
}

/** Reads config.json; missing or malformed fields fall back to the local platform's defaults. */
export function parseConfig(json: Record<string, unknown>): WebConfig {
  const apiUrl = text(json.apiUrl, LOCAL_DEFAULTS.apiUrl);
  return {
    rpcUrl: text(json.rpcUrl, LOCAL_DEFAULTS.rpcUrl),
    chainId: typeof json.chainId === "number" ? json.chainId : LOCAL_DEFAULTS.chainId,
    apiUrl,
    // The API's default audience is its own URL.
    apiAudience: typeof json.apiAudience === "string" && json.apiAudience ? json.apiAudience : apiUrl,
    ceramicUrl: text(json.ceramicUrl, LOCAL_DEFAULTS.ceramicUrl),
    ipfsUrl: text(json.ipfsUrl, LOCAL_DEFAULTS.ipfsUrl),
    contracts: typeof json.contracts === "object" && json.contracts ? (json.contracts as WebConfig["contracts"]) : {},
    // At most 30 days: a stolen browser profile holds the session key until it expires.
    sessionHours:
      typeof json.sessionHours === "number" && json.sessionHours > 0 && json.sessionHours <= 720 ? json.sessionHours : LOCAL_DEFAULTS.sessionHours,
  };
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<WebConfig> {
  try {
    const response = await fetchImpl("config.json", { cache: "no-store" });
    if (!response.ok) return LOCAL_DEFAULTS;
    return parseConfig((await response.json()) as Record<string, unknown>);
  } catch {
    return LOCAL_DEFAULTS;
  }
}
