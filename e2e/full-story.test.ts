// The whole story on a fresh local platform, in Chromium, with three injected wallets (patient, doctor,
// issuer): upload (a title the user types), anchor, license, share (no wallet prompt: a per-consent key
// signs, the API relays), open, consult, revoke, refusal, audit of the document and of the consent proof;
// then no stored byte anywhere under the platform's data holds the record's plaintext.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageProblems } from "./page-checks";
import { ARTIFACTS, screenshot } from "./screenshots";
import { didOf, ISSUER_WALLET, sharedPlatform, type DevAccount, type FullPlatform } from "./full-platform.mts";
import { scanForMarker } from "@openchart/testkit/plaintext-scan";
import { injectTestWallet, walletPrompts } from "./test-wallet";
import { visit } from "./wallet-pages";

const MARKER = `OPENCHART-PLAINTEXT-MARKER-${randomBytes(8).toString("hex")}`;
const TITLE = "Blood panel";

let platform: FullPlatform;
// This file's own patient and doctor on the worker's shared platform (the issuer, #5, is the platform's).
let PATIENT_WALLET: DevAccount;
let DOCTOR_WALLET: DevAccount;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let patient: Page;
let doctor: Page;
let issuer: Page;
let recordFile: string;
let receiptFile: string;
let proofFile: string;
/** The patient's wallet prompts after sign-in: sharing and revoking must add none. */
let promptsAfterSignIn: string[];
/** The record's own page (#/patient/records/<id>), found from the timeline. */
let recordPage: string;

async function pageFor(name: string, address: string): Promise<Page> {
  const context = await platform.browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${name}: ${error.message}`));
  await injectTestWallet(page, { rpcUrl: platform.chainUrl, headers: platform.chainHeaders, address: address.toLowerCase(), name: `${name} Wallet` });
  return page;
}

async function signIn(page: Page, view: string, name: string): Promise<void> {
  await page.goto(`${platform.url}#/${view}`);
  await page.getByRole("button", { name: `Connect ${name} Wallet` }).click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => visibleText(page, "signed-in"), { timeout: 60_000 }).toContain("Signed in as");
}

/** A test ID's text, or the page's alerts when it is absent, so a failure shows what the user saw. */
async function visibleText(page: Page, testId: string): Promise<string> {
  const target = page.getByTestId(testId);
  if (await target.count()) return (await target.first().textContent()) ?? "";
  return `alerts: ${(await page.getByRole("alert").allTextContents()).join(" | ")}`;
}

async function download(page: Page, click: () => Promise<void>, to: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  await file.saveAs(to);
  return fs.readFileSync(to);
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  platform = await sharedPlatform({ accounts: 2, fakeMedia: true });
  [PATIENT_WALLET, DOCTOR_WALLET] = platform.accounts as [DevAccount, DevAccount];
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  patient = await pageFor("Patient", PATIENT_WALLET.address);
  doctor = await pageFor("Doctor", DOCTOR_WALLET.address);
  issuer = await pageFor("Issuer", ISSUER_WALLET.address);
  recordFile = path.join(platform.work, "blood-panel.csv");
  receiptFile = path.join(platform.work, "blood-panel.receipt.json");
  proofFile = path.join(platform.work, "consent.proof.json");
  // Large enough to span several encryption chunks, with the marker in the middle.
  fs.writeFileSync(recordFile, `${"analyte,value\n".repeat(20_000)}${MARKER},42\n${"hb,13.5\n".repeat(20_000)}`);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.stop();
});

