// The browser keyring in a real Chromium: the device key lives in IndexedDB, cannot be exported, and
// still opens the master after a reload (what keeps a known device free of wallet prompts).
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowserPage, type BrowserPage } from "@openchart/testkit/browser-page";
import type * as Api from "./index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
declare global {
  var openchartKeys: typeof Api;
}
const entry = `import * as api from "./index.js"; globalThis.openchartKeys = api;`;
const did = "did:pkh:eip155:31337:0x" + "ab".repeat(20);

let browserPage: BrowserPage;
let page: Page;

beforeAll(async () => {
  browserPage = await openBrowserPage(entry, here, "openchartKeys");
  ({ page } = browserPage);
}, 60_000);

afterAll(async () => {
  await browserPage?.close();
});

describe("device keyring in a browser (Chromium, IndexedDB)", () => {
  it("bundles without Node built-ins", () => {
    expect(browserPage.bundleInputs.filter((input) => input.startsWith("node:"))).toEqual([]);
  });

  it("keeps a non-extractable device key, and opens the master again after a reload", async () => {
    const made = await page.evaluate(async (did) => {
      const keys = openchartKeys;
      const keyring = keys.browserDeviceKeyring();
      const master = keys.newMasterKey();
      await keys.rememberOnDevice(keyring, did, master);
      const key = await keyring.deviceKey();
      const exported = await crypto.subtle.exportKey("raw", key).then(() => "exported", () => "refused");
      return { secret: Array.from(master.secret), extractable: key.extractable, exported, copy: JSON.stringify(await keyring.load(did)) };
    }, did);
    expect(made).toMatchObject({ extractable: false, exported: "refused" });
    expect(made.copy).not.toContain(Buffer.from(made.secret).toString("hex"));

    await page.reload();
    await page.waitForFunction(() => "openchartKeys" in globalThis);
    const opened = await page.evaluate(async (did) => {
      const master = await openchartKeys.unlockOnDevice(openchartKeys.browserDeviceKeyring(), did);
      return master && Array.from(master.secret);
    }, did);
    expect(opened).toEqual(made.secret);

    const forgotten = await page.evaluate(async (did) => {
      const keyring = openchartKeys.browserDeviceKeyring();
      await keyring.forget(did);
      return openchartKeys.unlockOnDevice(keyring, did);
    }, did);
    expect(forgotten).toBeNull();
  });
});
