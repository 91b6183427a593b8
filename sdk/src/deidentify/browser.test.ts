// The de-identifier in a real browser (Chromium, no Node built-ins): the same module the web app bundles,
// giving the same placeholders as in Node. Chromium comes from the test kit (`npm test` installs it).
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowserPage, type BrowserPage } from "@openchart/testkit/browser-page";
import { Deidentifier } from "./deidentifier.js";

const here = fileURLToPath(new URL(".", import.meta.url));
declare global {
  var deidentify: { Deidentifier: typeof Deidentifier };
}

const NOTE =
  "Patient Maria Gonzalez, born 03/14/1962, MRN 00458812, lives at 42 Elm Street, Springfield IL 62704, phone (217) 555-0142. " +
  "Seen by Dr. John Smith at St. Mary's Hospital for Parkinson's disease; metformin 500 mg. Su hija Ana vive en Sevilla.";

let browserPage: BrowserPage;
let page: Page;

beforeAll(async () => {
  browserPage = await openBrowserPage(`import { Deidentifier } from "./index.js"; globalThis.deidentify = { Deidentifier };`, here, "deidentify");
  page = browserPage.page;
}, 60_000);

afterAll(async () => {
  await browserPage?.close();
});

describe("de-identification in a browser (Chromium)", () => {
  it("bundles without Node built-ins or network access", () => {
    expect(browserPage.bundleInputs.filter((input) => input.startsWith("node:"))).toEqual([]);
  });

  it("removes the same spans with the same placeholders as in Node, and maps them back", async () => {
    const inBrowser = await page.evaluate((note) => {
      const conversation = new deidentify.Deidentifier({ dateShiftDays: 21 });
      const { text } = conversation.deidentify(note);
      return { text, back: conversation.reidentify(text) };
    }, NOTE);
    const inNode = new Deidentifier({ dateShiftDays: 21 }).deidentify(NOTE).text;
    expect(inBrowser.text).toBe(inNode);
    expect(inBrowser.text).not.toMatch(/Maria|Gonzalez|03\/14|00458812|Elm|Springfield|62704|555-0142|John|Smith|Mary|Ana|Sevilla/);
    expect(inBrowser.text).toContain("Parkinson's disease; metformin 500 mg");
    expect(inBrowser.back).toBe(NOTE);
  });
});
