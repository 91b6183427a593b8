import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../chain/dev-accounts";
import { hardhatCommand, runsOwnTask } from "./command";

const CLI = path.join(REPO_ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
const NPX = path.join(REPO_ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
const hardhat = (...args: string[]) => [process.execPath, CLI, ...args];

describe("runsOwnTask: hardhat-ethers alone or the whole toolbox", () => {
  it("is true for our tasks, after any global options, run directly or through npx", () => {
    expect(runsOwnTask(hardhatCommand(hardhat("deploy"), CLI))).toBe(true);
    expect(runsOwnTask(hardhatCommand(hardhat("--network", "localhost", "anchor", "--file", "a.txt"), CLI))).toBe(true);
    expect(runsOwnTask(hardhatCommand(hardhat("--config", "hardhat.config.ts", "--show-stack-traces", "grant", "--records", "a"), NPX))).toBe(true);
    expect(runsOwnTask(hardhatCommand(hardhat("revoke", "--proof", "p.json"), CLI))).toBe(true);
    expect(runsOwnTask(hardhatCommand(hardhat("consent-status", "--id", "0x12"), CLI))).toBe(true);
  });

  it("is true for verify only with --file or --receipt: without them it is hardhat-verify's", () => {
    expect(runsOwnTask(hardhatCommand(hardhat("verify", "--file", "a.txt", "--receipt", "r.json"), CLI))).toBe(true);
    expect(runsOwnTask(hardhatCommand(hardhat("verify", "--receipt", "r.json"), CLI))).toBe(true);
    expect(runsOwnTask(hardhatCommand(hardhat("--network", "amoy", "verify", "0x0000000000000000000000000000000000000001"), CLI))).toBe(false);
  });

  it("is false for hardhat's and the plugins' tasks, scopes, no task, and arguments hardhat refuses", () => {
    for (const args of [["test"], ["compile"], ["coverage"], ["node"], ["ignition", "deploy", "m.ts"], ["help", "deploy"], [], ["--no-such-option", "deploy"]]) {
      expect(runsOwnTask(hardhatCommand(hardhat(...args), CLI)), args.join(" ")).toBe(false);
    }
  });

  it("is false when the process is not the hardhat CLI (a script or test that requires hardhat)", () => {
    expect(runsOwnTask(hardhatCommand(hardhat("deploy"), path.join(REPO_ROOT, "bench", "anchoring.ts")))).toBe(false);
    expect(runsOwnTask(hardhatCommand(hardhat("deploy"), undefined))).toBe(false);
  });
});
