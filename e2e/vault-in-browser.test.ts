// The record vault running in Chromium against the local Ceramic + IPFS node and the API: sign in with
// an injected wallet, upload a small record, see it listed and anchored.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { didOf, PATIENT_WALLET, startFullPlatform, type FullPlatform } from "./full-platform.mts";
import { injectTestWallet } from "./test-wallet";

let platform: FullPlatform;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  platform = await startFullPlatform();
  page = await platform.browser.newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  await injectTestWallet(page, { rpcUrl: platform.chainUrl, headers: platform.chainHeaders, address: PATIENT_WALLET.address.toLowerCase(), name: "Patient Wallet" });
});

afterAll(async () => {
  await platform?.stop();
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
    expect(errors).toEqual([]);
  });
});
