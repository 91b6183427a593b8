import type { HardhatUserConfig } from "hardhat/config";
import { hardhatNetwork } from "./hardhat-network";

// The config `hardhat node` runs with (scripts/chain/hardhat-node.ts). A bare JSON-RPC node needs only the
// network: hardhat.config.ts also loads the toolbox's plugins and the tasks (and through them the sdk),
// about 1.8 s of CPU per node, and the tests start dozens of nodes.
const config: HardhatUserConfig = {
  networks: { hardhat: hardhatNetwork() },
  // Relative to this file: keep the repo's folders, so nothing is written under scripts/chain.
  paths: { root: "../..", cache: "cache", artifacts: "artifacts", sources: "contracts", tests: "contracts" },
};

export default config;
