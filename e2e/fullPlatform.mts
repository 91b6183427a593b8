import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HDNodeWallet } from "ethers";
import type { Browser } from "playwright-core";
import { build } from "vite";
import type { Deployment } from "@openchart/sdk";
import { startApi, startTestChain, type ApiProcess, type TestChain } from "../api/test/stack.ts";
import { spawnLocalNode, type SpawnedNode } from "../composites/src/spawn.ts";
import { REPO_ROOT } from "../scripts/chain/devAccounts";
import { launchChromium } from "./browser";
import { serveAppAndApi, type AppServer } from "./proxyServer";

// Hardhat's public development mnemonic: accounts 0-2 are the API's batcher, the deployer and the relayer.
const MNEMONIC = "test test test test test test test test test test test junk";
const account = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
export const PATIENT_WALLET = account(4);
export const DOCTOR_WALLET = account(5);
export const ISSUER_WALLET = account(6);
export const didOf = (address: string, chainId = 31337) => `did:pkh:eip155:${chainId}:${address.toLowerCase()}`;

export interface FullPlatform {
  testChain: TestChain;
  deployment: Deployment;
  node: SpawnedNode;
  api: ApiProcess;
  /** The web app and the API, on one origin. */
  site: AppServer;
  browser: Browser;
  /** Every byte the platform stores (node, API): scanned after the story for plaintext. */
  dataDir: string;
  /** Temp files of the test itself (inputs, downloads). */
  work: string;
  stop(): Promise<void>;
}

/**
 * The whole local platform on fresh state: chain with contracts, Ceramic + IPFS node, the API, the built
 * web app (served with the API on one origin, which the node's CORS allows) and Chromium.
 */
export async function startFullPlatform(): Promise<FullPlatform> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-story-"));
  const dataDir = path.join(work, "data");
  const dist = path.join(work, "web");
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  };
  try {
    const built = build({ root: path.join(REPO_ROOT, "web"), logLevel: "warn", build: { outDir: dist, emptyOutDir: true } });
    const testChain = await startTestChain();
    stops.push(() => testChain.stop());
    await built;
    const site = await serveAppAndApi(dist);
    stops.push(() => site.close());
    const origin = site.url.replace(/\/$/, "");

    const previousCors = process.env.OPENCHART_NODE_CORS_ORIGINS;
    process.env.OPENCHART_NODE_CORS_ORIGINS = origin;
    const node = await spawnLocalNode({ dataDir: path.join(dataDir, "node"), ceramicPort: 0, ipfsPort: 0 }).finally(() => {
      if (previousCors === undefined) delete process.env.OPENCHART_NODE_CORS_ORIGINS;
      else process.env.OPENCHART_NODE_CORS_ORIGINS = previousCors;
    });
    stops.push(() => node.stop());

    const api = await startApi({
      OPENCHART_RPC_URL: testChain.chain.url,
      OPENCHART_DEPLOYMENTS_DIR: testChain.deploymentsDir,
      OPENCHART_DATA_DIR: path.join(dataDir, "api"),
      OPENCHART_CERAMIC_URL: node.endpoints.ceramic,
      OPENCHART_IPFS_URL: node.endpoints.ipfs,
      API_AUTH_DOMAINS: "127.0.0.1",
      API_AUTH_AUDIENCE: origin,
      API_ISSUER_DIDS: didOf(ISSUER_WALLET.address),
      AGENT_STATUS_BASE_URL: `${origin}/credentials/status`,
      ANCHOR_INTERVAL_MS: "300",
    });
    stops.push(() => api.stop());
    site.setApi(api.url);

    const deployment = testChain.deployment;
    fs.writeFileSync(
      path.join(dist, "config.json"),
      JSON.stringify({
        chainId: deployment.chainId,
        rpcUrl: testChain.chain.url,
        apiUrl: origin,
        apiAudience: origin,
        ceramicUrl: node.endpoints.ceramic,
        ipfsUrl: node.endpoints.ipfs,
        contracts: {
          RecordRegistry: deployment.contracts.RecordRegistry.address,
          ConsentRegistry: deployment.contracts.ConsentRegistry.address,
        },
      }),
    );
    const browser = await launchChromium();
    stops.push(() => browser.close());
    return { testChain, deployment, node, api, site, browser, dataDir, work, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
