// Sign-in as the web app does it, in a real browser (Chromium): EthereumWebAuth with an EIP-1193 wallet,
// did-session, then request signing. Node verifies what the browser signed, and the verifier runs there too.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryNonceStore } from "./nonce-store.js";
import { verifySignedRequest } from "./verify-request.js";

const CHROMIUM = process.env.OPENCHART_CHROMIUM ?? "/usr/bin/chromium";
const here = fileURLToPath(new URL(".", import.meta.url));
const AUDIENCE = "https://api.openchart.test";
const RESOURCES = ["ceramic://*", "openchart:api"];

const entry = `
import * as auth from "./index.js";
import { DIDSession } from "did-session";
import { EthereumWebAuth, getAccountId } from "@didtools/pkh-ethereum";
import { Wallet } from "ethers";

globalThis.signInAndSign = async (audience, resources, request) => {
  const wallet = new Wallet("0x" + "22".repeat(32));
  let prompts = 0;
  const inner = auth.walletAsEip1193Provider(wallet, 31337);
  const provider = { request: (args) => (args.method === "personal_sign" && prompts++, inner.request(args)) };
  const authMethod = await EthereumWebAuth.getAuthMethod(provider, await getAccountId(provider, wallet.address));
  const session = await DIDSession.authorize(authMethod, { resources });
  const headers = [];
  for (let i = 0; i < 2; i++) headers.push(await auth.signRequest(session, request, { audience }));
  const here = await auth.verifySignedRequest({ ...request, headers: headers[1] }, {
    domain: location.hostname, audience, resourcesRequired: resources, now: Date.now(), nonceStore: new auth.MemoryNonceStore(),
  });
  return { headers: headers[0], prompts, did: session.id, verifiedInBrowser: here };
};
`;

let server: Server;
let browser: Browser;
let page: Page;
let bundleInputs: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/ci/system-packages.sh (or set OPENCHART_CHROMIUM)`);
  const bundle = await build({
    stdin: { contents: entry, resolveDir: here, sourcefile: "auth-browser-entry.js", loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  bundleInputs = Object.keys(bundle.metafile.inputs);
  const script = bundle.outputFiles[0]!.contents;
  server = createServer((req, res) => {
    if (req.url === "/bundle.js") res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><script type="module" src="/bundle.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => "signInAndSign" in globalThis);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe("session-signed requests from a browser", () => {
  it("bundle without Node built-ins", () => {
    expect(bundleInputs.filter((input) => input.startsWith("node:"))).toEqual([]);
  });

  it("take one wallet signature, verify in Node as the page's did:pkh, and verify in the browser too", async () => {
    const request = { method: "POST", path: "/ai/chat", body: '{"messages":[]}' };
    const signed = await page.evaluate(
      ([audience, resources, request]) =>
        (globalThis as unknown as { signInAndSign: (...args: unknown[]) => Promise<unknown> }).signInAndSign(audience, resources, request),
      [AUDIENCE, RESOURCES, request] as const,
    ) as { headers: Record<string, string>; prompts: number; did: string; verifiedInBrowser: { ok: boolean } };
    expect(signed.prompts).toBe(1);
    expect(signed.verifiedInBrowser.ok).toBe(true);
    const result = await verifySignedRequest(
      { ...request, headers: signed.headers },
      { domain: "127.0.0.1", audience: AUDIENCE, resourcesRequired: RESOURCES, now: Date.now(), nonceStore: new MemoryNonceStore() },
    );
    expect(result).toMatchObject({ ok: true, did: signed.did.toLowerCase(), chainId: 31337 });
    const foreign = await verifySignedRequest(
      { ...request, headers: signed.headers },
      { domain: "app.openchart.test", audience: AUDIENCE, now: Date.now(), nonceStore: new MemoryNonceStore() },
    );
    expect(foreign).toMatchObject({ ok: false, code: "WRONG_DOMAIN" });
  });
});
