import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { deployContracts, writeDeployment, type ContractName } from "../chain/deploy";
import { runTask, TaskError } from "./run";

task("deploy", "Deploys RecordRegistry and ConsentRegistry and writes deployments/<network>.json").setAction(
  runTask(async (_args: object, hre: HardhatRuntimeEnvironment) => {
    const [deployer] = await hre.ethers.getSigners();
    if (!deployer) {
      throw new TaskError(`network "${hre.network.name}" has no account: set OPENCHART_DEPLOYER_KEY in .env`);
    }
    const deployment = await deployContracts(deployer, hre.network.name, (name: ContractName) =>
      hre.artifacts.readArtifact(name),
    );
    const file = writeDeployment(deployment);
    for (const [name, c] of Object.entries(deployment.contracts)) {
      console.log(`${name.padEnd(16)} ${c.address} (block ${c.blockNumber})`);
    }
    console.log(`chain ${deployment.chainId}; wrote ${file}`);
  }),
);
