// Test helper: bundles a piece of the sdk for the browser (esbuild, no Node built-ins allowed) and
// loads it in Chromium (./chromium.ts) from a loopback server.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { leaseChromium } from "./chromium.js";

export interface BrowserPage {
  page: Page;
  /** Every module the bundle holds: tests assert none is a `node:` built-in. */
  bundleInputs: string[];
  close(): Promise<void>;
}

/**
 * Bundles `entry` (JavaScript resolved from `resolveDir`), serves it in a page, and waits until
 * `readyGlobal` exists on the page's globalThis.
 */
export async function openBrowserPage(entry: string, resolveDir: string, readyGlobal: string): Promise<BrowserPage> {
  const bundle = await build({
    stdin: { contents: entry, resolveDir, sourcefile: "browser-entry.js", loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]!.contents;
  const server = createServer((req, res) => {
    if (req.url === "/bundle.js") res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><script type="module" src="/bundle.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const chromium = await leaseChromium();
  const page = await chromium.browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction((name) => name in globalThis, readyGlobal);
  return {
    page,
    bundleInputs: Object.keys(bundle.metafile.inputs),
    async close() {
      await chromium.release();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
