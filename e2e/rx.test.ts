// Consent requests and e-prescriptions on one fresh platform, in Chromium: a doctor asks a patient for access
// twice, the patient approves one (a normal share, consent on chain) and declines the other with a sentence,
// the doctor sees both outcomes; the doctor's wallet signs a prescription sealed to the patient, who shows it
// as a QR code and a link; a pharmacist signs in with a PharmacistLicenseCredential, verifies it, dispenses it
// once, and is refused the second time. Every new page passes axe at both widths.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageProblems } from "./page-checks";
import { screenshot } from "./screenshots";
import { didOf, ISSUER_WALLET, sharedPlatform, type DevAccount, type FullPlatform } from "./full-platform.mts";
import { newDevice, signInAt, visibleText, visit, walletTab } from "./wallet-pages";

// This file's own patient, doctor and pharmacist on the worker's shared platform (the issuer, #5, is the platform's).
let PATIENT_WALLET: DevAccount;
let DOCTOR_WALLET: DevAccount;
let PHARMACIST_WALLET: DevAccount;
const TITLE = "Lipid panel";

let platform: FullPlatform;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
const problems: string[] = [];
let patient: Page;
let doctor: Page;
let issuer: Page;
let pharmacist: Page;
let link: string;

const pageFor = async (name: string, address: string): Promise<Page> => walletTab(platform, await newDevice(platform, contexts), address, `${name} Wallet`, pageErrors);
const signIn = (page: Page, view: string, name: string): Promise<void> => signInAt(platform, page, `#/${view}`, `${name} Wallet`);

async function issue(subject: string, number: string, type?: string): Promise<void> {
  if (type) await issuer.getByLabel("License for").selectOption(type);
  await issuer.getByLabel("Doctor's wallet address or DID").fill(subject);
  await issuer.getByLabel("Doctor's name").fill(type ? "Ada Pharmacist" : "Dr. Rx Prescriber");
  await issuer.getByLabel("License number").fill(number);
  await issuer.getByLabel("Jurisdiction").fill("CH-ZH");
  await issuer.getByRole("button", { name: "Issue license" }).click();
  await expect.poll(() => visibleText(issuer, "issue-status"), { timeout: 30_000 }).toContain(`License ${number} issued`);
}

beforeAll(async () => {
  platform = await sharedPlatform({ accounts: 3 });
  [PATIENT_WALLET, DOCTOR_WALLET, PHARMACIST_WALLET] = platform.accounts as [DevAccount, DevAccount, DevAccount];
  patient = await pageFor("Patient", PATIENT_WALLET.address);
  doctor = await pageFor("Doctor", DOCTOR_WALLET.address);
  issuer = await pageFor("Issuer", ISSUER_WALLET.address);
  pharmacist = await pageFor("Pharmacist", PHARMACIST_WALLET.address);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.stop();
});

