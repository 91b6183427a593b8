// The records pages in Chromium on a fresh local platform: a timeline of several kinds of record
// (search, filters, sort), and the viewer drawing each kind from decrypted bytes, where nothing a record
// holds ever runs: an HTML record's scripts, event handlers, form and meta refresh, an SVG's scripts and a
// PDF's JavaScript action all stay inert (no dialog, no request to the canary server). Every records
// page passes axe at both widths.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptionKeyFromProvider } from "@openchart/sdk";
import { privateKeyProvider, RecordVault, signInWithEthereum } from "@openchart/sdk/vault";
import { signInAs } from "../scripts/platform/demo";
import { sharedPlatform, type DevAccount, type FullPlatform } from "./full-platform.mts";
import { pageProblems } from "./page-checks";
import { injectTestWallet } from "./test-wallet";

// This file's own account on the worker's shared platform: its records are written from Node with its wallet-derived key, which the browser then
// adopts on sign-in (see sessions.test.ts), so the timeline starts full without seven uploads.
let PATIENT: DevAccount;
// An account whose records were written but whose published key is missing (see the last test).
let KEYLESS: DevAccount;

let platform: FullPlatform;
let context: BrowserContext;
let page: Page;
let canary: http.Server;
let canaryUrl: string;
const canaryHits: string[] = [];
const dialogs: string[] = [];
const pageErrors: string[] = [];
const ids: Record<string, string> = {};

/** A one-page PDF whose catalog asks to run JavaScript when opened (pdf.js must not). */
function pdfWithScript(text: string): Buffer {
  const content = `BT /F1 24 Tf 30 90 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert('pdf script ran')) >> >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

async function visibleText(testId: string): Promise<string> {
  const target = page.getByTestId(testId);
  if (await target.count()) return (await target.first().textContent()) ?? "";
  return `alerts: ${(await page.getByRole("alert").allTextContents()).join(" | ")}`;
}

async function openRecord(title: string): Promise<void> {
  await page.goto(`${platform.url}#/patient/records/${ids[title]}`);
  await page.getByRole("heading", { level: 1, name: title }).waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  canary = http.createServer((request, response) => {
    canaryHits.push(request.url ?? "");
    response.end("caught");
  });
  await new Promise<void>((resolve) => canary.listen(0, "127.0.0.1", resolve));
  canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;

  platform = await sharedPlatform({ accounts: 2 });
  [PATIENT, KEYLESS] = platform.accounts as [DevAccount, DevAccount];
  const { vault } = await signInAs(PATIENT.key, platform.endpoints);
  const add = async (title: string, mediaType: string, content: Uint8Array | string, category?: string) => {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    ids[title] = (await vault.addRecord({ content: bytes, title, mediaType, ...(category ? { category } : {}) })).id;
  };
  await add(
    "Discharge letter",
    "text/html",
    `<h1>Discharge letter</h1><p>Recovered well.</p>
     <script>alert("record script ran"); fetch("${canaryUrl}/fetch");</script>
     <img src="x" onerror="alert('onerror ran')"><img src="${canaryUrl}/img" alt="">
     <meta http-equiv="refresh" content="0;url=${canaryUrl}/refresh">
     <form action="${canaryUrl}/form" method="post"><button>Send</button></form>`,
    "18842-5",
  );
  await add(
    "Chest X-ray",
    "image/svg+xml",
    `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" onload="alert('svg onload ran')"><script>alert("svg script ran")</script><rect width="120" height="80" fill="#336"/></svg>`,
    "18748-4",
  );
  await add("Lab results", "text/csv", "analyte,value,unit\nHaemoglobin,13.5,g/dL\nFerritin,80,ng/mL\n", "11502-2");
  await add(
    "Haemoglobin observation",
    "application/fhir+json",
    JSON.stringify({ resourceType: "Observation", id: "hb-1", status: "final", code: { text: "Haemoglobin" }, valueQuantity: { value: 13.5, unit: "g/dL" } }),
    "11502-2",
  );
  await add("Referral", "application/pdf", pdfWithScript("Referral letter"), "11488-4");
  await add("Vaccination card photo", "image/png", fs.readFileSync(path.resolve(__dirname, "../docs/screenshots/issuer.png")), "11369-6");
  await add("Diary", "text/plain", "Felt better today.\n<script>alert('not a script here')</script>\n");

  context = await platform.browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await injectTestWallet(page, { rpcUrl: platform.chainUrl, headers: platform.chainHeaders, address: PATIENT.address.toLowerCase(), name: "Patient Wallet" });
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await platform?.stop();
  await new Promise((resolve) => canary?.close(resolve));
});

