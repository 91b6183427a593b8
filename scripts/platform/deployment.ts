import fs from "node:fs";
import path from "node:path";
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import type { Deployment } from "@openchart/sdk";
import { deploymentText, readDeploymentFile, writeDeploymentFile } from "@openchart/sdk/deployment-file";
import { CONTRACT_NAMES, currentContracts, deployContracts } from "../chain/deploy";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";

/**
 * The contracts of the local chain: the deployment kept in the data directory when its code is still on
 * the chain (a restart replayed it), else a fresh deployment by development account #0, which is also the
 * API's batcher. A contract whose version is outdated (ConsentRegistry v1) is deployed anew and the others
 * kept, so receipts of anchored records stay valid. Either way it is written to
 * `<deploymentsDir>/localhost.json` for the tasks, API and CLIs.
 */
export async function ensureDeployment(options: { rpcUrl: string; dataDir: string; deploymentsDir: string }): Promise<{ deployment: Deployment; reused: boolean }> {
  const kept = path.join(options.dataDir, "chain", "deployment.json");
  const provider = new JsonRpcProvider(options.rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1 });
  try {
    const previous = fs.existsSync(kept) ? readDeploymentFile({ file: kept }) : undefined;
    const keep = previous ? await currentContracts(provider, previous) : {};
    const reused = Object.keys(keep).length === CONTRACT_NAMES.length;
    const deployment = reused ? previous! : await deployContracts(new NonceManager(new Wallet(DEV_ACCOUNTS[0].key, provider)), "localhost", { keep });
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    fs.writeFileSync(kept, deploymentText(deployment));
    writeDeploymentFile(deployment, { dir: options.deploymentsDir });
    return { deployment, reused };
  } finally {
    provider.destroy();
  }
}
