// Names and profiles, in Chromium on one fresh platform: the issuer names the doctor on the license; the
// doctor presents it once and opts in to the directory, then goes offline; the patient saves a profile
// (sealed in the browser), finds the doctor in the directory by specialty and shares; the doctor's app
// shows the patient by name; the doctor's public profile shows the license badge checked live; after the
// issuer revokes the license the doctor leaves the directory and a share is refused with a sentence. The
// new pages pass axe at 1100 and 375 px.
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageProblems } from "./page-checks";
import { ARTIFACTS } from "./screenshots";
import { didOf, ISSUER_WALLET, sharedPlatform, type DevAccount, type FullPlatform } from "./full-platform.mts";
import { newDevice, signedIn, signInAt, visibleText, visit, walletTab } from "./wallet-pages";

const DOCTOR_NAME = "Dr. Grace Hopper";
const PATIENT_NAME = "Maria Gonzalez";
const TITLE = "Referral letter";

let platform: FullPlatform;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let issuer: Page;
let doctorDevice: BrowserContext;
let doctor: Page;
let patient: Page;
// This file's own doctor and patient on the worker's shared platform (the issuer, #5, is the platform's).
let DOCTOR_WALLET: DevAccount;
let PATIENT_WALLET: DevAccount;
let profileRoute: string;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });

/** Searches the directory on the page as a patient does: by specialty, optionally with words. */
async function searchDirectory(page: Page, specialty: string): Promise<void> {
  await page.getByRole("combobox", { name: /^Specialty/ }).selectOption({ label: specialty });
  await page.getByRole("button", { name: "Search the directory" }).click();
}

beforeAll(async () => {
  platform = await sharedPlatform({ accounts: 2 });
  [DOCTOR_WALLET, PATIENT_WALLET] = platform.accounts as [DevAccount, DevAccount];
  profileRoute = `#/doctors/${encodeURIComponent(didOf(DOCTOR_WALLET.address))}`;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  issuer = await walletTab(platform, await newDevice(platform, contexts), ISSUER_WALLET.address, "Issuer Wallet", pageErrors);
  doctorDevice = await newDevice(platform, contexts);
  doctor = await walletTab(platform, doctorDevice, DOCTOR_WALLET.address, "Doctor Wallet", pageErrors);
  patient = await walletTab(platform, await newDevice(platform, contexts), PATIENT_WALLET.address, "Patient Wallet", pageErrors);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.stop();
});