describe("records timeline and viewer, in Chromium", () => {
  it("signs in and lists the seven records, their headers opened in the browser", async () => {
    await page.goto(`${platform.url}#/patient`);
    await page.getByRole("button", { name: "Connect Patient Wallet" }).click();
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(async () => (await visibleText("records-count")).trim(), { timeout: 90_000 }).toBe("7 records.");
  });

  it("searches the decrypted titles, filters by category and type, and sorts", async () => {
    const titles = () => page.getByTestId("record").getByRole("link").allTextContents();
    await page.getByLabel("Search titles").fill("XRAY");
    await expect.poll(async () => (await visibleText("records-count")).trim()).toBe("0 of 7 records match. Clear filters");
    await page.getByLabel("Search titles").fill("x-ray");
    await expect.poll(titles).toEqual(["Chest X-ray"]);
    // Category labels are searched too.
    await page.getByLabel("Search titles").fill("laboratory");
    await expect.poll(titles).toEqual(["Haemoglobin observation", "Lab results"]);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByLabel("Category", { exact: true }).selectOption({ label: "Laboratory report" });
    await page.getByLabel("Type", { exact: true }).selectOption({ label: "Table (CSV)" });
    await expect.poll(titles).toEqual(["Lab results"]);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByLabel("Sort", { exact: true }).selectOption({ label: "Title" });
    await expect.poll(titles).toEqual([
      "Chest X-ray",
      "Diary",
      "Discharge letter",
      "Haemoglobin observation",
      "Lab results",
      "Referral",
      "Vaccination card photo",
    ]);
    await page.getByLabel("Sort", { exact: true }).selectOption({ label: "Oldest first" });
    await expect.poll(async () => (await titles())[0]).toBe("Discharge letter");
    // By date: one heading per day the records were added.
    expect(await page.getByTestId("records").getByRole("heading", { level: 3 }).count()).toBeGreaterThanOrEqual(1);
  });

  it("shows a web-page record without running anything in it: no script, handler, form or refresh", async () => {
    await openRecord("Discharge letter");
    const frame = page.locator("iframe");
    await frame.waitFor({ timeout: 30_000 });
    expect(await frame.getAttribute("sandbox")).toBe("");
    await expect.poll(() => page.frameLocator("iframe").getByRole("heading", { name: "Discharge letter" }).count(), { timeout: 15_000 }).toBe(1);
    // Its form, if submitted, goes nowhere either.
    await page.frameLocator("iframe").getByRole("button", { name: "Send" }).click({ timeout: 5_000 }).catch(() => undefined);
    await page.waitForTimeout(1_500);
    expect(dialogs).toEqual([]);
    expect(canaryHits).toEqual([]);
  });

  it("shows an SVG through <img> (its scripts never run), a PNG, and a PDF whose JavaScript never runs", async () => {
    await openRecord("Chest X-ray");
    const svg = page.getByTestId("viewer").getByRole("img");
    await expect.poll(() => svg.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBe(120);
    expect(await svg.getAttribute("src")).toMatch(/^blob:/);

    await openRecord("Vaccination card photo");
    const png = page.getByTestId("viewer").getByRole("img");
    await expect.poll(() => png.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(100);

    await openRecord("Referral");
    const canvas = page.getByRole("img", { name: "Referral, page 1 of 1" });
    await canvas.waitFor({ timeout: 60_000 });
    // The page was drawn: the text left dark pixels on the white page.
    await expect
      .poll(
        () =>
          canvas.evaluate((c: HTMLCanvasElement) => {
            const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
            let dark = 0;
            for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
            return dark;
          }),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(50);
    await page.waitForTimeout(1_000);
    expect(dialogs).toEqual([]);
    expect(canaryHits).toEqual([]);
  });

  it("shows a CSV as a table, FHIR JSON with its summary, and text as text", async () => {
    await openRecord("Lab results");
    await expect.poll(() => visibleText("csv-table"), { timeout: 30_000 }).toMatch(/^Lab results: 2 rows/);
    expect(await page.getByTestId("csv-table").locator("th").allTextContents()).toEqual(["analyte", "value", "unit"]);
    expect(await page.getByTestId("csv-table").locator("tbody tr").first().locator("td").allTextContents()).toEqual(["Haemoglobin", "13.5", "g/dL"]);

    await openRecord("Haemoglobin observation");
    await expect.poll(() => visibleText("fhir-summary"), { timeout: 30_000 }).toMatch(/FHIR resource\s*Observation \(hb-1\)\s*status\s*final/);

    await openRecord("Diary");
    await expect.poll(() => page.getByTestId("viewer").locator("pre").textContent(), { timeout: 30_000 }).toContain("<script>alert('not a script here')</script>");
    expect(dialogs).toEqual([]);
  });

  it("keeps the download, with the same bytes", async () => {
    await openRecord("Lab results");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download “Lab results”" }).click()]);
    const saved = path.join(platform.work, "lab.csv");
    await download.saveAs(saved);
    expect(fs.readFileSync(saved, "utf8")).toBe("analyte,value,unit\nHaemoglobin,13.5,g/dL\nFerritin,80,ng/mL\n");
  });

  it("opens the records of an account whose published key went missing, with the wallet-derived key they were written under", async () => {
    // What a dropped profile write leaves (a loaded node lost 3 of 64 just-published profiles, and a full run
    // once showed "7 of your records could not be opened"): records under the wallet-derived key, no profile.
    // The first sign-in took that for a new user and published a new key that opens none of them.
    const provider = privateKeyProvider(KEYLESS.key, 31337);
    const [session, encryptionKey] = await Promise.all([
      signInWithEthereum(provider, { appName: new URL(platform.url).host }),
      encryptionKeyFromProvider(provider, { address: provider.address, chainId: 31337 }),
    ]);
    const vault = new RecordVault({ did: session.did, encryptionKey, ceramicUrl: platform.endpoints.ceramic, ipfsUrl: platform.endpoints.ipfs });
    await vault.addRecord({ content: new TextEncoder().encode("Written before the key went missing.\n"), title: "Old note", mediaType: "text/plain" });

    const keyless = await platform.browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const tab = await keyless.newPage();
      await injectTestWallet(tab, { rpcUrl: platform.chainUrl, headers: platform.chainHeaders, address: KEYLESS.address.toLowerCase(), name: "Patient Wallet" });
      await tab.goto(`${platform.url}#/patient`);
      await tab.getByRole("button", { name: "Connect Patient Wallet" }).click();
      await tab.getByRole("button", { name: "Sign in" }).click();
      const shown = async () => {
        const count = tab.getByTestId("records-count");
        const alerts = (await tab.getByRole("alert").allTextContents()).join(" | ");
        return `${(await count.count()) ? await count.textContent() : ""} [alerts: ${alerts}]`;
      };
      await expect.poll(shown, { timeout: 90_000 }).toMatch(/^1 record\. \[alerts: \]$/);
      expect(await vault.encryptionKeyDidOf(vault.account)).toBe(encryptionKey.did);
    } finally {
      await keyless.close().catch(() => undefined);
    }
  });

  it("every records page passes axe at 1100 and 375 px and never scrolls sideways", async () => {
    const problems: string[] = [];
    await page.goto(`${platform.url}#/patient`);
    await page.getByTestId("records").waitFor({ timeout: 30_000 });
    problems.push(...(await pageProblems(page, "records timeline")));
    for (const title of Object.keys(ids)) {
      await openRecord(title);
      await page.getByTestId("viewer").waitFor({ timeout: 60_000 });
      await page.waitForTimeout(500);
      problems.push(...(await pageProblems(page, title)));
    }
    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
