// Appointments and the AI assistant (issue 17, items 3 and 4), in Chromium on one fresh local platform, every
// step through the web app: the issuer licenses the doctor; the doctor publishes two times; the patient
// finds them after the doctor's license is checked, books one with a reason sealed on the device; both see
// the consult (the doctor reads the reason, opened with their key), a reminder and the link to the consult
// view; the patient moves it, then asks the assistant about a record: the preview of what leaves the device
// is exactly what the model server received, and the streamed answer has the placeholders mapped back.
// The model is the loopback OpenAI-compatible test server (api/test/fake-chat-completions.ts).
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { startFakeChatCompletions, type FakeChatCompletions } from "../api/test/fake-chat-completions";
import { ISSUER_WALLET, startFullPlatform, type FullPlatform } from "./full-platform.mts";
import { pageProblems } from "./page-checks";
import { ARTIFACTS } from "./screenshots";
import { newDevice, signInAt, visibleText, walletTab } from "./wallet-pages";

// The platform keeps #0 to #2 and #5 for itself.
const PATIENT = DEV_ACCOUNTS[3];
const DOCTOR = DEV_ACCOUNTS[4];
const REASON = "Headaches every morning for three days";
const RECORD_TITLE = "Clinic letter";
const RECORD = "Seen by Dr. Alvarez on 2025-02-18 at 12 Elm Street, Springfield. Maria Gonzalez reports morning headaches. BP 150/95 mmHg.\n";
const AI_ENV = ["AI_BASE_URL", "AI_MODEL", "AI_API_KEY"] as const;

let platform: FullPlatform;
let fake: FakeChatCompletions;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
const problems: string[] = [];
let patient: Page;
let doctor: Page;
let issuer: Page;
const envBefore: Record<string, string | undefined> = {};

const tab = async (address: string, name: string) => walletTab(platform, await newDevice(platform, contexts), address, name, pageErrors);
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
/** The first slot's start: a whole 5 minutes, 40 to 45 minutes from now (inside the hour the reminder covers), in UTC. */
const firstStart = Math.ceil((Date.now() + 40 * 60_000) / 300_000) * 300_000;
const utcTime = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
const inSection = (page: Page, titleId: string) => page.locator(`section[aria-labelledby="${titleId}"]`);

beforeAll(async () => {
  fake = await startFakeChatCompletions();
  for (const key of AI_ENV) envBefore[key] = process.env[key];
  Object.assign(process.env, { AI_BASE_URL: fake.baseUrl, AI_MODEL: "fake-medical-7b", AI_API_KEY: fake.apiKey });
  platform = await startFullPlatform();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  [patient, doctor, issuer] = await Promise.all([tab(PATIENT.address, "Patient Wallet"), tab(DOCTOR.address, "Doctor Wallet"), tab(ISSUER_WALLET.address, "Issuer Wallet")]);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.stop();
  await fake?.stop();
  for (const key of AI_ENV) {
    if (envBefore[key] === undefined) Reflect.deleteProperty(process.env, key);
    else process.env[key] = envBefore[key];
  }
});

