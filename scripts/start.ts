// `npm start`: the local platform on embedded defaults. Today: a Hardhat node on 127.0.0.1 with the
// contracts deployed and deployments/localhost.json written. Later parts (Ceramic + IPFS node, agent,
// API, web app) join here. Ctrl-C stops everything this process started.
import { NonceManager, Wallet } from "ethers";
import { connectRpc } from "@openchart/sdk";
import { deployContracts, writeDeployment } from "./chain/deploy";
import { startHardhatNode } from "./chain/hardhatNode";

// Hardhat's first development account (public, funded only on local chains).
const LOCAL_DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

async function main(): Promise<void> {
  const port = Number(new URL(process.env.OPENCHART_LOCAL_RPC_URL ?? "http://127.0.0.1:8545").port || 8545);
  const chain = await startHardhatNode({ port }).catch((error: Error) => {
    throw new Error(`could not start the local chain on port ${port} (is another node running there?): ${error.message}`);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local chain (pid ${chain.pid})`);
    await chain.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  const provider = await connectRpc(chain.url);
  const deployment = await deployContracts(new NonceManager(new Wallet(LOCAL_DEPLOYER_KEY, provider)), "localhost");
  const file = writeDeployment(deployment);

  console.log("OpenChart local platform is up");
  console.log(`  chain            ${chain.url} (chain ${deployment.chainId}, hardhat node pid ${chain.pid})`);
  for (const [name, c] of Object.entries(deployment.contracts)) console.log(`  ${name.padEnd(16)} ${c.address}`);
  console.log(`  deployments      ${file}`);
  console.log("Press Ctrl-C to stop.");
}

main().catch((error: unknown) => {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
});