describe("consent requests and e-prescriptions, in Chromium", () => {
  it("sets up: a patient's record, a doctor's and a pharmacist's license, the doctor's license presented", async () => {
    await signIn(patient, "patient", "Patient");
    await patient.getByLabel("File").setInputFiles({ name: "lipids.csv", mimeType: "text/csv", buffer: Buffer.from("analyte,value\nLDL,2.1\n") });
    await patient.getByLabel(/^Title/).fill(TITLE);
    await patient.getByRole("button", { name: "Encrypt and upload" }).click();
    await expect.poll(() => visibleText(patient, "upload-outcome"), { timeout: 60_000 }).toContain(`“${TITLE}” is stored, encrypted`);

    await signIn(issuer, "issuer/issue", "Issuer");
    await issue(DOCTOR_WALLET.address, "MD-RX-1");
    await issue(PHARMACIST_WALLET.address, "PH-RX-1", "PharmacistLicenseCredential");

    await signIn(doctor, "doctor/license", "Doctor");
    await doctor.getByRole("button", { name: "Present license MD-RX-1" }).click();
    await expect.poll(() => visibleText(doctor, "license-verified"), { timeout: 30_000 }).toContain("License MD-RX-1");
  });

  it("doctor asks twice; the patient approves one (shared, consent on chain) and declines the other with a sentence", async () => {
    await visit(doctor, "Doctor pages", "Ask for access");
    for (const reason of ["Cholesterol follow-up", "Research question"]) {
      await doctor.getByLabel("Patient's wallet address or DID").fill(PATIENT_WALLET.address);
      await doctor.getByRole("checkbox", { name: "Laboratory report" }).check();
      await doctor.getByLabel("Why you ask").fill(reason);
      await doctor.getByLabel("Days of access").fill("14");
      await doctor.getByRole("button", { name: "Send the request" }).click();
      await expect.poll(() => visibleText(doctor, "sent-requests"), { timeout: 60_000 }).toContain(`Waiting for an answer`);
      await expect.poll(async () => (await doctor.getByTestId("sent-requests").getByRole("listitem").count()), { timeout: 60_000 }).toBe(reason === "Research question" ? 2 : 1);
    }
    problems.push(...(await pageProblems(doctor, "doctor: Ask for access")));

    await visit(patient, "Patient pages", "Requests");
    const requests = patient.getByTestId("access-requests").getByRole("listitem");
    await expect.poll(() => requests.count(), { timeout: 60_000 }).toBe(2);
    expect(await visibleText(patient, "access-requests")).toContain("(license verified now)");
    await screenshot(patient, "patient-requests.png");
    problems.push(...(await pageProblems(patient, "patient: Requests")));
    const followUp = requests.filter({ hasText: "Cholesterol follow-up" });
    await followUp.getByRole("checkbox", { name: TITLE }).check();
    await followUp.getByRole("button", { name: "Approve and share" }).click();
    await expect.poll(() => visibleText(patient, "requests-status"), { timeout: 90_000 }).toMatch(/Approved: 1 record\(s\) shared for 14 days; consent recorded in block \d+/);
    const research = requests.filter({ hasText: "Research question" });
    await research.getByLabel("A sentence for the doctor").fill("Not for research, thank you.");
    await research.getByRole("button", { name: "Decline" }).click();
    await expect.poll(() => visibleText(patient, "requests-status"), { timeout: 60_000 }).toContain("Declined");

    await doctor.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => visibleText(doctor, "sent-requests"), { timeout: 60_000 }).toMatch(/Approved[\s\S]*Declined|Declined[\s\S]*Approved/);
    expect(await visibleText(doctor, "sent-requests")).toContain("“Not for research, thank you.”");
    await visit(doctor, "Doctor pages", "Shared with you");
    await doctor.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => doctor.getByRole("button", { name: `Open shared “${TITLE}”` }).count(), { timeout: 60_000 }).toBe(1);
  });

  it("doctor prescribes with the wallet; the patient shows it as a QR code and a link", async () => {
    await visit(doctor, "Doctor pages", "Prescribe");
    await doctor.getByLabel("Patient's wallet address or DID").fill(PATIENT_WALLET.address);
    await doctor.getByLabel("Medication code").fill("197361");
    await doctor.getByLabel("Medication name").fill("Amoxicillin 500 MG Oral Capsule");
    await doctor.getByLabel("Dosage").fill("1 capsule every 8 hours for 7 days");
    await doctor.getByLabel("Quantity").fill("21");
    await doctor.getByLabel("Unit").fill("capsule");
    await doctor.getByRole("button", { name: "Sign and send" }).click();
    await expect.poll(() => visibleText(doctor, "prescribe-status"), { timeout: 60_000 }).toContain("signed and sent");
    await screenshot(doctor, "doctor-prescribe.png");
    problems.push(...(await pageProblems(doctor, "doctor: Prescribe")));

    await visit(patient, "Patient pages", "Prescriptions");
    await patient.getByRole("button", { name: "Refresh prescriptions" }).click();
    await expect.poll(() => visibleText(patient, "prescriptions"), { timeout: 60_000 }).toContain("Amoxicillin 500 MG Oral Capsule");
    expect(await patient.getByRole("img", { name: /QR code of the prescription/ }).count()).toBe(1);
    link = (await patient.getByTestId("prescription-link").getAttribute("href"))!;
    expect(link).toMatch(/#\/pharmacy\?rx=[A-Za-z0-9_-]+$/);
    await screenshot(patient, "patient-prescription.png");
    problems.push(...(await pageProblems(patient, "patient: Prescriptions")));
  });

  it("the pharmacist verifies, dispenses once, and is refused the second time", async () => {
    await signIn(pharmacist, "pharmacy", "Pharmacist");
    await pharmacist.goto(link);
    await pharmacist.getByRole("heading", { level: 1, name: "Verify and dispense" }).waitFor();
    expect(await pharmacist.getByLabel("The patient's prescription link").inputValue()).toContain("rx=");
    await pharmacist.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => visibleText(pharmacist, "verdict"), { timeout: 30_000 }).toContain("Valid prescription");
    expect(await visibleText(pharmacist, "verdict")).toContain(didOf(DOCTOR_WALLET.address));
    problems.push(...(await pageProblems(pharmacist, "pharmacy: Verify and dispense")));
    await pharmacist.getByRole("button", { name: "Dispense and record" }).click();
    await expect.poll(() => visibleText(pharmacist, "dispense-status"), { timeout: 30_000 }).toContain("Dispensed and recorded");
    await screenshot(pharmacist, "pharmacy-dispensed.png");

    await pharmacist.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => visibleText(pharmacist, "verdict"), { timeout: 30_000 }).toContain("Already dispensed");
    expect(await visibleText(pharmacist, "verdict")).toContain("PRESCRIPTION_DISPENSED");
    expect(await pharmacist.getByRole("button", { name: "Dispense and record" }).count()).toBe(0);
  });

  it("no page had an accessibility problem or an uncaught error", () => {
    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
