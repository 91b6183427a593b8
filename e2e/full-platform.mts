import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Deployment } from "@openchart/sdk";
import type { Browser } from "playwright-core";
import { inject } from "vitest";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { didPkhOf, LOCAL_ISSUER_WALLET, startPlatform, type Platform, type PlatformEndpoints } from "../scripts/platform";
import { leaseChromium } from "@openchart/testkit/chromium";

// Hardhat development accounts the node holds unlocked (so the injected test wallets can sign through it);
// the platform makes #5 its issuer wallet; #3 and #4 are the ones `npm start -- --demo` seeds too.
// Files on a dedicated platform (startFullPlatform) use these; files on a shared one use their lease's accounts.
export const PATIENT_WALLET = DEV_ACCOUNTS[3];
export const DOCTOR_WALLET = DEV_ACCOUNTS[4];
export const ISSUER_WALLET = LOCAL_ISSUER_WALLET;
export const didOf = didPkhOf;

export interface DevAccount {
  key: string;
  address: string;
}

/** What the broker (platform-broker.global-setup.ts) answers: the pool's platform, and accounts no other file got. */
export interface SharedPlatformLease {
  chainUrl: string;
  chainHeaders: Record<string, string>;
  deployment: Deployment;
  url: string;
  endpoints: PlatformEndpoints;
  dataDir: string;
  accounts: DevAccount[];
}

export interface FullPlatform {
  endpoints: PlatformEndpoints;
  chainUrl: string;
  /** What the injected test wallets send so the chain lets the node sign for them. */
  chainHeaders: Record<string, string>;
  deployment: Deployment;
  /** The web app's URL (ends with /). */
  url: string;
  browser: Browser;
  /**
   * Every byte the platform stores (chain journal, node, agent, API): scanned after the story for plaintext.
   * On a shared platform it holds the other files' data too.
   */
  dataDir: string;
  /** Temp files of the test itself (inputs, downloads). */
  work: string;
  /** Unlocked, funded accounts only this file uses (shared platforms; none on a dedicated one). */
  accounts: DevAccount[];
  /** Closes this file's browser contexts and its temp files; a dedicated platform stops, a shared one runs on. */
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
    const started = platform;
    return {
      endpoints: started.endpoints,
      chainUrl: started.endpoints.chain,
      chainHeaders: started.chainLauncherHeaders,
      deployment: started.deployment,
      url: started.url,
      browser: chromium.browser,
      dataDir,
      work,
      accounts: [],
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

/**
 * The worker's shared platform (started by the broker on the worker's first lease), with `accounts` fresh
 * accounts for this file: its data sits beside the other files' of the same worker, so the file must look
 * for its own rows only. The issuer wallet (#5) is the platform's and shared.
 */
export async function sharedPlatform(options: { accounts: number; fakeMedia?: boolean }): Promise<FullPlatform> {
  const response = await fetch(`${inject("platformBroker")}/lease`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pool: process.env.VITEST_POOL_ID ?? "1", accounts: options.accounts }),
  });
  const answer = (await response.json()) as SharedPlatformLease & { error?: string };
  if (!response.ok) throw new Error(`platform broker: ${answer.error ?? response.status}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-story-"));
  try {
    const chromium = await leaseChromium({ fakeMedia: options.fakeMedia ?? false });
    return {
      endpoints: answer.endpoints,
      chainUrl: answer.chainUrl,
      chainHeaders: answer.chainHeaders,
      deployment: answer.deployment,
      url: answer.url,
      browser: chromium.browser,
      dataDir: answer.dataDir,
      work,
      accounts: answer.accounts,
      async stop() {
        await chromium.release();
        fs.rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(work, { recursive: true, force: true });
    throw error;
  }
}
