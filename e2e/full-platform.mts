import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Deployment } from "@openchart/sdk";
import type { Browser } from "playwright-core";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { didPkhOf, LOCAL_ISSUER_WALLET, startPlatform, type Platform } from "../scripts/platform";
import { leaseChromium } from "@openchart/testkit/chromium";

// Hardhat development accounts the node holds unlocked (so the injected test wallets can sign through it);
// the platform makes #5 its issuer wallet; #3 and #4 are the ones `npm start -- --demo` seeds too.
export const PATIENT_WALLET = DEV_ACCOUNTS[3];
export const DOCTOR_WALLET = DEV_ACCOUNTS[4];
export const ISSUER_WALLET = LOCAL_ISSUER_WALLET;
export const didOf = didPkhOf;

export interface FullPlatform {
  platform: Platform;
  chainUrl: string;
  /** What the injected test wallets send so the chain lets the node sign for them. */
  chainHeaders: Record<string, string>;
  deployment: Deployment;
  /** The web app's URL (ends with /). */
  url: string;
  browser: Browser;
  /** Every byte the platform stores (chain journal, node, agent, API): scanned after the story for plaintext. */
  dataDir: string;
  /** Temp files of the test itself (inputs, downloads). */
  work: string;
  stop(): Promise<void>;
}

/** `npm start`'s platform (scripts/platform) on fresh state and free ports (`--demo`'s seed with `demo`), plus Chromium. */
export async function startFullPlatform(options: { demo?: boolean; fakeMedia?: boolean } = {}): Promise<FullPlatform> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-story-"));
  const dataDir = path.join(work, "data");
  let platform: Platform | undefined;
  const stop = async () => {
    await platform?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  };
  try {
    platform = await startPlatform({
      dataDir,
      deploymentsDir: path.join(work, "deployments"),
      ports: { chain: 0, ceramic: 0, ipfs: 0, api: 0, web: 0 },
      ...(options.demo ? { demo: true } : {}),
    });
    const chromium = await leaseChromium({ fakeMedia: options.fakeMedia ?? false });
    const browser = chromium.browser;
    const started = platform;
    return {
      platform: started,
      chainUrl: started.endpoints.chain,
      chainHeaders: started.chainLauncherHeaders,
      deployment: started.deployment,
      url: started.url,
      browser,
      dataDir,
      work,
      async stop() {
        await chromium.release();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
