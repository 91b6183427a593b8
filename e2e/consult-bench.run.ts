// Call setup in Chromium (part of `npm run bench:consult`, through bench/consult/call-setup.mts): on `npm start -- --demo`'s platform with fake
// cameras, the demo doctor and patient, signed in on their pages, both press "Join the video call"; the time
// from the presses to the first decoded frame of the other's video on BOTH sides (the remote <video> has a
// frame: readyState >= HAVE_CURRENT_DATA). Both hang up and join again, ROUNDS times. Baseline in the same
// run: a /healthz round trip from the doctor's page. Runs under vitest (which loads the repository's mixed
// CommonJS/ESM helpers), only when OPENCHART_BENCH_CONSULT_OUT names where to write the figures.
import fs from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { it } from "vitest";
import { DOCTOR_WALLET, PATIENT_WALLET, startFullPlatform } from "./full-platform.mts";
import { newDevice, signInAt, walletTab } from "./wallet-pages";

const OUT = process.env.OPENCHART_BENCH_CONSULT_OUT;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

const ROUNDS = Number(process.env.BENCH_CALL_ROUNDS ?? 10);

interface CallSetupFigures {
  callSetupRounds: number;
  callSetupMsP50: number;
  callSetupMsP95: number;
  callSetupHealthzMs: number;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

/** Resolves when the page's remote video shows a frame. */
const firstFrame = (page: Page) =>
  page.waitForFunction(() => ((document.querySelector("[data-testid=remote-video]") as HTMLVideoElement | null)?.readyState ?? 0) >= 2, undefined, { polling: 5, timeout: 30_000 });

async function joinButton(page: Page, again: boolean) {
  const button = page.getByRole("button", { name: again ? "Join the video call again" : "Join the video call", exact: true });
  await button.waitFor({ timeout: 60_000 });
  return button;
}

async function measureCallSetup(): Promise<CallSetupFigures> {
  const platform = await startFullPlatform({ demo: true, fakeMedia: true });
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];
  try {
    const doctor = await walletTab(platform, await newDevice(platform, contexts), DOCTOR_WALLET.address, "Doctor Wallet", errors);
    const patient = await walletTab(platform, await newDevice(platform, contexts), PATIENT_WALLET.address, "Patient Wallet", errors);
    await signInAt(platform, doctor, "#/doctor/license", "Doctor Wallet");
    await doctor.getByRole("button", { name: "Present license DEMO-0001" }).click();
    await doctor.getByTestId("license-verified").waitFor({ timeout: 30_000 });
    await doctor.getByRole("navigation", { name: "Doctor pages" }).getByRole("link", { name: "Shared with you", exact: true }).click();
    await signInAt(platform, patient, "#/patient/sharing", "Patient Wallet");
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const again = round > 0;
      const [d, p] = [await joinButton(doctor, again), await joinButton(patient, again)];
      const start = performance.now();
      await Promise.all([d.click(), p.click()]);
      await Promise.all([firstFrame(doctor), firstFrame(patient)]).catch(async (error: unknown) => {
        const state = async (page: Page) => `${await page.getByTestId("call-state").textContent()} / ${await page.getByTestId("call-stats").textContent().catch(() => "no stats")}`;
        throw new Error(`round ${round + 1}: doctor "${await state(doctor)}", patient "${await state(patient)}": ${String(error)}`);
      });
      times.push(performance.now() - start);
      console.log(`round ${round + 1}: ${Math.round(times.at(-1)!)} ms`);
      await doctor.getByRole("button", { name: "Hang up" }).click();
      await patient.getByRole("button", { name: "Hang up" }).click();
    }
    const healthz: number[] = [];
    for (let i = 0; i < 50; i++) {
      healthz.push(await doctor.evaluate(async (url) => {
        const start = performance.now();
        await fetch(`${url}/healthz`);
        return performance.now() - start;
      }, platform.endpoints.api));
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
    return { callSetupRounds: ROUNDS, callSetupMsP50: Math.round(median(times)), callSetupMsP95: Math.round(percentile(times, 95)), callSetupHealthzMs: Math.round(median(healthz) * 100) / 100 };
  } finally {
    await platform.stop();
  }
}

it.runIf(OUT)("measures call setup", { timeout: 600_000 }, async () => {
  fs.writeFileSync(OUT!, JSON.stringify(await measureCallSetup()));
});
