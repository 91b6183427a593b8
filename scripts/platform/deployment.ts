import fs from "node:fs";
import path from "node:path";
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import type { Deployment } from "@openchart/sdk";
import { deploymentText, readDeploymentFile, writeDeploymentFile } from "@openchart/sdk/deployment-file";
import { deployContracts, stillDeployed } from "../chain/deploy";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";

/**
 * The contracts of the local chain: the deployment kept in the data directory when its code is still on
 * the chain (a restart replayed it), else a fresh deployment by development account #0, which is also the
 * API's batcher. Either way it is written to `<deploymentsDir>/localhost.json` for the tasks, API and CLIs.
 */
export async function ensureDeployment(options: { rpcUrl: string; dataDir: string; deploymentsDir: string }): Promise<{ deployment: Deployment; reused: boolean }> {
  const kept = path.join(options.dataDir, "chain", "deployment.json");
  const provider = new JsonRpcProvider(options.rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1 });
  try {
    let deployment = fs.existsSync(kept) ? readDeploymentFile({ file: kept }) : undefined;
    if (deployment && !(await stillDeployed(provider, deployment))) deployment = undefined;
    const reused = deployment !== undefined;
    deployment ??= await deployContracts(new NonceManager(new Wallet(DEV_ACCOUNTS[0].key, provider)), "localhost");
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    fs.writeFileSync(kept, deploymentText(deployment));
    writeDeploymentFile(deployment, { dir: options.deploymentsDir });
    return { deployment, reused };
  } finally {
    provider.destroy();
  }
}
