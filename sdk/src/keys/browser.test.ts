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

  it("keeps a non-extractable device key and its ID, and opens the master again after a reload", async () => {
    const made = await page.evaluate(async (did) => {
      const keys = openchartKeys;
      const keyring = keys.browserDeviceKeyring();
      const master = keys.newMasterKey();
      const blob = JSON.stringify(await keys.wrapForDevice(keyring, did, master));
      const key = await keyring.deviceKey();
      const exported = await crypto.subtle.exportKey("raw", key).then(() => "exported", () => "refused");
      return { secret: Array.from(master.secret), extractable: key.extractable, exported, blob, id: await keyring.deviceId() };
    }, did);
    expect(made).toMatchObject({ extractable: false, exported: "refused", id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(made.blob).not.toContain(Buffer.from(made.secret).toString("hex"));

    await page.reload();
    await page.waitForFunction(() => "openchartKeys" in globalThis);
    const opened = await page.evaluate(async ({ did, blob }) => {
      const keyring = openchartKeys.browserDeviceKeyring();
      const master = await openchartKeys.unlockWithDevice(keyring, did, blob);
      return { secret: master && Array.from(master.secret), id: await keyring.deviceId() };
    }, { did, blob: made.blob });
    expect(opened).toEqual({ secret: made.secret, id: made.id });

    // Another browser profile (a fresh database) has another key and ID: the entry opens nothing there.
    const elsewhere = await page.evaluate(async ({ did, blob }) => {
      const keyring = openchartKeys.browserDeviceKeyring("another-profile");
      return { master: await openchartKeys.unlockWithDevice(keyring, did, blob), id: await keyring.deviceId() };
    }, { did, blob: made.blob });
    expect(elsewhere.master).toBeNull();
    expect(elsewhere.id).not.toBe(made.id);
  });

  it("drops the master copies the first version kept in IndexedDB", async () => {
    const left = await page.evaluate(async () => {
      const name = "openchart-keys-v1";
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.open(name, 1);
        req.onupgradeneeded = () => {
          req.result.createObjectStore("device-key").put("old key", "key");
          req.result.createObjectStore("masters").put({ old: "copy" }, "did:pkh:eip155:31337:0xab");
        };
        req.onsuccess = () => (req.result.close(), resolve());
        req.onerror = () => reject(req.error);
      });
      await openchartKeys.browserDeviceKeyring(name).deviceId();
      return new Promise<string[]>((resolve) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => {
          const db = req.result;
          const stores = Array.from(db.objectStoreNames);
          const keys = db.transaction("device-key").objectStore("device-key").getAllKeys();
          keys.onsuccess = () => (db.close(), resolve([...stores, ...keys.result.map(String)]));
        };
      });
    });
    expect(left).toEqual(["device-key", "device"]);
  });
});
