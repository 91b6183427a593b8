// `npm start`: the local platform on embedded defaults. Today: a Hardhat node on 127.0.0.1 with the
// contracts deployed and deployments/localhost.json written, and the local Ceramic + IPFS node with
// OpenChart's models (state under OPENCHART_DATA_DIR). Later parts (agent, API, web app) join here.
// Ctrl-C stops everything this process started.
import path from "node:path";
import { NonceManager, Wallet } from "ethers";
import { connectRpc } from "@openchart/sdk";
import { deployContracts, writeDeployment } from "./chain/deploy";
import { DEV_ACCOUNTS } from "./chain/devAccounts";
import { startHardhatNode } from "./chain/hardhatNode";

// The node launcher is ESM (import.meta) and this script is type-checked as CommonJS: load its build by a path the
// checker does not follow, with its shape declared here.
const NODE_SPAWNER: string = "../composites/dist/spawn.js";
interface LocalNode {
  endpoints: { ceramic: string; ipfs: string };
  pid: number;
  stop(): Promise<number | null>;
}
const nodeSpawner = (): Promise<{ spawnLocalNode(options: { dataDir: string }): Promise<LocalNode> }> => import(NODE_SPAWNER);

async function main(): Promise<void> {
  const port = Number(new URL(process.env.OPENCHART_LOCAL_RPC_URL ?? "http://127.0.0.1:8545").port || 8545);
  const chain = await startHardhatNode({ port }).catch((error: Error) => {
    throw new Error(`could not start the local chain on port ${port} (is another node running there?): ${error.message}`);
  });
  const dataDir = path.resolve(process.env.OPENCHART_DATA_DIR ?? ".data");
  // Set once the node is up; a signal during its start stops the chain alone.
  const started: { node?: LocalNode } = {};
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local chain (pid ${chain.pid})${started.node ? ` and the Ceramic + IPFS node (pid ${started.node.pid})` : ""}`);
    await Promise.all([chain.stop(), started.node?.stop()]);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  const node = await (await nodeSpawner()).spawnLocalNode({ dataDir }).catch(async (error: Error) => {
    await chain.stop();
    throw new Error(`could not start the local Ceramic + IPFS node (are ports 7007/5001 taken? OPENCHART_CERAMIC_PORT and OPENCHART_IPFS_PORT move them): ${error.message}`);
  });
  started.node = node;

  const provider = await connectRpc(chain.url);
  const deployment = await deployContracts(new NonceManager(new Wallet(DEV_ACCOUNTS[0].key, provider)), "localhost");
  const file = writeDeployment(deployment);

  console.log("OpenChart local platform is up");
  console.log(`  chain            ${chain.url} (chain ${deployment.chainId}, hardhat node pid ${chain.pid})`);
  for (const [name, c] of Object.entries(deployment.contracts)) console.log(`  ${name.padEnd(16)} ${c.address}`);
  console.log(`  deployments      ${file}`);
  console.log(`  Ceramic          ${node.endpoints.ceramic} (ComposeDB, OpenChart models loaded)`);
  console.log(`  IPFS (Kubo RPC)  ${node.endpoints.ipfs}`);
  console.log(`  state            ${dataDir}`);
  console.log("Press Ctrl-C to stop.");
}

main().catch((error: unknown) => {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
});
