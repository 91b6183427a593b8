import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveWebApp, type StaticSite } from "./static-site";

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

  it("answers paths it cannot decode or the file system refuses, and stays up", async () => {
    expect((await fetch(`${site.url}%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${site.url}index.html/x.js`)).status).toBe(404);
    expect((await fetch(`${site.url}${"a".repeat(5_000)}.js`)).status).toBe(404);
    expect((await fetch(`${site.url}../../etc/passwd`)).status).not.toBe(500);
    expect((await fetch(`${site.url}`)).status).toBe(200);
  });
});
