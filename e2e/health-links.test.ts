// SMART Health Links in Chromium on one fresh local platform, as one story: a patient makes a link with a
// passcode for two records (a FHIR Observation and a text letter, put in a DocumentReference); a viewer
// with no wallet opens the viewer link, is told the attempts left after a wrong passcode, opens the
// records with the right one; the patient sees who opened it and revokes it; the viewer is then told the
// link is revoked. Both new pages pass axe at both widths; no plaintext of the records is stored anywhere.
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanForMarker } from "@openchart/testkit/plaintext-scan";
import { signInAs } from "../scripts/platform/demo";
import { sharedPlatform, type DevAccount, type FullPlatform } from "./full-platform.mts";
import { pageProblems } from "./page-checks";
import { ARTIFACTS } from "./screenshots";
import { signInAt, visibleText, walletTab } from "./wallet-pages";

// This file's own account on the worker's shared platform.
let PATIENT: DevAccount;
const MARKER = "SHL-E2E-MARKER-5b21";
const PASSCODE = "ER-visit-2468";

let platform: FullPlatform;
const contexts: BrowserContext[] = [];
const errors: string[] = [];
let patient: Page;
let viewer: Page;
let viewerLink = "";

beforeAll(async () => {
  platform = await sharedPlatform({ accounts: 1 });
  PATIENT = platform.accounts[0]!;
  const { vault } = await signInAs(PATIENT.key, platform.endpoints);
  const observation = { resourceType: "Observation", id: "hb-1", status: "final", code: { text: "Haemoglobin" }, valueQuantity: { value: 13.5, unit: "g/dL" } };
  await vault.addRecord({ content: new TextEncoder().encode(JSON.stringify(observation)), title: "Haemoglobin result", mediaType: "application/fhir+json" });
  await vault.addRecord({ content: new TextEncoder().encode(`Allergic to penicillin. ${MARKER}`), title: "Allergy letter", mediaType: "text/plain" });
  const patientContext = await platform.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const viewerContext = await platform.browser.newContext({ viewport: { width: 1100, height: 900 } });
  contexts.push(patientContext, viewerContext);
  patient = await walletTab(platform, patientContext, PATIENT.address, "Patient Wallet", errors);
  // The viewer's browser has no wallet at all.
  viewer = await viewerContext.newPage();
  viewer.on("pageerror", (error) => errors.push(`viewer: ${error.message}`));
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.stop();
});

const openWith = async (passcode: string) => {
  await viewer.goto(viewerLink);
  await viewer.getByRole("heading", { level: 1, name: "Open a SMART Health Link" }).waitFor({ timeout: 30_000 });
  await viewer.getByLabel("Your name or organization").fill("City ER, Dr. Rivera");
  await viewer.getByLabel("Passcode").fill(passcode);
  await viewer.getByRole("button", { name: "Open the records" }).click();
};

describe("SMART Health Links, in Chromium", () => {
  it("lets the patient make a link with a passcode for two records, shown as a QR code and a viewer link", async () => {
    await signInAt(platform, patient, "#/patient/links", "Patient Wallet");
    const form = patient.getByRole("group", { name: "Records to put in the link" });
    await expect.poll(() => form.getByRole("checkbox").count(), { timeout: 90_000 }).toBe(2);
    await form.getByLabel("Haemoglobin result").check();
    await form.getByLabel("Allergy letter").check();
    await patient.getByLabel("Label shown before opening (optional, in the link only)").fill("For the ER");
    await patient.getByLabel("Passcode (optional; tell it to the recipient another way)").fill(PASSCODE);
    await patient.getByRole("button", { name: "Create a link for 2 records" }).click();
    await patient.getByTestId("shl-created").waitFor({ timeout: 60_000 });
    expect(await patient.getByRole("img", { name: "QR code of the SMART Health Link" }).locator("svg").count()).toBe(1);
    viewerLink = (await patient.getByTestId("shl-viewer-link").getAttribute("href")) ?? "";
    expect(viewerLink).toMatch(new RegExp(`^${platform.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}#shlink:/[A-Za-z0-9_-]+$`));
    expect(await patient.getByTestId("shl-link").inputValue()).toBe(viewerLink.split("#")[1]);
    await expect.poll(() => visibleText(patient, "shl-list"), { timeout: 30_000 }).toContain("10 wrong passcodes left");
    await patient.screenshot({ path: path.join(ARTIFACTS, "patient-health-link.png"), fullPage: true });
    expect(await pageProblems(patient, "Health links")).toEqual([]);
  });

  it("tells a viewer with no wallet how many attempts are left after a wrong passcode", async () => {
    await openWith("wrong-guess");
    expect(await viewer.getByRole("heading", { level: 2, name: "For the ER" }).count()).toBe(1);
    await expect.poll(() => visibleText(viewer, "shl-error"), { timeout: 30_000 }).toBe("The passcode is wrong. 9 attempts left before the link locks.");
  });

  it("opens the records with the right passcode, decrypted in the viewer's browser", async () => {
    await openWith(PASSCODE);
    await expect.poll(() => visibleText(viewer, "shl-files"), { timeout: 30_000 }).toContain("Haemoglobin");
    const files = await visibleText(viewer, "shl-files");
    expect(files).toContain("Allergic to penicillin.");
    expect(files).toContain("Observation");
    expect(files).toContain("DocumentReference");
    await viewer.screenshot({ path: path.join(ARTIFACTS, "shl-viewer.png"), fullPage: true });
    expect(await pageProblems(viewer, "SMART Health Link viewer")).toEqual([]);
  });

  it("shows the patient who opened the link, and revokes it", async () => {
    await patient.reload();
    await expect.poll(() => visibleText(patient, "shl-list"), { timeout: 60_000 }).toContain("City ER, Dr. Rivera");
    await patient.getByTestId("shl-list").getByRole("button", { name: "Revoke" }).click();
    await patient.getByRole("button", { name: "Revoke the link" }).click();
    await expect.poll(() => visibleText(patient, "shl-state"), { timeout: 30_000 }).toMatch(/^Revoked /);
  });

  it("tells the viewer the link is revoked, whatever the passcode", async () => {
    await openWith(PASSCODE);
    await expect.poll(() => visibleText(viewer, "shl-error"), { timeout: 30_000 }).toContain("This link was revoked, has expired, or is locked. (this link was revoked by its owner)");
    expect(await viewer.getByTestId("shl-files").count()).toBe(0);
  });

  it("stored no plaintext of the records anywhere, and the pages raised no error", async () => {
    expect(scanForMarker(platform.dataDir, MARKER).hits).toEqual([]);
    expect(errors).toEqual([]);
  });
});
