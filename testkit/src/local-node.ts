// The Ceramic + IPFS node for tests, started the one way `npm start` starts it (composites' spawnLocalNode, by
// the platform's loader): a workspace that may not depend on composites (the sdk) gets it from here.
export { startLocalNode, type RunningNode } from "../../scripts/platform/local-node.js";
