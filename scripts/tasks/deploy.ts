import { task } from "hardhat/config";
import { toAddress } from "@openchart/sdk";
import { deployContracts, writeDeployment, type ContractName } from "../chain/deploy";
import { runTask, TaskError } from "./run";

task("deploy", "Deploys RecordRegistry and ConsentRegistry and writes deployments/<network>.json")
  .addOptionalParam("batcher", "the only account that may anchor batch roots (the API's anchoring key); default: the deployer")
  .setAction(
    runTask(async (args: { batcher?: string }, hre) => {
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
