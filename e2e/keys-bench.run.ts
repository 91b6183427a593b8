// The key and session figures for `npm run bench:keys`, in Chromium on a fresh local platform with a zero
// recovery waiting period (API_RECOVERY_WAIT_HOURS=0), each person in their own browser profile:
// - unlockKnownDeviceMs: a known device's reload until its records are listed (no wallet prompt), median of 5;
// - signInNewDeviceMs: a new browser profile from opening the page, through connect and sign-in (2 prompts,
//   signed at once by the test wallet), until the records are listed, median of 3;
// - recoveryEndToEndSeconds: from the new wallet's "Ask to recover it" through two guardians approving in
//   their browsers and the completion (1 prompt) until the old records are listed in the new wallet's
//   patient view, median of 3 (a chain of recoveries: #3 -> #8 -> #9 -> #10);
// - the same run's baselines in the page: an API /healthz round trip and SHA-256 of 1 MB (WebCrypto), medians of 20.
// Runs under vitest (which loads the repository's mixed CommonJS/ESM helpers), only when bench/keys.mts asks
// for it through OPENCHART_BENCH_KEYS_OUT.
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { startFullPlatform, type FullPlatform } from "./full-platform.mts";
import { approveWhenReady, askRecovery, completeRecovery, nameGuardians } from "./recovery-steps";
import { newDevice, recordsListed, signInAt, walletTab } from "./wallet-pages";

const OUT = process.env.OPENCHART_BENCH_KEYS_OUT;
const TITLE = "Bench record";
const OWNERS = [DEV_ACCOUNTS[3], DEV_ACCOUNTS[8], DEV_ACCOUNTS[9]];
const HEIRS = [DEV_ACCOUNTS[8], DEV_ACCOUNTS[9], DEV_ACCOUNTS[10]];
const GUARDIANS = [DEV_ACCOUNTS[4], DEV_ACCOUNTS[6], DEV_ACCOUNTS[7]];

let platform: FullPlatform;
let waitBefore: string | undefined;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const tab = async (address: string, name: string) => walletTab(platform, await newDevice(platform, contexts), address, name, errors);

beforeAll(async () => {
  waitBefore = process.env.API_RECOVERY_WAIT_HOURS;
  process.env.API_RECOVERY_WAIT_HOURS = "0";
  platform = await startFullPlatform();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.stop();
  if (waitBefore === undefined) delete process.env.API_RECOVERY_WAIT_HOURS;
  else process.env.API_RECOVERY_WAIT_HOURS = waitBefore;
});

/** The page's own baselines: an API round trip and SHA-256 of 1 MB, medians of 20, in milliseconds. */
async function baselines(page: Page): Promise<{ healthzMs: number; sha256Ms: number }> {
  return page.evaluate(async (api) => {
    const mid = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const healthz: number[] = [];
    const sha: number[] = [];
    const data = crypto.getRandomValues(new Uint8Array(1 << 16));
    const megabyte = new Uint8Array(1 << 20);
    for (let i = 0; i < 16; i++) megabyte.set(data, i << 16);
    for (let i = 0; i < 20; i++) {
      let start = performance.now();
      await (await fetch(`${api}/healthz`, { cache: "no-store" })).text();
      healthz.push(performance.now() - start);
      start = performance.now();
      await crypto.subtle.digest("SHA-256", megabyte);
      sha.push(performance.now() - start);
    }
    return { healthzMs: mid(healthz), sha256Ms: mid(sha) };
  }, platform.endpoints.api);
}

it("measures unlocking, signing in and recovering in Chromium", { timeout: 1_200_000 }, async () => {
  // The patient's first device, with one record.
  let owner = await tab(OWNERS[0]!.address, "Patient Wallet");
  await signInAt(platform, owner, "#/patient", "Patient Wallet");
  const file = path.join(platform.work, "bench.txt");
  fs.writeFileSync(file, "bench\n");
  await owner.getByLabel("File").setInputFiles(file);
  await owner.getByLabel(/^Title/).fill(TITLE);
  await owner.getByRole("button", { name: "Encrypt and upload" }).click();
  await recordsListed(owner, TITLE);
  const base = await baselines(owner);

  const unlock: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    await owner.reload();
    await recordsListed(owner, TITLE);
    unlock.push(performance.now() - started);
  }

  const newDevices: number[] = [];
  for (let run = 0; run < 3; run++) {
    const page = await tab(OWNERS[0]!.address, "Patient Wallet");
    const started = performance.now();
    await signInAt(platform, page, "#/patient", "Patient Wallet");
    await recordsListed(page, TITLE);
    newDevices.push(performance.now() - started);
    await page.context().close();
  }

  const guardians = await Promise.all(GUARDIANS.map((g, i) => tab(g.address, `Guardian ${i + 1} Wallet`)));
  for (const [i, page] of guardians.entries()) await signInAt(platform, page, "#/guardian", `Guardian ${i + 1} Wallet`);
  const recoveries: number[] = [];
  for (const [run, heirAccount] of HEIRS.entries()) {
    await owner.goto(`${platform.url}#/settings`);
    await nameGuardians(owner, GUARDIANS.map((g) => g.address), 2);
    const heir = await tab(heirAccount.address, "New Wallet");
    await signInAt(platform, heir, "#/recovery", "New Wallet");
    const started = performance.now();
    await askRecovery(heir, OWNERS[run]!.address);
    await approveWhenReady(guardians[0]!);
    await approveWhenReady(guardians[2]!);
    await completeRecovery(heir);
    await heir.goto(`${platform.url}#/patient`);
    await recordsListed(heir, TITLE);
    recoveries.push((performance.now() - started) / 1000);
    owner = heir;
  }
  expect(errors).toEqual([]);

  const unlockKnownDeviceMs = median(unlock);
  const signInNewDeviceMs = median(newDevices);
  const figures = {
    unlockKnownDeviceMs: round(unlockKnownDeviceMs, 0),
    signInNewDeviceMs: round(signInNewDeviceMs, 0),
    recoveryEndToEndSeconds: round(median(recoveries), 1),
    healthzRoundTripMs: round(base.healthzMs, 2),
    sha256_1MB_Ms: round(base.sha256Ms, 2),
    unlockKnownDeviceOverHealthz: round(unlockKnownDeviceMs / base.healthzMs, 0),
    signInNewDeviceOverHealthz: round(signInNewDeviceMs / base.healthzMs, 0),
    unlockKnownDeviceOverSha256_1MB: round(unlockKnownDeviceMs / base.sha256Ms, 0),
  };
  if (OUT) fs.writeFileSync(OUT, JSON.stringify(figures));
});
