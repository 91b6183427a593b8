// The record vault running in Chromium against the local Ceramic + IPFS node and the API: sign in with
// an injected wallet, upload a small record, see it listed, anchored and pinned remotely (the operator's
// pinning service played by the loopback Pinning Service API server).
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPinningService, type LoopbackPinningService } from "@openchart/testkit/pinning-service";
import { didOf, PATIENT_WALLET, startFullPlatform, type FullPlatform } from "./full-platform.mts";
import { injectTestWallet } from "./test-wallet";

let platform: FullPlatform;
let page: Page;
let pinning: LoopbackPinningService;
const errors: string[] = [];

beforeAll(async () => {
  pinning = await startPinningService({ token: "e2e-pinning-token-0123456789" });
  // The platform's API takes its configuration from the environment, as an operator's would.
  Object.assign(process.env, { PIN_SERVICE_URL: pinning.url, PIN_SERVICE_TOKEN: pinning.token, PIN_STATUS_POLL_MS: "200" });
  platform = await startFullPlatform();
  page = await platform.browser.newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  await injectTestWallet(page, { rpcUrl: platform.chainUrl, headers: platform.chainHeaders, address: PATIENT_WALLET.address.toLowerCase(), name: "Patient Wallet" });
});

afterAll(async () => {
  await platform?.stop();
  await pinning?.close();
  delete process.env.PIN_SERVICE_URL;
  delete process.env.PIN_SERVICE_TOKEN;
  delete process.env.PIN_STATUS_POLL_MS;
});

describe("the record vault in the browser", () => {
  it("signs in once, uploads an encrypted record and lists it", async () => {
    await page.goto(`${platform.url}#/patient`);
    await page.getByRole("button", { name: "Connect Patient Wallet" }).click();
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(async () => (await page.getByTestId("signed-in").textContent().catch(() => "")) || (await page.getByRole("alert").allTextContents()).join(" "), { timeout: 60_000 })
      .toContain(didOf(PATIENT_WALLET.address));

    const file = path.join(platform.work, "note.txt");
    fs.writeFileSync(file, "a small record");
    await page.getByLabel("File").setInputFiles(file);
    // Titles are required since records are private by default (issue 12): the file name is never used.
    await page.getByLabel(/^Title/).fill("Small note");
    await page.getByRole("button", { name: "Encrypt and upload" }).click();
    await expect.poll(() => page.getByTestId("upload-outcome").textContent(), { timeout: 60_000 }).toContain("is stored, encrypted");
    await expect.poll(() => page.getByTestId("record").count()).toBe(1);
    await expect.poll(() => page.getByTestId("anchor-state").textContent(), { timeout: 30_000 }).toMatch(/^Anchored /);
    await expect.poll(() => page.getByTestId("pin-state").textContent(), { timeout: 30_000 }).toMatch(/pinned remotely by the pinning service/);
    // The service was asked for one ciphertext by its CID: no title, no file name, no DID.
    const [pinned] = pinning.pins();
    expect(pinning.pins()).toHaveLength(1);
    expect(pinned!.pin.cid).toMatch(/^b[a-z2-7]+$/);
    const seen = JSON.stringify(pinning.received);
    for (const secret of ["Small note", "note.txt", PATIENT_WALLET.address.toLowerCase().slice(2)]) expect(seen.toLowerCase()).not.toContain(secret.toLowerCase());
    expect(errors).toEqual([]);
  });
});
