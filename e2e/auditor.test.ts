import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NonceManager, Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorDirectly, connectRpc, consentRegistryAt, newSalt, type Deployment } from "@openchart/sdk";
import { deployContracts } from "../scripts/chain/deploy";
import { startHardhatNode, type RunningChain } from "../scripts/chain/hardhatNode";
import { ARTIFACTS, launchChromium, serveStatic, type StaticServer } from "./browser";

// Hardhat's public development accounts (local chains only): patient and doctor.
const PATIENT_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DOCTOR = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

let chain: RunningChain;
let site: StaticServer;
let browser: Browser;
let page: Page;
let work: string;
let deployment: Deployment;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-e2e-"));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  chain = await startHardhatNode();
  const provider = await connectRpc(chain.url);
  const patient = new NonceManager(new Wallet(PATIENT_KEY, provider));
  deployment = await deployContracts(patient, "localhost");

  const document = path.join(work, "discharge-summary.txt");
  fs.writeFileSync(document, "Discharge summary: patient recovered well.\n");
  const receipt = await anchorDirectly(fs.readFileSync(document), deployment.contracts.RecordRegistry.address, patient);
  fs.writeFileSync(path.join(work, "receipt.json"), JSON.stringify(receipt));
  fs.writeFileSync(path.join(work, "tampered.txt"), "Discharge summary: patient recovered badly.\n");

  const consents = consentRegistryAt(deployment.contracts.ConsentRegistry.address, provider).connect(patient);
  const scope = newSalt();
  const expiresAt = (await provider.getBlock("latest"))!.timestamp + 86_400;
  await (await consents.getFunction("grant")(DOCTOR, scope, expiresAt)).wait();
  await (await consents.getFunction("revoke")(await consents.getFunction("consentIdOf")(await patient.getAddress(), DOCTOR, scope))).wait();
  provider.destroy();

  const dist = path.join(work, "web");
  await build({
    root: path.resolve(__dirname, "..", "web"),
    logLevel: "warn",
    build: { outDir: dist, emptyOutDir: true },
  });
  fs.writeFileSync(
    path.join(dist, "config.json"),
    JSON.stringify({ rpcUrl: chain.url, chainId: 31337, contracts: { ConsentRegistry: deployment.contracts.ConsentRegistry.address } }),
  );
  site = await serveStatic(dist);
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await chain?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("auditor view, in Chromium, against a live chain", () => {
  it("verifies a document with its receipt, and refuses a tampered copy", async () => {
    await page.goto(`${site.url}#/auditor`);
    await page.getByLabel("Document", { exact: true }).setInputFiles(path.join(work, "discharge-summary.txt"));
    await page.getByLabel("Receipt (JSON)").setInputFiles(path.join(work, "receipt.json"));
    await expect.poll(() => page.getByLabel("Chain JSON-RPC endpoint").inputValue()).toBe(chain.url);
    await page.getByRole("button", { name: "Verify" }).click();
    const outcome = page.getByTestId("audit-outcome");
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(
      /^VERIFIED: discharge-summary\.txt existed unaltered at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, block \d+, tx 0x[0-9a-f]{64}\.$/,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, "auditor-verified.png"), fullPage: true });

    await page.getByLabel("Document", { exact: true }).setInputFiles(path.join(work, "tampered.txt"));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => outcome.textContent()).toMatch(/^NOT VERIFIED: the document's SHA-256 differs/);
    await page.screenshot({ path: path.join(ARTIFACTS, "auditor-not-verified.png"), fullPage: true });
  });

  it("explains an unreadable receipt in words", async () => {
    fs.writeFileSync(path.join(work, "broken.json"), "{oops");
    await page.getByLabel("Receipt (JSON)").setInputFiles(path.join(work, "broken.json"));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByTestId("audit-outcome").textContent()).toBe(
      "NOT VERIFIED: the receipt file is not valid JSON.",
    );
  });

  it("shows the consent history of a patient and a doctor as a timeline", async () => {
    await page.getByLabel("Patient address").fill(new Wallet(PATIENT_KEY).address);
    await page.getByLabel("Doctor address").fill(DOCTOR);
    await page.getByRole("button", { name: "Show timeline" }).click();
    const items = page.getByTestId("consent-timeline").locator("li");
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.nth(0).textContent()).toMatch(/^Granted /);
    expect(await items.nth(1).textContent()).toMatch(/^Revoked /);
    await page.screenshot({ path: path.join(ARTIFACTS, "auditor-consent-history.png"), fullPage: true });
  });
});
