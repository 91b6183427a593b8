/** Runtime settings, read from `config.json` next to index.html so one build serves any network. */
export interface WebConfig {
  rpcUrl: string;
  chainId: number;
  contracts: { RecordRegistry?: string; ConsentRegistry?: string };
}

export const LOCAL_DEFAULTS: WebConfig = { rpcUrl: "http://127.0.0.1:8545", chainId: 31337, contracts: {} };

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<WebConfig> {
  try {
    const response = await fetchImpl("config.json", { cache: "no-store" });
    if (!response.ok) return LOCAL_DEFAULTS;
    const json = (await response.json()) as Partial<WebConfig>;
    return {
      rpcUrl: typeof json.rpcUrl === "string" ? json.rpcUrl : LOCAL_DEFAULTS.rpcUrl,
      chainId: typeof json.chainId === "number" ? json.chainId : LOCAL_DEFAULTS.chainId,
      contracts: typeof json.contracts === "object" && json.contracts ? json.contracts : {},
    };
  } catch {
    return LOCAL_DEFAULTS;
  }
}
