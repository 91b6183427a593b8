// The config `hardhat node` runs with (scripts/chain/hardhat-node.ts). A bare JSON-RPC node needs only the
// network: hardhat.config.ts also loads the toolbox's plugins and the tasks (and through them the sdk),
// about 1.8 s of CPU per node, and the tests start dozens of nodes. JavaScript, so that hardhat loads no
// ts-node (hardhat-network.cjs says why).
"use strict";
const { hardhatNetwork } = require("./hardhat-network.cjs");

/** @type {import("hardhat/types").HardhatUserConfig} */
module.exports = {
  networks: { hardhat: hardhatNetwork() },
  // Relative to this file: keep the repo's folders, so nothing is written under scripts/chain.
  paths: { root: "../..", cache: "cache", artifacts: "artifacts", sources: "contracts", tests: "contracts" },
};
