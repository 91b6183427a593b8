// Upload figures for `npm run bench:web`, on a fresh local platform, in Chromium (encrypt and hash in the
// page's upload worker, add to IPFS, index in Ceramic), timed from the click to the "stored" message:
// - uploadMBps_20MB: median of 3 uploads of 20 MB, each timed by the page's clock from the click to the
//   frame that shows the "stored" message (see uploadSeconds); nodeUploadMBps_20MB: the same file through the sdk's
//   pipeline in Node (RecordVault.addRecord: native SHA-256, same IPFS and Ceramic), median of 3, in the
//   same run; uploadRatioToNode = the first over the second.
// - longestMainThreadTaskMs_200MB: the longest task the page's main thread ran (PerformanceObserver
//   "longtask", tasks over 50 ms) while a 200 MB record uploaded; longestMainThreadTaskMs_idle: the same
//   page signed in and idle for 3 s, as a baseline.
// Runs under vitest (which loads the repository's mixed CommonJS/ESM helpers), only when bench/web.mts
// asks for it through OPENCHART_BENCH_UPLOAD_OUT.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { signInAs } from "../scripts/platform/demo";
import { PATIENT_WALLET, startFullPlatform, type FullPlatform } from "./full-platform.mts";
import { injectTestWallet } from "./test-wallet";

const MB = 1024 * 1024;
const RUNS = 3;
const OUT = process.env.OPENCHART_BENCH_UPLOAD_OUT;

let platform: FullPlatform;
beforeAll(async () => {
  platform = await startFullPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A file of random bytes (nothing compresses or deduplicates between runs). */
function randomFile(name: string, bytes: number): string {
  const file = path.join(platform.work, name);
  const out = fs.openSync(file, "w");
  for (let done = 0; done < bytes; done += 16 * MB) fs.writeSync(out, randomBytes(Math.min(16 * MB, bytes - done)));
  fs.closeSync(out);
  return file;
}

/** What Playwright's `waitFor` saw, per upload, for the log and the record. */
const polled: number[] = [];

interface UploadClock {
  uploadClock: Promise<number>;
}

/**
 * Timed by the page's clock, from the click event to the frame after the "stored" message was written, as
 * `addRecord` is timed in Node. Playwright's `waitFor` saw the message up to 500 ms late (it polls with a
 * backoff of 20, 50, 100, 100, then 500 ms), which made a 1 s upload read as 1 to 1.5 s; its time is logged beside.
 */
async function uploadSeconds(page: Page, file: string, title: string): Promise<number> {
  await page.getByLabel("File").setInputFiles(file);
  await page.getByLabel(/^Title/).fill(title);
  const message = `“${title}” is stored`;
  await page.evaluate((message) => {
    performance.clearMarks();
    (window as unknown as UploadClock).uploadClock = new Promise((resolve) => {
      let clickedAt: number | undefined;
      document.addEventListener("click", (event) => (clickedAt ??= event.timeStamp), { capture: true, once: true });
      const observer = new MutationObserver(() => {
        if (clickedAt === undefined || !document.querySelector('[data-testid="upload-outcome"]')?.textContent?.includes(message)) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve((performance.now() - clickedAt!) / 1000));
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }, message);
  const started = performance.now();
  await page.getByRole("button", { name: "Encrypt and upload" }).click();
  await page.getByTestId("upload-outcome").filter({ hasText: message }).waitFor({ timeout: 600_000 });
  const polledSeconds = (performance.now() - started) / 1000;
  const seconds = await page.evaluate(() => (window as unknown as UploadClock).uploadClock);
  // Where the time went, from the page's marks (encrypting, uploading, indexing, anchoring, done).
  const stages = await page.evaluate(() => {
    const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("openchart-upload:"));
    return marks.slice(0, -1).map((m, i) => `${m.name.split(":")[1]} ${Math.round(marks[i + 1]!.startTime - m.startTime)} ms`);
  });
  console.log(`${title}: ${seconds.toFixed(2)} s, seen by Playwright after ${polledSeconds.toFixed(2)} s (${stages.join(", ")})`);
  polled.push(polledSeconds);
  // The page's span lies inside the one Playwright saw (which also holds the click's own checks).
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(polledSeconds);
  return seconds;
}

interface LongTasks {
  longest: number;
  /** Every long task with the upload stage it fell in (the page's performance marks), for the log. */
  tasks: string[];
}

/** Starts collecting the page's long tasks; the returned function stops and gives the longest (0 if none). */
async function watchLongTasks(page: Page): Promise<() => Promise<LongTasks>> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: PerformanceEntry[]; longTaskObserver: PerformanceObserver };
    w.longTasks = [];
    w.longTaskObserver = new PerformanceObserver((list) => {
      w.longTasks.push(...list.getEntries());
    });
    w.longTaskObserver.observe({ type: "longtask" });
  });
  return () =>
    page.evaluate(() => {
      const w = window as unknown as { longTasks: PerformanceEntry[]; longTaskObserver: PerformanceObserver };
      w.longTasks.push(...w.longTaskObserver.takeRecords());
      w.longTaskObserver.disconnect();
      const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("openchart-upload:"));
      const stageAt = (time: number) => marks.filter((m) => m.startTime <= time).at(-1)?.name.split(":")[1] ?? "before";
      return {
        longest: Math.max(0, ...w.longTasks.map((t) => t.duration)),
        tasks: w.longTasks.map((t) => `${Math.round(t.duration)} ms (${stageAt(t.startTime)})`),
      };
    });
}

