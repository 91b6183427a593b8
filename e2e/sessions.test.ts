// Sessions that last (issue 14), in Chromium on a fresh local platform, counting the prompts of the
// injected EIP-6963 wallet: a new user on a new device at most 2; reload, view switch and a second tab 0;
// after "Sign out", a known device 1 for the new session and 0 on reload; a second browser profile (a new
// device) at most 2, and it opens the record the first device wrote (the master comes from the API). A
// wallet-key signature a page of another origin obtains opens nothing, alone or with its own session.
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWrappedMaster, signedFetch, unwrapMaster, walletKeyMessage, walletKeyOf } from "@openchart/sdk";
import { defaultResources, privateKeyProvider, signInWithEthereum } from "@openchart/sdk/vault";
import { DIDSession } from "did-session";
import { Wallet } from "ethers";
import { signInAs } from "../scripts/platform/demo";
import { sharedPlatform, type DevAccount, type FullPlatform } from "./full-platform.mts";
import { walletPrompts } from "./test-wallet";
import { newDevice as newProfile, recordsListed as listed, signedIn, signInAt, visibleText, walletTab } from "./wallet-pages";

const TITLE = "Vaccination card";
let platform: FullPlatform;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let device: BrowserContext;
let tab: Page;
// This file's own accounts on the worker's shared platform: the patient, and the "existing user" of the last test.
let PATIENT_WALLET: DevAccount;
let LEGACY_USER: DevAccount;

const openTab = (context: BrowserContext, address: string = PATIENT_WALLET.address): Promise<Page> => walletTab(platform, context, address, "Patient Wallet", pageErrors);
const newDevice = () => newProfile(platform, contexts);
const signIn = (page: Page) => signInAt(platform, page, "#/patient", "Patient Wallet");
const recordsListed = (page: Page, title = TITLE) => listed(page, title);

beforeAll(async () => {
  platform = await sharedPlatform({ accounts: 2 });
  [PATIENT_WALLET, LEGACY_USER] = platform.accounts as [DevAccount, DevAccount];
  device = await newDevice();
  tab = await openTab(device);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.stop();
});