describe("names, the doctor directory and profiles, in Chromium", () => {
  it("issuer: names the doctor on the license", async () => {
    await signInAt(platform, issuer, "#/issuer/issue", "Issuer Wallet");
    await issuer.getByLabel("Doctor's wallet address or DID").fill(DOCTOR_WALLET.address);
    await issuer.getByRole("button", { name: "Issue license" }).click();
    // A license names its doctor: refused with the reason, nothing sent.
    await expect.poll(() => visibleText(issuer, "issue-problems")).toContain("Enter the doctor's name");
    await issuer.getByLabel("Doctor's name").fill(DOCTOR_NAME);
    await issuer.getByLabel("License number").fill("MD-7");
    await issuer.getByLabel("Specialty").selectOption({ label: "Cardiology" });
    await issuer.getByLabel("Jurisdiction").fill("US-CA");
    await issuer.getByRole("button", { name: "Issue license" }).click();
    await expect.poll(() => visibleText(issuer, "issue-status"), { timeout: 30_000 }).toContain("License MD-7 issued");
  });

  it("doctor: presents the license once, opts in to the directory, and goes offline", async () => {
    await signInAt(platform, doctor, "#/doctor/license", "Doctor Wallet");
    await expect.poll(() => visibleText(doctor, "listing-state"), { timeout: 30_000 }).toContain("Present your license above once");
    await doctor.getByRole("button", { name: "Present license MD-7" }).click();
    await expect.poll(() => visibleText(doctor, "license-verified"), { timeout: 30_000 }).toContain(`License MD-7 of ${DOCTOR_NAME}`);
    await expect.poll(() => visibleText(doctor, "listing-state"), { timeout: 30_000 }).toContain("You are not listed in the directory.");
    await doctor.getByRole("button", { name: "List me in the doctor directory" }).click();
    await expect.poll(() => visibleText(doctor, "listing-status"), { timeout: 30_000 }).toBe("You are listed in the doctor directory.");
    await shot(doctor, "doctor-directory-listing.png");
    // Offline: no page of the doctor's is open while the patient finds and shares with them.
    await doctor.close();
  });

  it("patient: saves a profile, with a refused date of birth explained next to the field", async () => {
    await signInAt(platform, patient, "#/patient/profile", "Patient Wallet");
    await patient.getByRole("button", { name: "Save profile" }).waitFor();
    await expect.poll(() => patient.getByRole("button", { name: "Save profile" }).isDisabled()).toBe(false);
    await patient.getByLabel("Date of birth (optional)").fill("2999-01-01");
    await expect.poll(() => visibleText(patient, "profile-birth-problem")).toBe("A date of birth is not in the future.");
    await patient.getByRole("button", { name: "Save profile" }).click();
    await expect.poll(() => visibleText(patient, "profile-name-problem")).toBe("Enter a name.");
    await patient.getByLabel("Name", { exact: true }).fill(PATIENT_NAME);
    await patient.getByLabel("Date of birth (optional)").fill("1962-03-14");
    await patient.getByRole("button", { name: "Save profile" }).click();
    await expect.poll(() => visibleText(patient, "profile-status"), { timeout: 30_000 }).toContain("Profile saved, sealed on this device");
    await shot(patient, "patient-profile.png");
    // Opened again from the sealed copy the API keeps.
    await patient.reload();
    await signedIn(patient);
    await expect.poll(() => patient.getByLabel("Name", { exact: true }).inputValue(), { timeout: 30_000 }).toBe(PATIENT_NAME);
  });

  it("patient: finds the doctor in the directory by specialty and shares a record, the name sealed into the share", async () => {
    await visit(patient, "Patient pages", "Records");
    const file = path.join(platform.work, "referral.txt");
    fs.writeFileSync(file, "Referral to cardiology: palpitations since March.\n");
    await patient.getByLabel("File").setInputFiles(file);
    await patient.getByLabel(/^Title/).fill(TITLE);
    await patient.getByRole("button", { name: "Encrypt and upload" }).click();
    await expect.poll(() => visibleText(patient, "upload-outcome"), { timeout: 60_000 }).toContain(`“${TITLE}” is stored, encrypted`);

    await visit(patient, "Patient pages", "Sharing");
    await searchDirectory(patient, "Dermatology");
    await expect.poll(() => visibleText(patient, "directory-empty"), { timeout: 30_000 }).toContain("No listed doctor matches");
    await searchDirectory(patient, "Cardiology");
    await expect.poll(() => visibleText(patient, "directory-results"), { timeout: 30_000 }).toContain(DOCTOR_NAME);
    await patient.getByRole("button", { name: `Choose ${DOCTOR_NAME}` }).click();
    await expect.poll(() => visibleText(patient, "doctor-card"), { timeout: 30_000 }).toContain(DOCTOR_NAME);
    expect(await visibleText(patient, "license-badge")).toContain("License verified: checked against its issuer's status list");
    await patient.getByRole("checkbox", { name: TITLE }).check();
    expect(await patient.getByRole("checkbox", { name: new RegExp(`^Include my name \\(${PATIENT_NAME}\\) and date of birth`) }).isChecked()).toBe(true);
    await patient.getByRole("button", { name: "Share 1 record" }).click();
    await expect.poll(() => visibleText(patient, "share-status"), { timeout: 60_000 }).toMatch(new RegExp(`Shared 1 record with ${DOCTOR_NAME} for 7 days\\. Consent recorded on the chain in block \\d+`));
    await shot(patient, "patient-share-directory.png");
  });

  it("doctor: back online, sees the patient by name", async () => {
    doctor = await walletTab(platform, doctorDevice, DOCTOR_WALLET.address, "Doctor Wallet", pageErrors);
    await doctor.goto(`${platform.url}#/doctor`);
    await signedIn(doctor);
    await doctor.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => visibleText(doctor, "share-patient"), { timeout: 60_000 }).toBe(PATIENT_NAME);
    expect(await visibleText(doctor, "shares")).toContain("Born 1962-03-14.");
    await shot(doctor, "doctor-patients.png");
  });

  it("anyone: the doctor's public profile shows the license badge, checked live", async () => {
    await patient.goto(`${platform.url}${profileRoute}`);
    await patient.getByRole("heading", { level: 1, name: DOCTOR_NAME }).waitFor({ timeout: 30_000 });
    expect(await visibleText(patient, "license-badge")).toMatch(/^✓ License verified: checked against its issuer's status list at /);
    expect(await visibleText(patient, "listing")).toBe("Listed in the doctor directory.");
    expect(await patient.getByRole("navigation", { name: "Breadcrumb" }).textContent()).toMatch(/Patient.*Find a doctor.*Dr\. Grace Hopper/);
    await shot(patient, "doctor-profile.png");
  });

  it("the new pages pass axe at 1100 and 375 px and never scroll sideways", async () => {
    const problems: string[] = [];
    const check = async (page: Page, route: string, heading: string, ready: () => Promise<unknown>) => {
      await page.goto(`${platform.url}${route}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor({ timeout: 30_000 });
      await ready();
      problems.push(...(await pageProblems(page, route)));
    };
    await check(patient, "#/doctors", "Find a doctor", async () => {
      await searchDirectory(patient, "Cardiology");
      await expect.poll(() => visibleText(patient, "directory-results"), { timeout: 30_000 }).toContain(DOCTOR_NAME);
    });
    await check(patient, profileRoute, DOCTOR_NAME, () => patient.getByTestId("license-badge").waitFor());
    await check(patient, "#/patient/profile", "Profile", () => expect.poll(() => patient.getByLabel("Name", { exact: true }).inputValue(), { timeout: 30_000 }).toBe(PATIENT_NAME));
    await check(patient, "#/patient/sharing", "Sharing", async () => {
      await searchDirectory(patient, "Cardiology");
      await patient.getByRole("button", { name: `Choose ${DOCTOR_NAME}` }).click();
      await patient.getByTestId("doctor-card").waitFor({ timeout: 30_000 });
    });
    await check(doctor, "#/doctor/license", "Your license", () => expect.poll(() => visibleText(doctor, "listing-state"), { timeout: 30_000 }).toContain("You are listed"));
    await check(doctor, "#/doctor", "Shared with you", () => expect.poll(() => visibleText(doctor, "share-patient"), { timeout: 60_000 }).toBe(PATIENT_NAME));
    expect(problems).toEqual([]);
  });

  it("after the issuer revokes the license: gone from the directory, the profile and a share refused with a sentence", async () => {
    await issuer.goto(`${platform.url}#/issuer`);
    await issuer.getByRole("button", { name: "Revoke MD-7" }).click();
    await issuer.getByLabel("Reason (required)").fill("Struck off the register");
    await issuer.getByRole("button", { name: "Revoke for good" }).click();
    // This doctor's row: the shared platform's issuer lists other files' licenses too.
    const row = issuer.getByTestId("licenses").locator("tbody tr").filter({ hasText: didOf(DOCTOR_WALLET.address) });
    await expect.poll(async () => (await row.allTextContents()).join(" | "), { timeout: 30_000 }).toContain("revoked");

    await patient.goto(`${platform.url}#/patient/sharing`);
    await patient.getByRole("heading", { level: 1, name: "Sharing" }).waitFor();
    await searchDirectory(patient, "Cardiology");
    await expect.poll(() => visibleText(patient, "directory-empty"), { timeout: 30_000 }).toContain("No listed doctor matches");
    await patient.getByLabel("Doctor's wallet address or DID").fill(DOCTOR_WALLET.address);
    await patient.getByRole("button", { name: "Check the doctor's license" }).click();
    await expect
      .poll(async () => (await patient.getByRole("alert").allTextContents()).join(" "), { timeout: 30_000 })
      .toContain("You cannot share with this doctor: their license is suspended, revoked or expired (CREDENTIAL_REVOKED");
    expect(await patient.getByTestId("doctor-card").count()).toBe(0);
    await patient.goto(`${platform.url}${profileRoute}`);
    await expect.poll(() => visibleText(patient, "profile-problem"), { timeout: 30_000 }).toContain("does not pass its check now");
    expect(pageErrors).toEqual([]);
  });
});
