// FHIR R4 in and out, and the patient's exit, in Chromium on one fresh platform: the exported Bundle is valid
// R4 (every resource through @medplum/core's validator), real HL7 example bundles import as encrypted records,
// a malformed one is refused whole with the resource and path named, and the exit archive downloads and its
// index.html opens from file:// with the network off, showing the records and how to verify their receipts.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { Bundle } from "@medplum/fhirtypes";
import { unzipSync } from "fflate";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc, parseReceipt, verifyReceipt } from "@openchart/sdk";
import type { RecordVault } from "@openchart/sdk/vault";
import { signInAs } from "../scripts/platform/demo";
import { hl7Example, validateR4 } from "../sdk/test/fhir-validator";
import { sharedPlatform, type DevAccount, type FullPlatform } from "./full-platform.mts";
import { pageProblems } from "./page-checks";
import { ARTIFACTS } from "./screenshots";
import { signInAt, visibleText, walletTab } from "./wallet-pages";

// This file's own account on the worker's shared platform; its first record is written from Node with its wallet-derived key, which the browser adopts on sign-in.
let PATIENT: DevAccount;
const EXAMPLES = path.dirname(createRequire(import.meta.url).resolve("hl7.fhir.r4.examples/package.json"));
const photo = fs.readFileSync(path.resolve(__dirname, "../docs/screenshots/issuer.png"));

let platform: FullPlatform;
let context: BrowserContext;
let page: Page;
let vault: RecordVault;
let photoId: string;
const errors: string[] = [];

async function download(click: () => Promise<void>, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), click()]);
  const out = path.join(platform.work, name);
  await file.saveAs(out);
  return out;
}

beforeAll(async () => {
  platform = await sharedPlatform({ accounts: 1 });
  PATIENT = platform.accounts[0]!;
  ({ vault } = await signInAs(PATIENT.key, platform.endpoints));
  photoId = (await vault.addRecord({ content: photo, title: "Knee <photo>", mediaType: "image/png", category: "18748-4" })).id;
  context = await platform.browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  page = await walletTab(platform, context, PATIENT.address, "Patient Wallet", errors);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await platform?.stop();
});

describe("FHIR export and import, and the exit archive, in Chromium", () => {
  it("imports real HL7 example bundles; refuses a malformed one, naming the resource and path, adding nothing", async () => {
    // Anchored by the API's batcher: the receipt then travels in the exports below.
    await expect.poll(async () => (await vault.syncReceipt(photoId)).status, { timeout: 90_000, interval: 1_000 }).toBe("anchored");
    await signInAt(platform, page, "#/patient/export", "Patient Wallet");
    const importer = page.getByLabel("Import a FHIR Bundle (JSON)");
    await importer.setInputFiles(path.join(EXAMPLES, "Bundle-lipids.json"));
    await expect.poll(() => visibleText(page, "import-done"), { timeout: 60_000 }).toBe("Imported 5 records.");
    expect(await page.getByTestId("imported").getByRole("link").allTextContents()).toContain("Observation: Cholesterol");
    await importer.setInputFiles(path.join(EXAMPLES, "Bundle-xds.json"));
    await expect.poll(() => page.getByTestId("imported").getByRole("link").allTextContents(), { timeout: 60_000 }).toEqual(["Physical"]);

    const broken = hl7Example<Bundle>("Bundle-lipids.json");
    (broken.entry![3]!.resource as unknown as { id: string }).id = "not an id!";
    const brokenFile = path.join(platform.work, "broken.json");
    fs.writeFileSync(brokenFile, JSON.stringify(broken));
    await importer.setInputFiles(brokenFile);
    await expect.poll(() => visibleText(page, "import-error")).toBe('FHIR Bundle refused, nothing imported: Observation/not an id! at Bundle.entry[3].resource.id: "not an id!" is not a FHIR id');
    expect(await vault.listRecords()).toHaveLength(7);
    expect(await pageProblems(page, "export page")).toEqual([]);
  });

  it("exports the chart as a FHIR Bundle whose every resource is valid R4", async () => {
    const file = await download(() => page.getByRole("button", { name: "Download FHIR Bundle" }).click(), "chart.fhir.json");
    const bundle = JSON.parse(fs.readFileSync(file, "utf8")) as Bundle;
    validateR4(bundle);
    for (const { resource } of bundle.entry!) validateR4(resource!);
    const types = bundle.entry!.map((e) => e.resource!.resourceType);
    expect(types.filter((t) => t === "DocumentReference")).toHaveLength(7);
    expect(types.filter((t) => t === "Provenance")).toHaveLength(1);
  });

  it("downloads the exit archive, whose index.html opens offline from file:// and shows the records; its receipt verifies on chain", async () => {
    await page.getByTestId("include-keys").check();
    await expect.poll(() => page.getByRole("note").textContent()).toContain("can then open every record you own");
    await page.getByTestId("include-keys").uncheck();
    const file = await download(() => page.getByRole("button", { name: "Download everything" }).click(), "exit.zip");
    await expect.poll(() => visibleText(page, "exit-done")).toContain("Open index.html");

    const unpacked = path.join(platform.work, "exit");
    for (const [name, bytes] of Object.entries(unzipSync(fs.readFileSync(file)))) {
      fs.mkdirSync(path.dirname(path.join(unpacked, name)), { recursive: true });
      fs.writeFileSync(path.join(unpacked, name), bytes);
    }
    const names = fs.readdirSync(unpacked, { recursive: true }).map(String);
    expect(names.filter((n) => n.startsWith("records/") && n !== "records")).toHaveLength(7);
    expect(names.some((n) => n.startsWith("keys"))).toBe(false);
    const pngName = names.find((n) => n.endsWith(".png"))!;
    expect(fs.readFileSync(path.join(unpacked, pngName)).equals(photo)).toBe(true);

    // The receipt in the archive proves the exported file against the chain, with no account and no API.
    const receiptName = names.find((n) => n.startsWith("receipts/") && n.endsWith(".json"))!;
    const receipt = parseReceipt(JSON.parse(fs.readFileSync(path.join(unpacked, receiptName), "utf8")));
    const provider = await connectRpc(platform.chainUrl);
    try {
      expect(await verifyReceipt(fs.readFileSync(path.join(unpacked, pngName)), receipt, provider)).toMatchObject({ verified: true });
    } finally {
      provider.destroy();
    }

    const offline = await platform.browser.newContext({ offline: true });
    try {
      const index = await offline.newPage();
      await index.goto(`file://${path.join(unpacked, "index.html")}`);
      expect(await index.title()).toBe("OpenChart export");
      expect(await index.locator("article.record").count()).toBe(7);
      await expect.poll(() => index.getByRole("heading", { level: 3, name: "Knee <photo>" }).count()).toBe(1);
      const shown = index.getByRole("img", { name: "Knee <photo>" });
      await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
      await expect.poll(() => index.frameLocator('iframe[title="Observation: Cholesterol"]').locator("body").textContent()).toContain('"resourceType": "Observation"');
      expect(await index.getByRole("heading", { name: "How to verify a receipt" }).count()).toBe(1);
      expect(await index.getByRole("link", { name: "Receipt", exact: true }).getAttribute("href")).toBe(receiptName);
      await index.screenshot({ path: path.join(ARTIFACTS, "exit-index.png"), fullPage: false });
    } finally {
      await offline.close();
    }
    await page.screenshot({ path: path.join(ARTIFACTS, "patient-export.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
