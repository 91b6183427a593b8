import { task } from "hardhat/config";
import { feesWithin, gweiToWei, minPriorityFeeGweiOf, networkFees, toAddress } from "@openchart/sdk/onchain";
import path from "node:path";
import { deployContracts, deploymentFile, liveDeployment, writeDeployment, type ContractName } from "../chain/deploy";
import { runTask, TaskError } from "./run";

task("deploy", "Deploys RecordRegistry and ConsentRegistry and writes deployments/<network>.json")
  .addOptionalParam("batcher", "the only account that may anchor batch roots (the API's anchoring key); default: the deployer")
  .addFlag("force", "deploy new contracts even if deployments/<network>.json names contracts still on the chain, and overwrite it")
  .addOptionalParam("priorityFeeGwei", "the least tip offered per gas, in gwei; default: the chain's minimum (Polygon and Amoy: 25), else the node's suggestion")
  .addOptionalParam("maxFeeGwei", "the most paid per gas, in gwei", "1000")
  .addOptionalParam("confirmations", "blocks each deploying transaction must be under before deployments/<network>.json is written", "1")
  .setAction(
    runTask(async (args: { batcher?: string; force: boolean; priorityFeeGwei?: string; maxFeeGwei: string; confirmations: string }, hre) => {
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
      const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
      const minimum = minPriorityFeeGweiOf(chainId);
      const priorityGwei = args.priorityFeeGwei === undefined ? minimum : wholeNumber(args.priorityFeeGwei, "--priority-fee-gwei");
      const maxGwei = wholeNumber(args.maxFeeGwei, "--max-fee-gwei");
      if (priorityGwei < minimum) throw new TaskError(`--priority-fee-gwei ${priorityGwei} is below chain ${chainId}'s minimum tip of ${minimum} gwei: its nodes refuse such transactions`);
      if (maxGwei < priorityGwei) throw new TaskError(`--max-fee-gwei ${maxGwei} is below the tip of ${priorityGwei} gwei`);
      const confirmations = wholeNumber(args.confirmations, "--confirmations");
      if (confirmations < 1) throw new TaskError("--confirmations must be at least 1");
      // The same policy as the API's batcher: the node's suggestion, the tip raised to the floor, capped.
      const fees = feesWithin(networkFees(await hre.ethers.provider.getFeeData()), {
        minPriorityFeePerGas: gweiToWei(priorityGwei),
        maxFeePerGas: gweiToWei(maxGwei),
      });
      console.log(`fees: tip ${formatGwei(fees.maxPriorityFeePerGas)} gwei, at most ${formatGwei(fees.maxFeePerGas)} gwei per gas; waiting for ${confirmations} confirmation(s)`);
      const deployment = await deployContracts(deployer, hre.network.name, {
        batcher: args.batcher === undefined ? undefined : toAddress(args.batcher, "--batcher"),
        readArtifact: (name: ContractName) => hre.artifacts.readArtifact(name),
        fees,
        confirmations,
      });
      const file = writeDeployment(deployment);
      for (const [name, c] of Object.entries(deployment.contracts)) {
        console.log(`${name.padEnd(16)} ${c.address} (block ${c.blockNumber})`);
      }
      console.log(`batcher          ${deployment.batcher}`);
      console.log(`chain ${deployment.chainId}; wrote ${file}`);
    }),
  );

function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new TaskError(`${flag} must be a whole number, got "${value}"`);
  return n;
}

const formatGwei = (wei: bigint): string => (Number(wei) / 1e9).toString();