describe("sessions that persist, in Chromium", () => {
  it("a new user on a new device: 2 prompts (sign-in, then the key for new devices), then adds a record", async () => {
    await signIn(tab);
    expect(await walletPrompts(tab)).toEqual(["personal_sign", "personal_sign"]);
    const file = path.join(platform.work, "card.txt");
    fs.writeFileSync(file, "measles 2019-04-01\n");
    await tab.getByLabel("File").setInputFiles(file);
    await tab.getByLabel(/^Title/).fill(TITLE);
    await tab.getByRole("button", { name: "Encrypt and upload" }).click();
    await expect.poll(() => visibleText(tab, "upload-outcome"), { timeout: 60_000 }).toContain(`“${TITLE}” is stored, encrypted`);
    await recordsListed(tab);
  });

  it("reload: still signed in, records listed, 0 prompts", async () => {
    await tab.reload();
    await recordsListed(tab);
    expect(await walletPrompts(tab)).toEqual([]);
  });

  it("switching views and back: still signed in, 0 prompts", async () => {
    await tab.goto(`${platform.url}#/auditor`);
    await tab.goto(`${platform.url}#/patient`);
    await recordsListed(tab);
    expect(await walletPrompts(tab)).toEqual([]);
  });

  it("moving between the patient's pages through the navigation: signed in on each, 0 prompts", async () => {
    const pages = tab.getByRole("navigation", { name: "Patient pages" });
    for (const page of ["Sharing", "Notes", "Anchor", "Records"]) {
      await pages.getByRole("link", { name: page, exact: true }).click();
      await tab.getByRole("heading", { level: 1, name: page }).waitFor();
      await signedIn(tab);
    }
    await recordsListed(tab);
    expect(await walletPrompts(tab)).toEqual([]);
  });

  it("a second tab: signed in with 0 prompts", async () => {
    const second = await openTab(device);
    await second.goto(`${platform.url}#/patient`);
    await recordsListed(second);
    expect(await walletPrompts(second)).toEqual([]);
    await second.close();
  });

  it("sign out forgets the session and this device's copy of the key: the next sign-in is a new device's (2 prompts), then 0 on reload", async () => {
    await tab.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => tab.getByRole("button", { name: "Sign in" }).count()).toBe(1);
    expect(await tab.evaluate(() => localStorage.getItem("openchart.session.v1"))).toBeNull();
    await tab.reload();
    // Nothing kept: the reload shows the sign-in button, not a session.
    await expect.poll(() => tab.getByRole("button", { name: "Sign in" }).count(), { timeout: 30_000 }).toBe(1);
    expect(await tab.getByTestId("signed-in").count()).toBe(0);
    // Sign-out also made this device forget the master, so this sign-in unlocks it from the API again:
    // the SIWE sign-in and the wallet-key message.
    await tab.getByRole("button", { name: "Connect Patient Wallet" }).click();
    await tab.getByRole("button", { name: "Sign in" }).click();
    await recordsListed(tab);
    expect(await walletPrompts(tab)).toEqual(["personal_sign", "personal_sign"]);
    await tab.reload();
    await recordsListed(tab);
    expect(await walletPrompts(tab)).toEqual([]);
  });

  it("a known device whose session ended: 1 prompt (sign-in), the device key opens the master", async () => {
    // The session ends (expiry) but the device keeps its key: what happens after sessionHours.
    await tab.evaluate(() => localStorage.removeItem("openchart.session.v1"));
    await tab.reload();
    await expect.poll(() => tab.getByRole("button", { name: "Sign in" }).count(), { timeout: 30_000 }).toBe(1);
    await tab.getByRole("button", { name: "Connect Patient Wallet" }).click();
    await tab.getByRole("button", { name: "Sign in" }).click();
    await recordsListed(tab);
    expect(await walletPrompts(tab)).toEqual(["personal_sign"]);
  });

  it("a second browser profile (a new device): at most 2 prompts, and it opens the first device's record", async () => {
    const other = await openTab(await newDevice());
    await signIn(other);
    expect(await walletPrompts(other)).toEqual(["personal_sign", "personal_sign"]);
    await recordsListed(other);
    expect(pageErrors).toEqual([]);
  });

  it("a wallet-key signature obtained by a page of another origin opens nothing, and alone gets no wrapped key", async () => {
    const { api } = platform.endpoints;
    const account = `did:pkh:eip155:31337:${PATIENT_WALLET.address.toLowerCase()}`;
    // What the API keeps for the patient's new devices, read with the patient's own kept session.
    const kept = JSON.parse((await tab.evaluate(() => localStorage.getItem("openchart.session.v1")))!) as { serialized: string };
    const session = await DIDSession.fromSession(kept.serialized);
    const asPatient = await signedFetch({ did: session.did, cacao: session.did.capability }, `${api}/keys/wrapped`, { method: "GET" }, { audience: api });
    expect(asPatient.status).toBe(200);
    const wrapped = parseWrappedMaster(((await asPatient.json()) as { blob: string }).blob);

    // A page of another origin (the same server under another host name) asks the patient's wallet to sign
    // the wallet-key message, copying even the real nonce: the message names the page's own origin.
    const phishing = await openTab(await newDevice());
    const phishingOrigin = platform.url.replace("127.0.0.1", "localhost").replace(/\/$/, "");
    await phishing.goto(`${phishingOrigin}/`);
    const request = { ...wrapped.wallet!, origin: await phishing.evaluate(() => location.origin), address: PATIENT_WALLET.address };
    expect(request.origin).toBe(phishingOrigin);
    const hex = `0x${Buffer.from(walletKeyMessage(request)).toString("hex")}`;
    const signature = await phishing.evaluate(
      ([message, address]) =>
        new Promise<string>((resolve, reject) => {
          window.addEventListener("eip6963:announceProvider", (event) => {
            const { provider } = (event as CustomEvent<{ provider: { request(args: { method: string; params: unknown[] }): Promise<string> } }>).detail;
            provider.request({ method: "personal_sign", params: [message, address] }).then(resolve, reject);
          });
          window.dispatchEvent(new Event("eip6963:requestProvider"));
        }),
      [hex, PATIENT_WALLET.address.toLowerCase()] as const,
    );
    expect(await walletPrompts(phishing)).toEqual(["personal_sign"]);
    // Its key is another key: even with the wrapped copy in hand, it opens nothing.
    await expect(unwrapMaster(wrapped, await walletKeyOf(signature, request), account)).rejects.toMatchObject({ code: "WRONG_KEY" });

    // And the wrapped copy is not to be had without the patient's session: unsigned, or with the phisher's own.
    expect((await fetch(`${api}/keys/wrapped`)).status).toBe(401);
    const phisher = await signInWithEthereum(privateKeyProvider(Wallet.createRandom().privateKey, 31337), {
      appName: new URL(platform.url).host,
      resources: [...defaultResources(), api],
    });
    const asPhisher = await signedFetch({ did: phisher.did, cacao: phisher.did.capability }, `${api}/keys/wrapped`, { method: "GET" }, { audience: api });
    expect(asPhisher.status).toBe(404);
    expect(await asPhisher.json()).toMatchObject({ code: "WRAPPED_KEY_UNKNOWN" });
    await phishing.close();
  });

  it("an existing user (key derived from a wallet signature, before masters): adopted once with 3 prompts, old record opens; then 0 on reload", async () => {
    // Written as before this change: the X25519 key from the EIP-712 signature, its profile published.
    // An account of this file's lease that nothing else signed in with.
    const legacyUser = LEGACY_USER;
    const { endpoints } = platform;
    const { vault } = await signInAs(legacyUser.key, endpoints);
    await vault.addRecord({ content: new TextEncoder().encode("old lab result"), title: "Old lab result" });
    const page = await openTab(await newDevice(), legacyUser.address);
    await signIn(page);
    await recordsListed(page, "Old lab result");
    // Sign-in, the old key's EIP-712 message (once, to adopt it), the wallet-key message.
    expect(await walletPrompts(page)).toEqual(["personal_sign", "eth_signTypedData_v4", "personal_sign"]);
    await page.reload();
    await recordsListed(page, "Old lab result");
    expect(await walletPrompts(page)).toEqual([]);
    // Another device now needs only the sign-in and the wallet-key message, and opens the old record.
    const other = await openTab(await newDevice(), legacyUser.address);
    await signIn(other);
    await recordsListed(other, "Old lab result");
    expect(await walletPrompts(other)).toEqual(["personal_sign", "personal_sign"]);
  });
});
