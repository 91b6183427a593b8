// uploadMBps_20MB for `npm run bench:web`: a 20 MB file through the patient view in Chromium (encrypt in
// the browser, add to IPFS, index in Ceramic), on a fresh local platform, timed from the click to the
// "stored" message; median of 3. Runs under vitest (which loads the repository's mixed CommonJS/ESM
// helpers), only when bench/web.mts asks for it through OPENCHART_BENCH_UPLOAD_OUT.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PATIENT_WALLET, startFullPlatform, type FullPlatform } from "./full-platform.mts";
import { injectTestWallet } from "./test-wallet";

const SIZE = 20 * 1024 * 1024;
const RUNS = 3;
const OUT = process.env.OPENCHART_BENCH_UPLOAD_OUT;

let platform: FullPlatform;
beforeAll(async () => {
  platform = await startFullPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

it("uploads a 20 MB record from Chromium", { timeout: 600_000 }, async () => {
  const page = await platform.browser.newPage();
  await injectTestWallet(page, { rpcUrl: platform.chainUrl, headers: platform.chainHeaders, address: PATIENT_WALLET.address.toLowerCase(), name: "Patient Wallet" });
  await page.goto(`${platform.url}#/patient`);
  await page.getByRole("button", { name: "Connect Patient Wallet" }).click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in").waitFor({ timeout: 60_000 });
  const seconds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Random bytes: nothing compresses or deduplicates between runs.
    const file = path.join(platform.work, `scan-${run}.bin`);
    fs.writeFileSync(file, randomBytes(SIZE));
    await page.getByLabel("File").setInputFiles(file);
    await page.getByLabel(/^Title/).fill(`bench ${run}`);
    const started = performance.now();
    await page.getByRole("button", { name: "Encrypt and upload" }).click();
    await page.getByTestId("upload-outcome").filter({ hasText: `“bench ${run}” is stored` }).waitFor({ timeout: 300_000 });
    seconds.push((performance.now() - started) / 1000);
  }
  const median = [...seconds].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  const figures = { uploadMBps_20MB: Math.round((SIZE / 1e6 / median) * 10) / 10, uploadSeconds_20MB: Math.round(median * 100) / 100 };
  expect(figures.uploadMBps_20MB).toBeGreaterThan(0);
  if (OUT) fs.writeFileSync(OUT, JSON.stringify(figures));
});