describe("the full story, in Chromium", () => {
  it("patient: one sign-in signature, an encrypted upload with a title typed by the user, then anchored", async () => {
    await signIn(patient, "patient", "Patient");
    // A new user on a new device: the SIWE sign-in, then the origin-bound message that wraps their new master key.
    expect(await walletPrompts(patient)).toEqual(["personal_sign", "personal_sign"]);
    promptsAfterSignIn = await walletPrompts(patient);
    // An empty file is refused with a sentence next to the field, not just a grey button.
    const empty = path.join(platform.work, "empty.txt");
    fs.writeFileSync(empty, "");
    await patient.getByLabel("File").setInputFiles(empty);
    await patient.getByLabel(/^Title/).fill("Empty");
    await expect.poll(() => visibleText(patient, "file-problem")).toMatch(/^This file is empty \(0 bytes\)/);
    expect(await patient.getByRole("button", { name: "Encrypt and upload" }).isDisabled()).toBe(true);
    await patient.getByLabel(/^Title/).fill("");
    await patient.getByLabel("File").setInputFiles(recordFile);
    // No title, no upload: the file name is never used in its place.
    const upload = patient.getByRole("button", { name: "Encrypt and upload" });
    expect(await upload.isDisabled()).toBe(true);
    expect(await patient.getByLabel(/^Title/).getAttribute("placeholder")).not.toContain("blood-panel");
    await patient.getByLabel(/^Title/).fill(TITLE);
    await upload.click();
    await expect.poll(() => visibleText(patient, "upload-outcome"), { timeout: 60_000 }).toContain(`“${TITLE}” is stored, encrypted`);
    // The form is reset: no file still selected to upload twice, no title.
    expect(await patient.getByLabel("File").inputValue()).toBe("");
    expect(await patient.getByLabel(/^Title/).inputValue()).toBe("");
    // The list shows the title from the record's opened header.
    await expect.poll(() => visibleText(patient, "records")).toContain(TITLE);
    await expect.poll(() => visibleText(patient, "anchor-state"), { timeout: 30_000 }).toMatch(/^Anchored .* in block \d+, transaction/);
    await screenshot(patient, "patient-records.png");
    // The record's page: decrypted here and shown as a table, its breadcrumbs leading back.
    await patient.getByRole("link", { name: TITLE }).click();
    await patient.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    recordPage = patient.url();
    expect(new URL(recordPage).hash).toMatch(/^#\/patient\/records\/k[a-z0-9]+$/);
    await expect.poll(() => patient.title()).toBe(`${TITLE} · Patient · OpenChart`);
    expect(await patient.getByRole("navigation", { name: "Breadcrumb" }).textContent()).toMatch(/Patient.*Records.*Blood panel/);
    await expect.poll(() => visibleText(patient, "csv-table"), { timeout: 30_000 }).toMatch(/^Blood panel: 40000 rows/);
    expect(await patient.getByTestId("csv-table").locator("th").allTextContents()).toEqual(["analyte", "value"]);
    await screenshot(patient, "patient-record.png");
  });

  it("issuer: issues the doctor's license credential", async () => {
    await signIn(issuer, "issuer/issue", "Issuer");
    await issuer.getByLabel("Doctor's wallet address or DID").fill(DOCTOR_WALLET.address);
    await issuer.getByLabel("Doctor's name").fill("Dr. Marie Curie");
    await issuer.getByLabel("License number").fill("MD-2026-0042");
    await issuer.getByLabel("Jurisdiction").fill("CH-ZH");
    await issuer.getByRole("button", { name: "Issue license" }).click();
    await expect.poll(() => visibleText(issuer, "issue-status"), { timeout: 30_000 }).toContain("License MD-2026-0042 issued");
    await issuer.getByRole("link", { name: "See all licenses" }).click();
    await expect.poll(() => visibleText(issuer, "licenses")).toContain("MD-2026-0042");
    await screenshot(issuer, "issuer.png");
  });

  it("doctor: signs in and presents the license from the wallet", async () => {
    await signIn(doctor, "doctor/license", "Doctor");
    await doctor.getByRole("button", { name: "Present license MD-2026-0042" }).click();
    await expect.poll(() => visibleText(doctor, "license-verified"), { timeout: 30_000 }).toContain("License MD-2026-0042");
    await screenshot(doctor, "doctor-license.png");
  });

  it("patient: sees the doctor's verified license before sharing, then shares gaslessly with no wallet prompt", async () => {
    await visit(patient, "Patient pages", "Sharing");
    await patient.getByLabel("Doctor's wallet address or DID").fill(DOCTOR_WALLET.address);
    await patient.getByRole("button", { name: "Check the doctor's license" }).click();
    await expect.poll(() => visibleText(patient, "doctor-card"), { timeout: 30_000 }).toContain("MD-2026-0042");
    await patient.getByRole("checkbox", { name: TITLE }).check();
    // Days out of range are refused with the reason next to the field.
    const days = patient.getByLabel("For how many days");
    const shareButton = patient.getByRole("button", { name: "Share 1 record" });
    for (const [value, reason] of [
      ["0", "A share lasts at least 1 day."],
      ["-3", "A share lasts at least 1 day."],
      ["99999", "A share lasts at most 365 days (a year); you can share again when it ends."],
    ]) {
      await days.fill(value!);
      await expect.poll(() => visibleText(patient, "days-problem")).toBe(reason);
      expect(await days.getAttribute("aria-invalid")).toBe("true");
      expect(await shareButton.isDisabled()).toBe(true);
    }
    await days.fill("7");
    expect(await patient.getByTestId("days-problem").isVisible()).toBe(false);
    await shareButton.click();
    await expect.poll(() => visibleText(patient, "share-status"), { timeout: 60_000 }).toMatch(/Consent recorded on the chain in block \d+/);
    await expect.poll(() => visibleText(patient, "grants")).toContain(didOf(DOCTOR_WALLET.address));
    await expect.poll(() => visibleText(patient, "grant-consent"), { timeout: 30_000 }).toMatch(/On-chain consent \(newest\) 0x.*: active/);
    // The per-consent key signed the consent: the wallet was not asked for anything.
    expect(await walletPrompts(patient)).toEqual(promptsAfterSignIn);
    await screenshot(patient, "patient-share.png");
  });

  it("doctor: opens the shared record (same bytes) and writes a note", async () => {
    await visit(doctor, "Doctor pages", "Shared with you");
    await doctor.getByRole("button", { name: "Refresh" }).click();
    const open = doctor.getByRole("button", { name: `Open shared “${TITLE}”` });
    await expect.poll(() => open.count(), { timeout: 30_000 }).toBe(1);
    const bytes = await download(doctor, () => open.click(), path.join(platform.work, "doctor-copy.csv"));
    expect(sha256(bytes)).toBe(sha256(fs.readFileSync(recordFile)));

    await doctor.getByLabel("Text for the patient").fill("Haemoglobin normal; repeat in a year.");
    await doctor.getByRole("button", { name: "Save note" }).click();
    await expect.poll(() => visibleText(doctor, "note-status"), { timeout: 30_000 }).toContain("was saved");
    await screenshot(doctor, "doctor.png");
  });

  it("doctor: joins the video consult's waiting room for the consent", async () => {
    await doctor.getByRole("button", { name: "Join the video call" }).click();
    await expect.poll(() => visibleText(doctor, "call-state"), { timeout: 30_000 }).toBe("Waiting room: waiting for the patient to join.");
    await screenshot(doctor, "doctor-consult.png");
  });

  it("patient: downloads the receipt and the consent proof, then revokes the doctor's access with no wallet prompt", async () => {
    await patient.goto(recordPage);
    await patient.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    const receipt = await download(patient, () => patient.getByRole("button", { name: `Receipt for “${TITLE}”` }).click(), receiptFile);
    expect(JSON.parse(receipt.toString())).toMatchObject({ chainId: 31337, contract: platform.deployment.contracts.RecordRegistry.address });
    await visit(patient, "Patient pages", "Sharing");
    const proof = await download(patient, () => patient.getByRole("button", { name: "Export consent proof" }).click(), proofFile);
    expect(JSON.parse(proof.toString())).toMatchObject({
      type: "openchart-consent-proof",
      opening: { patient: didOf(PATIENT_WALLET.address), grantee: didOf(DOCTOR_WALLET.address), registry: platform.deployment.contracts.ConsentRegistry.address.toLowerCase() },
    });
    // The doctor's note arrives, decrypted in the patient's browser.
    await visit(patient, "Patient pages", "Notes");
    await patient.getByRole("button", { name: "Refresh notes" }).click();
    await expect.poll(() => visibleText(patient, "notes"), { timeout: 30_000 }).toContain("Haemoglobin normal; repeat in a year.");
    await visit(patient, "Patient pages", "Sharing");
    await patient.getByRole("button", { name: /^Revoke access of / }).click();
    await patient.getByRole("button", { name: "Revoke access", exact: true }).click();
    await expect.poll(() => visibleText(patient, "grants-status"), { timeout: 60_000 }).toContain("Access revoked");
    await expect.poll(() => visibleText(patient, "ended-grants"), { timeout: 30_000 }).toContain("revoked on the chain");
    expect(await walletPrompts(patient)).toEqual(promptsAfterSignIn);
    // Key rotation: the record is re-encrypted under a new content key that no earlier grant holds.
    await patient.goto(recordPage);
    await patient.getByRole("button", { name: `New key for “${TITLE}”` }).click();
    await patient.getByRole("button", { name: "Make a new key", exact: true }).click();
    await expect.poll(() => visibleText(patient, "record-details"), { timeout: 60_000 }).toContain("key version 2");
    await screenshot(patient, "patient-revoked.png");
  });

  it("doctor: the revocation ends the waiting consult, and joining again is refused", async () => {
    // The API checks running calls again every 2 s (API_CALL_RECHECK_MS), the consent's state cached for 2 s.
    await expect.poll(() => visibleText(doctor, "call-state"), { timeout: 30_000 }).toBe("The call ended: The patient revoked this consent.");
    await doctor.getByRole("button", { name: "Join the video call again" }).click();
    await expect.poll(() => visibleText(doctor, "call-state"), { timeout: 30_000 }).toBe("The call ended: The patient revoked this consent.");
  });

  it("doctor: is refused the record after the revocation", async () => {
    // The list loaded before the revocation still shows the record: opening it is refused.
    await doctor.getByRole("button", { name: `Open shared “${TITLE}”` }).click();
    await expect.poll(async () => (await doctor.getByRole("alert").allTextContents()).join(" "), { timeout: 30_000 }).toContain("could not be opened");
    await expect.poll(() => visibleText(doctor, "no-shares"), { timeout: 30_000 }).toContain("No patient is sharing");
    await screenshot(doctor, "doctor-refused.png");
  });

  it("auditor: verifies the document with its receipt and refuses a tampered copy", async () => {
    const auditor = await pageFor("Auditor", ISSUER_WALLET.address);
    await auditor.goto(`${platform.url}#/auditor`);
    await auditor.getByLabel("Document", { exact: true }).setInputFiles(recordFile);
    await auditor.getByLabel("Receipt (JSON)").setInputFiles(receiptFile);
    await auditor.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => visibleText(auditor, "audit-outcome"), { timeout: 30_000 }).toMatch(/^VERIFIED: blood-panel\.csv existed unaltered/);
    await screenshot(auditor, "auditor-verified.png");

    const tampered = path.join(platform.work, "blood-panel-tampered.csv");
    fs.writeFileSync(tampered, fs.readFileSync(recordFile, "utf8").replace(`${MARKER},42`, `${MARKER},24`));
    await auditor.getByLabel("Document", { exact: true }).setInputFiles(tampered);
    await auditor.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => visibleText(auditor, "audit-outcome"), { timeout: 30_000 }).toMatch(/^NOT VERIFIED/);
    await screenshot(auditor, "auditor-tampered.png");

    // The consent proof the patient handed over: its one consent's timeline, from the chain.
    await visit(auditor, "Auditor pages", "Check a consent");
    await auditor.getByLabel("Consent proof (JSON)").setInputFiles(proofFile);
    await auditor.getByRole("button", { name: "Check consent" }).click();
    await expect.poll(() => visibleText(auditor, "consent-outcome"), { timeout: 30_000 }).toBe("REVOKED: the patient ended this consent.");
    const events = auditor.getByTestId("consent-timeline").locator("li");
    expect(await events.allTextContents()).toEqual([expect.stringMatching(/^Granted /), expect.stringMatching(/^Revoked /)]);
    await screenshot(auditor, "auditor-consent.png");
  });

  it("every page, signed in and with data, passes axe at 1100 and 375 px and never scrolls sideways", async () => {
    const problems: string[] = [];
    const check = async (page: Page, route: string, heading: string) => {
      await page.goto(`${platform.url}${route}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      // What loads after the heading (lists, the preview) is on the page when it is checked.
      await page.waitForLoadState("networkidle").catch(() => undefined);
      await page.waitForTimeout(500);
      problems.push(...(await pageProblems(page, route)));
    };
    await check(patient, "#/patient", "Records");
    await check(patient, new URL(recordPage).hash, TITLE);
    await check(patient, "#/patient/sharing", "Sharing");
    await check(patient, "#/patient/notes", "Notes");
    await check(patient, "#/patient/anchor", "Anchor from your wallet");
    await check(patient, "#/settings", "Settings");
    await check(patient, "#/guardian", "Guardian duty");
    await check(patient, "#/recovery", "Recovery");
    await check(issuer, "#/issuer", "Licenses");
    await check(issuer, "#/issuer/issue", "Issue a license");
    await check(doctor, "#/doctor/license", "Your license");
    await check(doctor, "#/doctor", "Shared with you");
    expect(problems).toEqual([]);
    // 15 pages at two widths, each axe-checked: 75 to 90 s on a quiet machine, past 120 s at load 15 to 20.
  }, 300_000);

  it("no file under the platform's data holds the plaintext marker", () => {
    expect(pageErrors).toEqual([]);
    const scan = scanForMarker(platform.dataDir, MARKER);
    expect(scan.files).toBeGreaterThan(10);
    expect(scan.hits).toEqual([]);
  });
});
