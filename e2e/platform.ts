import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NonceManager, Wallet } from "ethers";
import type { Browser } from "playwright-core";
import { connectRpc, type Deployment } from "@openchart/sdk";
import { deployContracts, DEV_ACCOUNTS, startHardhatNode, type RunningChain } from "@openchart/testkit/chain";
import { leaseChromium } from "@openchart/testkit/chromium";
import { serveWebApp, type StaticSite } from "../scripts/platform/static-site";
import { buildWebApp } from "../scripts/platform/web-build";

export const PATIENT = DEV_ACCOUNTS[0];
export const DOCTOR = DEV_ACCOUNTS[1];

export interface TestPlatform {
  chain: RunningChain;
  deployment: Deployment;
  site: StaticSite;
  browser: Browser;
  /** A temp folder for the test's files; removed by stop(). */
  work: string;
  /** A NonceManager-wrapped wallet of the patient, for setting up chain state. */
  patientSigner(): Promise<NonceManager>;
  stop(): Promise<void>;
}

/** A Hardhat node with the contracts, the web app built and served on loopback, and Chromium. */
export async function startTestPlatform(): Promise<TestPlatform> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-e2e-"));
  const chain = await startHardhatNode();
  const provider = await connectRpc(chain.url);
  const deployer = new NonceManager(new Wallet(PATIENT.key, provider));
  const deployment = await deployContracts(deployer, "localhost");
  // The launcher's cached build: every browser test file (and a warm `npm start`) shares one Vite build.
  const { dir: dist } = await buildWebApp();
  const contracts = {
    RecordRegistry: deployment.contracts.RecordRegistry.address,
    ConsentRegistry: deployment.contracts.ConsentRegistry.address,
  };
  // The launcher's own server, so the tests see the app as `npm start` serves it.
  const site = await serveWebApp({ root: dist, port: 0, config: { rpcUrl: chain.url, chainId: deployment.chainId, contracts } });
  const chromium = await leaseChromium();
  const browser = chromium.browser;
  return {
    chain,
    deployment,
    site,
    browser,
    work,
    patientSigner: async () => deployer,
    async stop() {
      await chromium.release();
      await site.close();
      provider.destroy();
      await chain.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}
