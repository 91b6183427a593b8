// The in-process network, shared by hardhat.config.ts and the bare node's config (node.config.cjs).
// Plain JavaScript, as node.config.cjs is: a JavaScript config starts `hardhat node` without ts-node, whose
// TypeScript loading was ~0.25 s of CPU at each of the dozens of nodes the tests start.
// The launcher replays a persisted chain onto a fresh node: its genesis must keep the first run's time.
// OPENCHART_DRY_RUN_CHAIN_ID: a local node that poses as Amoy (80002) or Polygon (137), so that
// `hardhat deploy --network amoy` and the API run their real paths against it (api/src/anchoring/amoy-dry-run.test.ts).
// OPENCHART_CHAIN_ACCOUNTS: how many of the mnemonic's accounts the node holds unlocked (Hardhat's 20 unless set):
// the browser tests that share one platform give every test file accounts of its own (e2e/platform-broker.global-setup.ts).
"use strict";

/** @returns {import("hardhat/types").HardhatNetworkUserConfig} */
function hardhatNetwork() {
  return {
    chainId: process.env.OPENCHART_DRY_RUN_CHAIN_ID ? Number(process.env.OPENCHART_DRY_RUN_CHAIN_ID) : 31337,
    ...(process.env.OPENCHART_CHAIN_INITIAL_DATE ? { initialDate: process.env.OPENCHART_CHAIN_INITIAL_DATE } : {}),
    ...(process.env.OPENCHART_CHAIN_ACCOUNTS ? { accounts: { count: Number(process.env.OPENCHART_CHAIN_ACCOUNTS) } } : {}),
  };
}

module.exports = { hardhatNetwork };