it("uploads from Chromium and from Node, and watches the page's main thread during 200 MB", { timeout: 1_800_000 }, async () => {
  const page = await platform.browser.newPage();
  await injectTestWallet(page, { rpcUrl: platform.chainUrl, headers: platform.chainHeaders, address: PATIENT_WALLET.address.toLowerCase(), name: "Patient Wallet" });
  await page.goto(`${platform.url}#/patient`);
  await page.getByRole("button", { name: "Connect Patient Wallet" }).click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in").waitFor({ timeout: 120_000 });

  const size = 20 * MB;
  const browserSeconds: number[] = [];
  for (let run = 0; run < RUNS; run++) browserSeconds.push(await uploadSeconds(page, randomFile(`scan-${run}.bin`, size), `bench ${run}`));

  // The same pipeline in Node, on the same platform and file size, interleaved in the same run.
  const { vault } = await signInAs(DEV_ACCOUNTS[4].key, platform.endpoints);
  const nodeSeconds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const file = randomFile(`node-${run}.bin`, size);
    const started = performance.now();
    await vault.addRecord({ content: fs.createReadStream(file, { highWaterMark: 4 * MB }), size, title: `node ${run}`, mediaType: "application/octet-stream" });
    nodeSeconds.push((performance.now() - started) / 1000);
  }

  const idle = await watchLongTasks(page);
  await page.waitForTimeout(3_000);
  const idleLongest = (await idle()).longest;
  const large = randomFile("large.bin", 200 * MB);
  const during = await watchLongTasks(page);
  const largeSeconds = await uploadSeconds(page, large, "bench 200 MB");
  const { longest, tasks } = await during();
  console.log(`long tasks during the 200 MB upload: ${tasks.join(", ") || "none"}`);

  const browserMBps = size / 1e6 / median(browserSeconds);
  const nodeMBps = size / 1e6 / median(nodeSeconds);
  const figures = {
    uploadMBps_20MB: round(browserMBps),
    uploadSeconds_20MB: round(median(browserSeconds), 2),
    // The same uploads as Playwright's polling saw them (the figure's earlier method), for comparison.
    uploadSecondsPolled_20MB: round(median(polled.slice(0, RUNS)), 2),
    nodeUploadMBps_20MB: round(nodeMBps),
    uploadRatioToNode: round(browserMBps / nodeMBps, 2),
    uploadMBps_200MB: round((200 * MB) / 1e6 / largeSeconds),
    longestMainThreadTaskMs_200MB: Math.round(longest),
    longestMainThreadTaskMs_idle: Math.round(idleLongest),
  };
  expect(figures.uploadMBps_20MB).toBeGreaterThan(0);
  if (OUT) fs.writeFileSync(OUT, JSON.stringify(figures));
});
