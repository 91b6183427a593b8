import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import type { HardhatNetworkUserConfig } from "hardhat/types";
// Types only (the config fields its plugins add: typechain, gasReporter); which plugins load is decided below.
import type {} from "@nomicfoundation/hardhat-toolbox";
import { DEV_KEYS } from "./scripts/chain/dev-accounts";
import { hardhatCommand, runsOwnTask } from "./scripts/tasks/command";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { hardhatNetwork } = require("./scripts/chain/hardhat-network.cjs") as { hardhatNetwork(): HardhatNetworkUserConfig };

const SOLC_VERSION = "0.8.30";

const command = hardhatCommand();
const task = command?.task;
// `hardhat compile` needs neither our tasks nor the sdk: `npm run build` compiles the contracts while tsc builds
// the sdk, on the other core.
const compileOnly = task === "compile";

// The tasks and the contract tests use the built sdk: right after `npm ci` (no sdk/dist yet) build it
// here, so `npx hardhat test` works as the first command (--force: tsc -b trusts a stale tsbuildinfo).
if (!compileOnly && !fs.existsSync(path.join(__dirname, "sdk", "dist", "index.js"))) {
  console.warn("hardhat: sdk/dist is missing, building the sdk first (tsc -b sdk)");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", "--force", path.join(__dirname, "sdk")], { stdio: "inherit" });
}
// Our tasks use hre.ethers and nothing else of the toolbox, whose other plugins (ignition, typechain, gas
// reporter, coverage, chai matchers, verify) cost ~0.5 s of CPU at every start: a task is a process per
// command, and the tests run dozens. Loaded before the tasks: `verify` extends hardhat-verify's task.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(runsOwnTask(command) ? "@nomicfoundation/hardhat-ethers" : "@nomicfoundation/hardhat-toolbox");
// eslint-disable-next-line @typescript-eslint/no-require-imports
if (!compileOnly) require("./scripts/tasks");

if (fs.existsSync(path.join(__dirname, ".env"))) process.loadEnvFile(path.join(__dirname, ".env"));

// The Solidity binaries site is unreachable here: compile with the pinned solcjs from npm instead.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version().replace(/\.Emscripten.*$/, ""),
  };
});

const remoteAccounts = process.env.OPENCHART_DEPLOYER_KEY ? [process.env.OPENCHART_DEPLOYER_KEY] : [];
const remoteUrl = process.env.OPENCHART_RPC_URL ?? "http://127.0.0.1:8545";

// `hardhat coverage` compiles instrumented contracts. They go to a folder of their own, and no typings are
// written, so that `npm test` can measure coverage beside the tests that deploy (and typecheck) the real build.
const coverage = task === "coverage";

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: { optimizer: { enabled: true, runs: 1_000_000 }, viaIR: true, evmVersion: "cancun" },
  },
  paths: { sources: "contracts", tests: "contracts", ...(coverage ? { cache: "cache/coverage", artifacts: "cache/coverage/artifacts" } : {}) },
  networks: {
    hardhat: hardhatNetwork(),
    // The keys of hardhat's development mnemonic (the node's own 20 accounts), signed here: the platform's chain
    // keeps the node's unlocked accounts to its launcher, so the tasks send raw transactions like any wallet.
    localhost: {
      url: process.env.OPENCHART_LOCAL_RPC_URL ?? "http://127.0.0.1:8545",
      chainId: 31337,
      accounts: [...DEV_KEYS],
    },
    amoy: { url: remoteUrl, chainId: 80002, accounts: remoteAccounts },
    polygon: { url: remoteUrl, chainId: 137, accounts: remoteAccounts },
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6", dontOverrideCompile: coverage },
  gasReporter: { enabled: process.env.REPORT_GAS === "true", offline: true },
  mocha: { timeout: 120_000 },
};

export default config;
