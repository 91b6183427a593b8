import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Deployment } from "./deployment.js";
import { deploymentFileOf, deploymentsDirOf, readDeploymentFile, writeDeploymentFile } from "./deployment-file.js";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-deployment-file-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const contract = (n: string) => ({ address: `0x${n.repeat(40)}`, blockNumber: 1, txHash: `0x${n.repeat(64)}`, artifact: "artifacts/x.json" });
const deployment = {
  network: "amoy",
  chainId: 80002,
  deployedAt: "2026-01-01T00:00:00.000Z",
  batcher: `0x${"c".repeat(40)}`,
  contracts: { RecordRegistry: contract("a"), ConsentRegistry: contract("b") },
} as Deployment;

describe("the deployment file rule", () => {
  it("is OPENCHART_DEPLOYMENTS_DIR, else <root>/deployments, and <network>.json with OPENCHART_NETWORK or localhost", () => {
    expect(deploymentsDirOf({ root: "/repo", env: {} })).toBe(path.resolve("/repo", "deployments"));
    expect(deploymentsDirOf({ root: "/repo", env: { OPENCHART_DEPLOYMENTS_DIR: "elsewhere" } })).toBe(path.resolve("elsewhere"));
    expect(deploymentsDirOf({ dir: "mine", env: { OPENCHART_DEPLOYMENTS_DIR: "elsewhere" } })).toBe(path.resolve("mine"));
    expect(deploymentFileOf({ root: "/repo", env: {} })).toBe(path.resolve("/repo", "deployments", "localhost.json"));
    expect(deploymentFileOf({ root: "/repo", env: { OPENCHART_NETWORK: "amoy" } })).toBe(path.resolve("/repo", "deployments", "amoy.json"));
    expect(deploymentFileOf({ network: "polygon", root: "/repo", env: { OPENCHART_NETWORK: "amoy" } })).toBe(path.resolve("/repo", "deployments", "polygon.json"));
    expect(deploymentFileOf({ file: "d.json", network: "polygon" })).toBe(path.resolve("d.json"));
  });

  it("writes and reads a deployment, refusing a missing file, bad JSON and another chain", () => {
    const file = writeDeploymentFile(deployment, { dir: work });
    expect(file).toBe(path.join(work, "amoy.json"));
    expect(readDeploymentFile({ dir: work, network: "amoy", chainId: 80002 })).toEqual(deployment);
    expect(readDeploymentFile({ file })).toEqual(deployment);
    expect(() => readDeploymentFile({ dir: work, network: "amoy", chainId: 137 })).toThrow(/is for chain 80002, but network "amoy" is chain 137/);
    expect(() => readDeploymentFile({ dir: work, network: "polygon" })).toThrow(/no deployment for network "polygon": .* is missing; run `npx hardhat deploy --network polygon` first/);
    expect(() => readDeploymentFile({ file: path.join(work, "none.json") })).toThrow(/deployment file .*none.json does not exist/);
    fs.writeFileSync(path.join(work, "broken.json"), "{");
    expect(() => readDeploymentFile({ dir: work, network: "broken" })).toThrow(/is not readable JSON/);
  });
});
