import { task } from "hardhat/config";
import { toAddress } from "@openchart/sdk";
import path from "node:path";
import { deployContracts, deploymentFile, liveDeployment, writeDeployment, type ContractName } from "../chain/deploy";
import { runTask, TaskError } from "./run";

task("deploy", "Deploys RecordRegistry and ConsentRegistry and writes deployments/<network>.json")
  .addOptionalParam("batcher", "the only account that may anchor batch roots (the API's anchoring key); default: the deployer")
  .addFlag("force", "deploy new contracts even if deployments/<network>.json names contracts still on the chain, and overwrite it")
  .setAction(
    runTask(async (args: { batcher?: string; force: boolean }, hre) => {
      // A running platform or API reads that file: overwriting it silently makes every receipt it issues fail.
      const live = await liveDeployment(hre.ethers.provider, hre.network.name);
      if (live && !args.force) {
        const contracts = Object.entries(live.contracts).map(([name, c]) => `${name} ${c.address}`).join(", ");
        throw new TaskError(
          `${path.relative(process.cwd(), deploymentFile(hre.network.name))} names contracts still deployed on chain ${live.chainId} (${contracts}); something may be using them: pass --force to deploy new ones and overwrite it`,
        );
      }
      const [deployer] = await hre.ethers.getSigners();
      if (!deployer) {
        throw new TaskError(`network "${hre.network.name}" has no account: set OPENCHART_DEPLOYER_KEY in .env`);
      }
      const deployment = await deployContracts(deployer, hre.network.name, {
        batcher: args.batcher === undefined ? undefined : toAddress(args.batcher, "--batcher"),
        readArtifact: (name: ContractName) => hre.artifacts.readArtifact(name),
      });
      const file = writeDeployment(deployment);
      for (const [name, c] of Object.entries(deployment.contracts)) {
        console.log(`${name.padEnd(16)} ${c.address} (block ${c.blockNumber})`);
      }
      console.log(`batcher          ${deployment.batcher}`);
      console.log(`chain ${deployment.chainId}; wrote ${file}`);
    }),
  );
