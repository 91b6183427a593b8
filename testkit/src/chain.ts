// The local chain tests run against is the launcher's own: the same hardhat node, dev accounts and
// deploy script as `npm start`, so a test exercises what a developer runs. Production code, hence
// re-exported here rather than copied.
export { DEV_ACCOUNTS, REPO_ROOT } from "../../scripts/chain/dev-accounts.js";
export { deployContracts, writeDeployment } from "../../scripts/chain/deploy.js";
export { startHardhatNode, type RunningChain } from "../../scripts/chain/hardhat-node.js";
