import type { HardhatNetworkUserConfig } from "hardhat/types";

/**
 * The in-process network, shared by hardhat.config.ts and the bare node's config (node.config.ts).
 * The launcher replays a persisted chain onto a fresh node: its genesis must keep the first run's time.
 */
export function hardhatNetwork(): HardhatNetworkUserConfig {
  return {
    chainId: 31337,
    ...(process.env.OPENCHART_CHAIN_INITIAL_DATE ? { initialDate: process.env.OPENCHART_CHAIN_INITIAL_DATE } : {}),
  };
}
