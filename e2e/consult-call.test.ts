// The video consult on `npm start -- --demo`'s platform, in Chromium with fake cameras: the demo patient and
// doctor join the call from their pages, each decodes the other's video (getStats framesDecoded, shown on
// the page), they chat end to end encrypted (a message sent while the doctor is away arrives when they
// rejoin), and the patient's revoke during the call ends it for the doctor, whose next join is refused at
// the socket. One platform, one walk through the story.
import path from "node:path";
import fs from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCTOR_WALLET, PATIENT_WALLET, startFullPlatform, type FullPlatform } from "./full-platform.mts";
import { pageProblems } from "./page-checks";
import { ARTIFACTS } from "./screenshots";
import { newDevice, signInAt, visibleText, walletTab } from "./wallet-pages";

let platform: FullPlatform;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let patient: Page;
let doctor: Page;

const framesOf = async (page: Page) => Number((await visibleText(page, "call-stats")).match(/(\d+) frames/)?.[1] ?? 0);
const callState = (page: Page) => visibleText(page, "call-state");
const chatOf = (page: Page) => visibleText(page, "chat-messages");

async function say(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

beforeAll(async () => {
  platform = await startFullPlatform({ demo: true, fakeMedia: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  patient = await walletTab(platform, await newDevice(platform, contexts), PATIENT_WALLET.address, "Patient Wallet", pageErrors);
  doctor = await walletTab(platform, await newDevice(platform, contexts), DOCTOR_WALLET.address, "Doctor Wallet", pageErrors);
  // A network change, as the test stages it: the page's sockets are kept where the test can drop them, and
  // the offers its peer connections make are noted (an ICE restart shows as { iceRestart: true }).
  for (const page of [patient, doctor]) {
    await page.addInitScript(() => {
      const seen = window as unknown as { sockets: WebSocket[]; offers: (RTCOfferOptions | undefined)[] };
      seen.sockets = [];
      seen.offers = [];
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          seen.sockets.push(this);
        }
      };
      const createOffer = RTCPeerConnection.prototype.createOffer as (options?: RTCOfferOptions) => Promise<RTCSessionDescriptionInit>;
      RTCPeerConnection.prototype.createOffer = function (this: RTCPeerConnection, options?: RTCOfferOptions) {
        seen.offers.push(options);
        return createOffer.call(this, options);
      } as typeof RTCPeerConnection.prototype.createOffer;
    });
  }
  // The call's own warnings (a refused candidate, a message that did not open) show in the test's output.
  for (const [name, page] of [["patient", patient], ["doctor", doctor]] as const) {
    page.on("console", (message) => {
      if (message.text().startsWith("consult:")) console.log(`${name} console: ${message.text()}`);
    });
  }
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.stop();
});

describe("a video consult between the demo patient and doctor", () => {
  it("the doctor presents the license and waits in the waiting room; the patient joins; both see each other's video", async () => {
    await signInAt(platform, doctor, "#/doctor/license", "Doctor Wallet");
    await doctor.getByRole("button", { name: "Present license DEMO-0001" }).click();
    await expect.poll(() => visibleText(doctor, "license-verified"), { timeout: 30_000 }).toContain("DEMO-0001");
    await doctor.getByRole("navigation", { name: "Doctor pages" }).getByRole("link", { name: "Shared with you", exact: true }).click();
    await doctor.getByRole("button", { name: "Refresh" }).click();
    const doctorJoin = doctor.getByRole("button", { name: "Join the video call" });
    await doctorJoin.waitFor({ timeout: 60_000 });
    await doctorJoin.click();
    await expect.poll(() => callState(doctor), { timeout: 30_000 }).toBe("Waiting room: waiting for the patient to join.");

    await signInAt(platform, patient, "#/patient/sharing", "Patient Wallet");
    const patientJoin = patient.getByRole("button", { name: "Join the video call" });
    await patientJoin.waitFor({ timeout: 60_000 });
    await patientJoin.click();
    for (const [page, other] of [[patient, "doctor"], [doctor, "patient"]] as const) {
      await expect.poll(() => callState(page), { timeout: 30_000 }).toBe(`In the call with the ${other}.`);
      await expect.poll(() => framesOf(page), { timeout: 30_000 }).toBeGreaterThan(0);
    }
    // Mute and camera off change what is sent, and say so.
    await patient.getByRole("button", { name: "Mute" }).click();
    await patient.getByRole("button", { name: "Turn camera off" }).click();
    expect(await patient.getByRole("region", { name: "Video consult with the doctor" }).textContent()).toContain("You (camera off) (muted)");
    await patient.getByRole("button", { name: "Unmute" }).click();
    await patient.getByRole("button", { name: "Turn camera on" }).click();
    await patient.screenshot({ path: path.join(ARTIFACTS, "consult-patient.png"), fullPage: true });
  });

  it("they chat end to end encrypted, and a message sent while the doctor is away arrives when they rejoin", async () => {
    await say(patient, "Hello doctor, the rash is on my left arm.");
    await expect.poll(() => chatOf(doctor), { timeout: 15_000 }).toContain("The patient, ");
    expect(await chatOf(doctor)).toContain("the rash is on my left arm");
    await say(doctor, "Please hold it up to the camera.");
    await expect.poll(() => chatOf(patient), { timeout: 15_000 }).toContain("Please hold it up to the camera.");
    await doctor.screenshot({ path: path.join(ARTIFACTS, "consult-doctor.png"), fullPage: true });

    // The patient's connection to the API drops (a network change): the page reconnects on its own, and the
    // doctor, seeing the same browser back, restarts ICE on the running connection instead of a new call.
    const restartsBefore = await doctor.evaluate(() => (window as unknown as { offers: (RTCOfferOptions | undefined)[] }).offers.filter((o) => o?.iceRestart).length);
    await patient.evaluate(() => (window as unknown as { sockets: WebSocket[] }).sockets.at(-1)!.close());
    await expect.poll(() => callState(patient), { timeout: 15_000 }).not.toBe("In the call with the doctor.");
    await expect.poll(() => callState(patient), { timeout: 30_000 }).toBe("In the call with the doctor.");
    await expect.poll(() => doctor.evaluate(() => (window as unknown as { offers: (RTCOfferOptions | undefined)[] }).offers.filter((o) => o?.iceRestart).length)).toBe(restartsBefore + 1);
    const framesBefore = await framesOf(patient);
    await expect.poll(() => framesOf(patient), { timeout: 15_000 }).toBeGreaterThan(framesBefore);

    await doctor.getByRole("button", { name: "Hang up" }).click();
    expect(await callState(doctor)).toBe("You left the call.");
    await expect.poll(() => callState(patient), { timeout: 15_000 }).toBe("Waiting room: waiting for the doctor to join.");
    await say(patient, "Sent while you were away.");
    await expect.poll(() => visibleText(patient, "chat-pending").catch(() => "")).not.toMatch(/^Sending/);
    await doctor.getByRole("button", { name: "Join the video call again" }).click();
    await expect.poll(() => chatOf(doctor), { timeout: 30_000 }).toContain("Sent while you were away.");
    await expect.poll(() => callState(doctor), { timeout: 30_000 }).toBe("In the call with the patient.");
    await expect.poll(() => framesOf(doctor), { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await pageProblems(doctor, "doctor in a call")).concat(await pageProblems(patient, "patient in a call"))).toEqual([]);
  });

  it("the patient revokes during the call: the doctor's call ends, and joining again is refused", async () => {
    await patient.getByRole("button", { name: /^Revoke access of / }).click();
    await patient.getByRole("button", { name: "Revoke access", exact: true }).click();
    await expect.poll(() => visibleText(patient, "grants-status"), { timeout: 60_000 }).toContain("Access revoked");
    await expect.poll(() => callState(doctor), { timeout: 30_000 }).toBe("The call ended: The patient revoked this consent.");
    await doctor.getByRole("button", { name: "Join the video call again" }).click();
    await expect.poll(() => callState(doctor), { timeout: 30_000 }).toBe("The call ended: The patient revoked this consent.");
    expect(pageErrors).toEqual([]);
  });
});
