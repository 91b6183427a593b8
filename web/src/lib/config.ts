/** Runtime settings, read from `config.json` next to index.html so one build serves any network. */
export interface WebConfig {
  rpcUrl: string;
  chainId: number;
  /** The OpenChart API (anchoring, consent relay, licenses). */
  apiUrl: string;
  /** The audience the API expects in session-signed requests. */
  apiAudience: string;
  ceramicUrl: string;
  /** Kubo RPC API of the IPFS node. */
  ipfsUrl: string;
  contracts: { RecordRegistry?: string; ConsentRegistry?: string };
  /** Set by `npm start -- --demo`: the demo accounts' DIDs and what was seeded (never keys). */
  demo?: { patient: string; doctor: string; records: string[]; consentId?: string };
}

export const LOCAL_DEFAULTS: WebConfig = {
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 31337,
  apiUrl: "http://127.0.0.1:8787",
  apiAudience: "http://127.0.0.1:8787",
  ceramicUrl: "http://127.0.0.1:7007",
  ipfsUrl: "http://127.0.0.1:5001",
  contracts: {},
};

const text = (value: unknown, fallback: string): string => (typeof value === "string" && value !== "" ? value : fallback);

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<WebConfig> {
  try {
    const response = await fetchImpl("config.json", { cache: "no-store" });
    if (!response.ok) return LOCAL_DEFAULTS;
    const json = (await response.json()) as Partial<Record<keyof WebConfig, unknown>>;
    const apiUrl = text(json.apiUrl, LOCAL_DEFAULTS.apiUrl);
    return {
      rpcUrl: text(json.rpcUrl, LOCAL_DEFAULTS.rpcUrl),
      chainId: typeof json.chainId === "number" ? json.chainId : LOCAL_DEFAULTS.chainId,
      apiUrl,
      // The API's own URL is its audience unless the deployment names another.
      apiAudience: text(json.apiAudience, apiUrl),
      ceramicUrl: text(json.ceramicUrl, LOCAL_DEFAULTS.ceramicUrl),
      ipfsUrl: text(json.ipfsUrl, LOCAL_DEFAULTS.ipfsUrl),
      contracts: typeof json.contracts === "object" && json.contracts ? (json.contracts as WebConfig["contracts"]) : {},
      ...(typeof json.demo === "object" && json.demo ? { demo: json.demo as WebConfig["demo"] } : {}),
    };
  } catch {
    return LOCAL_DEFAULTS;
  }
}
