import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorDirectly, consentRegistryAt, newSalt } from "@openchart/sdk";
import { ARTIFACTS } from "./screenshots";
import { DOCTOR, PATIENT, startTestPlatform, type TestPlatform } from "./platform";

let platform: TestPlatform;
let page: Page;
const file = (name: string) => path.join(platform.work, name);

beforeAll(async () => {
  platform = await startTestPlatform();
  const patient = await platform.patientSigner();
  const { contracts } = platform.deployment;

  fs.writeFileSync(file("discharge-summary.txt"), "Discharge summary: patient recovered well.\n");
  fs.writeFileSync(file("tampered.txt"), "Discharge summary: patient recovered badly.\n");
  const receipt = await anchorDirectly(fs.readFileSync(file("discharge-summary.txt")), contracts.RecordRegistry.address, patient);
  fs.writeFileSync(file("receipt.json"), JSON.stringify(receipt));

  const consents = consentRegistryAt(contracts.ConsentRegistry.address, patient.provider!).connect(patient);
  // ConsentRegistry v2: a direct grant and revoke of some commitment (the web helper moves this page to consent proofs).
  const commitment = newSalt();
  const expiresAt = (await patient.provider!.getBlock("latest"))!.timestamp + 86_400;
  await (await consents.getFunction("grant")(commitment, expiresAt)).wait();
  await (await consents.getFunction("revoke")(commitment)).wait();

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  page = await platform.browser.newPage();
});

afterAll(async () => {
  await platform?.stop();
});

describe("auditor view, in Chromium, against a live chain", () => {
  it("verifies a document with its receipt, and refuses a tampered copy", async () => {
    await page.goto(`${platform.site.url}#/auditor`);
    await page.getByLabel("Document", { exact: true }).setInputFiles(file("discharge-summary.txt"));
    await page.getByLabel("Receipt (JSON)").setInputFiles(file("receipt.json"));
    await expect.poll(() => page.getByLabel("Chain JSON-RPC endpoint").inputValue()).toBe(platform.chain.url);
    await page.getByRole("button", { name: "Verify" }).click();
    const outcome = page.getByTestId("audit-outcome");
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(
      /^VERIFIED: discharge-summary\.txt existed unaltered when anchored at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, block \d+, tx 0x[0-9a-f]{64}\.$/,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, "auditor-verified.png"), fullPage: true });

    await page.getByLabel("Document", { exact: true }).setInputFiles(file("tampered.txt"));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => outcome.textContent()).toMatch(/^NOT VERIFIED: the document's SHA-256 differs/);
    await page.screenshot({ path: path.join(ARTIFACTS, "auditor-not-verified.png"), fullPage: true });
  });

  it("explains an unreadable receipt in words", async () => {
    fs.writeFileSync(file("broken.json"), "{oops");
    await page.getByLabel("Receipt (JSON)").setInputFiles(file("broken.json"));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByTestId("audit-outcome").textContent()).toBe(
      "NOT VERIFIED: the receipt file is not valid JSON.",
    );
  });

  it("shows the consent history of a patient and a doctor as a timeline", async () => {
    await page.getByLabel("Patient address").fill(PATIENT.address);
    await page.getByLabel("Doctor address").fill(DOCTOR.address);
    await page.getByRole("button", { name: "Show timeline" }).click();
    const items = page.getByTestId("consent-timeline").locator("li");
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.nth(0).textContent()).toMatch(/^Granted /);
    expect(await items.nth(1).textContent()).toMatch(/^Revoked /);
    await page.screenshot({ path: path.join(ARTIFACTS, "auditor-consent-history.png"), fullPage: true });
  });
});