describe("appointments and the AI assistant, in Chromium", () => {
  it("the issuer licenses the doctor; the doctor presents it and publishes two times", async () => {
    await signInAt(platform, issuer, "#/issuer/issue", "Issuer Wallet");
    await issuer.getByLabel("Doctor's wallet address or DID").fill(DOCTOR.address);
    await issuer.getByLabel("Doctor's name").fill("Dr. Ada Okafor");
    await issuer.getByLabel("License number").fill("MD-2026-0777");
    await issuer.getByLabel("Jurisdiction").fill("CH-ZH");
    await issuer.getByRole("button", { name: "Issue license" }).click();
    await expect.poll(() => visibleText(issuer, "issue-status"), { timeout: 30_000 }).toContain("License MD-2026-0777 issued");

    await signInAt(platform, doctor, "#/doctor/license", "Doctor Wallet");
    await doctor.getByRole("button", { name: "Present license MD-2026-0777" }).click();
    await expect.poll(() => visibleText(doctor, "license-verified"), { timeout: 30_000 }).toContain("License MD-2026-0777");
    await doctor.getByRole("link", { name: "Appointments" }).click();
    await doctor.getByLabel("First start (UTC)").fill(new Date(firstStart).toISOString().slice(0, 16));
    await doctor.getByLabel("Minutes each").fill("30");
    await doctor.getByLabel("How many, back to back").fill("2");
    await doctor.getByRole("button", { name: "Publish these times" }).click();
    await expect.poll(() => visibleText(doctor, "publish-status"), { timeout: 30_000 }).toBe("2 times published.");
    // The list reloads after the status line says so: on a loaded machine, a moment later.
    await expect.poll(() => visibleText(doctor, "my-slots"), { timeout: 30_000 }).toContain(`${utcTime(firstStart)} UTC`);
    // The same times again overlap what is published: refused, said in words.
    await doctor.getByRole("button", { name: "Publish these times" }).click();
    await expect.poll(async () => (await doctor.getByRole("alert").allTextContents()).join(" ")).toContain("overlaps one you already offer");
  });

  it("the patient books a time after the doctor's license is checked, the reason sealed on the device; both see the consult", async () => {
    await signInAt(platform, patient, "#/patient/appointments", "Patient Wallet");
    await patient.getByLabel("Doctor's wallet address or DID").fill(DOCTOR.address);
    await patient.getByRole("button", { name: "Show the doctor's open times" }).click();
    await expect.poll(() => visibleText(patient, "doctor-card"), { timeout: 30_000 }).toContain("License verified");
    await expect.poll(() => patient.getByTestId("open-slots").getByRole("radio").count()).toBe(2);
    await patient.getByTestId("open-slots").getByRole("radio").first().check();
    await patient.getByLabel(/^Reason for the visit/).fill(REASON);
    await patient.getByRole("button", { name: "Book this time" }).click();
    await expect.poll(() => visibleText(patient, "book-status"), { timeout: 30_000 }).toBe(`Booked: ${utcTime(firstStart)} UTC.`);
    const mine = patient.getByTestId("appointment");
    await expect.poll(() => mine.first().textContent(), { timeout: 30_000 }).toContain("Booked");
    await expect.poll(() => visibleText(patient, "reason")).toBe(REASON);
    expect(await visibleText(patient, "reminder")).toMatch(/^Starts in \d+ minutes$/);
    expect(await mine.first().getByRole("link", { name: "Join the video consult" }).getAttribute("href")).toBe("#/patient/sharing");
    await shot(patient, "patient-appointments.png");
    problems.push(...(await pageProblems(patient, "patient appointments")));

    // Back to the page (it reads everything afresh), as the doctor would come back to it.
    await doctor.getByRole("link", { name: "License" }).click();
    await doctor.getByRole("link", { name: "Appointments" }).click();
    await expect.poll(() => visibleText(doctor, "appointments"), { timeout: 60_000 }).toContain(`${utcTime(firstStart)} UTC`);
    // The reason opens with the doctor's key, on the doctor's device.
    await expect.poll(() => visibleText(doctor, "reason"), { timeout: 30_000 }).toBe(REASON);
    await expect.poll(() => visibleText(doctor, "my-slots"), { timeout: 30_000 }).toContain("booked");
    expect(await doctor.getByTestId("appointment").first().getByRole("link", { name: "Join the video consult" }).getAttribute("href")).toBe("#/doctor");
    // In-app reminders: the booking, then (within the hour, from the API's reminder sweep) the reminder.
    await expect.poll(() => visibleText(doctor, "notifications"), { timeout: 30_000 }).toContain("booked a consult with you");
    await expect
      .poll(
        async () => {
          await inSection(doctor, "notifications-title").getByRole("button", { name: "Refresh" }).click();
          return visibleText(doctor, "notifications");
        },
        { timeout: 60_000, interval: 3_000 },
      )
      .toContain("Reminder: your consult with");
    await shot(doctor, "doctor-appointments.png");
    problems.push(...(await pageProblems(doctor, "doctor appointments")));
  });

  it("the patient moves the consult to the other time", async () => {
    await patient.getByRole("button", { name: "Move to another time" }).click();
    await inSection(patient, "appointments-title").getByRole("radio", { name: `${utcTime(firstStart + 30 * 60_000)} UTC` }).check();
    await patient.getByRole("button", { name: "Move the consult" }).click();
    await expect.poll(() => visibleText(patient, "appointments"), { timeout: 30_000 }).toContain("Moved to another time");
    expect(await patient.getByTestId("appointment").filter({ hasText: "Booked" }).textContent()).toContain(utcTime(firstStart + 30 * 60_000));
  });

  it("the assistant: disclaimer first; a record opened on the device; the preview is exactly what the model server received; the answer mapped back", async () => {
    const file = path.join(platform.work, "letter.txt");
    fs.writeFileSync(file, RECORD);
    await patient.getByRole("link", { name: "Records" }).click();
    await patient.getByLabel("File").setInputFiles(file);
    await patient.getByLabel(/^Title/).fill(RECORD_TITLE);
    await patient.getByRole("button", { name: "Encrypt and upload" }).click();
    await expect.poll(() => visibleText(patient, "upload-outcome"), { timeout: 60_000 }).toContain(`“${RECORD_TITLE}” is stored, encrypted`);

    await patient.getByRole("link", { name: "Assistant" }).click();
    await expect.poll(() => visibleText(patient, "ai-disclaimer"), { timeout: 30_000 }).toContain("not a doctor");
    expect(await patient.getByLabel("Your question").count()).toBe(0);
    await patient.getByRole("button", { name: "I understand" }).click();
    await patient.getByLabel("Ask about this record (optional)").selectOption({ label: RECORD_TITLE });
    await patient.getByRole("button", { name: "Open it on this device" }).click();
    await expect.poll(() => visibleText(patient, "attached"), { timeout: 30_000 }).toContain(`“${RECORD_TITLE}” is attached`);
    await patient.getByLabel("Your question").fill("Should Maria worry about this blood pressure?");
    await patient.getByRole("button", { name: "Show what will be sent" }).click();
    // The de-identifier loads on first use (its name recognizer is a chunk of its own).
    await expect.poll(() => patient.getByTestId("preview-message").count(), { timeout: 30_000 }).toBe(1);
    const preview = await patient.getByTestId("preview-message").allTextContents();
    for (const identifier of ["Gonzalez", "Alvarez", "12 Elm Street", "2025-02-18"]) expect(preview[0]).not.toContain(identifier);
    expect(preview[0]).toContain("150/95 mmHg");
    const name = /\[NAME_\d+\]/.exec(preview[0]!)?.[0];
    expect(name).toBeDefined();
    await shot(patient, "patient-assistant-preview.png");

    // The model answers with a placeholder it was sent: the patient reads the name, the server never had it.
    const before = fake.requests.length;
    fake.reply({ kind: "stream", chunks: [`${name} should`, " have it checked again", " within a week."] });
    await patient.getByRole("button", { name: "Send this to the assistant" }).click();
    await expect.poll(() => visibleText(patient, "history-assistant"), { timeout: 30_000 }).toMatch(/within a week\.$/);
    expect(fake.requests.length).toBe(before + 1);
    const received = fake.requests.at(-1)!.body.messages;
    expect(received[0]!.role).toBe("system");
    expect(received.slice(1).map((m) => m.content)).toEqual(preview);
    expect(JSON.stringify(received)).not.toMatch(/Gonzalez|Alvarez|Elm Street|2025-02-18/);
    const answer = await visibleText(patient, "history-assistant");
    expect(answer).not.toContain(name!);
    expect(answer).toMatch(/^Assistant: (Maria|Maria Gonzalez|Alvarez|Dr\. Alvarez) should have it checked again within a week\.$/);
    expect(await patient.getByRole("alert").count()).toBe(0);
    await shot(patient, "patient-assistant.png");
    problems.push(...(await pageProblems(patient, "patient assistant")));
  });

  it("left no page errors and no accessibility problems on the new pages", () => {
    expect(pageErrors).toEqual([]);
    expect(problems).toEqual([]);
  });
});
