// Sign-in as the web app does it, in a real browser (Chromium): EthereumWebAuth with an EIP-1193 wallet,
// did-session, then request signing. Node verifies what the browser signed, and the verifier runs there too.
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowserPage, type BrowserPage } from "@openchart/testkit/browser-page";
import { MemoryNonceStore } from "./nonce-store.js";
import { verifySignedRequest } from "./verify-request.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const AUDIENCE = "https://api.openchart.test";
const RESOURCES = ["ceramic://*", AUDIENCE];

const entry = `
import * as auth from "./index.js";
import { signInWithEthereum } from "../streams/session.js";
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

// As the web app signs in (web/src/lib/session.ts): the sdk's signInWithEthereum.
globalThis.sdkSignIn = async (audience, resources, request) => {
  const wallet = new Wallet("0x" + "33".repeat(32));
  const signedIn = await signInWithEthereum(auth.walletAsEip1193Provider(wallet, 31337), { address: wallet.address, resources });
  const session = await DIDSession.fromSession(signedIn.serialized);
  return { headers: await auth.signRequest(session, request, { audience }), host: location.host, domain: session.cacao.p.domain, exp: session.cacao.p.exp, iat: session.cacao.p.iat };
};
`;

let browserPage: BrowserPage;
let page: Page;
let bundleInputs: string[];

beforeAll(async () => {
  browserPage = await openBrowserPage(entry, here, "signInAndSign");
  ({ page, bundleInputs } = browserPage);
}, 60_000);

afterAll(async () => {
  await browserPage?.close();
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

  it("made by the sdk's signInWithEthereum, sign in for the page's host:port only, within the session maximum", async () => {
    const request = { method: "GET", path: "/auth/me", body: "" };
    const signed = (await page.evaluate(
      ([audience, resources, request]) =>
        (globalThis as unknown as { sdkSignIn: (...args: unknown[]) => Promise<unknown> }).sdkSignIn(audience, resources, request),
      [AUDIENCE, RESOURCES, request] as const,
    )) as { headers: Record<string, string>; host: string; domain: string; exp: string; iat: string };
    expect(signed.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(signed.domain).toBe(signed.host);
    expect(Date.parse(signed.exp) - Date.parse(signed.iat)).toBeLessThanOrEqual(7 * 86_400_000);
    const verify = (domain: string) =>
      verifySignedRequest({ ...request, headers: signed.headers }, { domain, audience: AUDIENCE, resourcesRequired: [AUDIENCE], now: Date.now(), nonceStore: new MemoryNonceStore() });
    expect(await verify(signed.host)).toMatchObject({ ok: true });
    expect(await verify("127.0.0.1")).toMatchObject({ ok: false, code: "WRONG_DOMAIN" });
  });
});
