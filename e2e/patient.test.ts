import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS } from "./screenshots";
import { PATIENT, startTestPlatform, type TestPlatform } from "./platform";
import { injectTestWallet } from "./test-wallet";

let platform: TestPlatform;
let page: Page;

beforeAll(async () => {
  platform = await startTestPlatform();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  page = await platform.browser.newPage({ acceptDownloads: true });
  await injectTestWallet(page, { rpcUrl: platform.chain.url, address: PATIENT.address, name: "OpenChart Test Wallet" });
});

afterAll(async () => {
  await platform?.stop();
});

describe("patient view, in Chromium, with an EIP-6963 wallet", () => {
  it("anchors a record from the wallet, and the downloaded receipt verifies in the auditor view", async () => {
    const record = path.join(platform.work, "blood-test.csv");
    fs.writeFileSync(record, "marker,value\nOPENCHART-PLAINTEXT-MARKER,42\n");

    // The anchor page needs a wallet, no sign-in.
    await page.goto(`${platform.site.url}#/patient/anchor`);
    await expect.poll(() => page.title()).toBe("Anchor from your wallet · Patient · OpenChart");
    await page.getByRole("button", { name: "Connect OpenChart Test Wallet" }).click();
    await expect.poll(() => page.getByTestId("wallet-connected").textContent()).toContain(PATIENT.address);

    await page.getByLabel("Record", { exact: true }).setInputFiles(record);
    await page.getByRole("button", { name: "Anchor", exact: true }).click();
    await expect.poll(() => page.getByTestId("anchor-outcome").textContent(), { timeout: 20_000 }).toMatch(/^Anchored at /);
    await page.screenshot({ path: path.join(ARTIFACTS, "patient-anchored.png"), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByText("Download the receipt").click()]);
    const receiptFile = path.join(platform.work, "blood-test.receipt.json");
    await download.saveAs(receiptFile);
    const receipt = JSON.parse(fs.readFileSync(receiptFile, "utf8"));
    expect(receipt).toMatchObject({ chainId: 31337, contract: platform.deployment.contracts.RecordRegistry.address });
    expect(JSON.stringify(receipt)).not.toContain("OPENCHART-PLAINTEXT-MARKER");

    await page.goto(`${platform.site.url}#/auditor`);
    await page.getByLabel("Document", { exact: true }).setInputFiles(record);
    await page.getByLabel("Receipt (JSON)").setInputFiles(receiptFile);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByTestId("audit-outcome").textContent()).toMatch(/^VERIFIED: blood-test\.csv existed unaltered/);
  });
});
