// Devices, sign out everywhere and guardian recovery (issue 14), in Chromium on a fresh local platform,
// each person in their own browser profile with an injected wallet, every step through the web app's
// views: the patient signs out everywhere (the other device, its session still kept, opens nothing), names
// 2-of-3 guardians in Settings; a new wallet asks in Recovery; the guardians see the waiting period in
// Guardian duty and cannot approve before it ends (the API refuses too), the old wallet sees the request
// and its Cancel; two guardians approve; the new wallet completes with one wallet prompt and opens the old
// record; the old wallet's device, still signed in, opens nothing any more.
// The waiting period is shortened by configuration (API_RECOVERY_WAIT_HOURS) to a few seconds.
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedFetch } from "@openchart/sdk";
import { DIDSession } from "did-session";
import { sharedPlatform, type DevAccount, type FullPlatform } from "./full-platform.mts";
import { RECOVERY_WAIT_SECONDS } from "./platform-broker.global-setup";
import { approveWhenReady, askRecovery, completeRecovery, nameGuardians } from "./recovery-steps";
import { walletPrompts } from "./test-wallet";
import { newDevice, recordsListed, signedIn, signInAt, visibleText, walletTab } from "./wallet-pages";

// The waiting period the shared platforms' API runs with.
const WAIT_SECONDS = RECOVERY_WAIT_SECONDS;
const TITLE = "Discharge summary";
const CONTENT = "Discharge summary: appendectomy, 2025-03-02\n";
// This file's own accounts on the worker's shared platform.
let PATIENT: DevAccount;
let GUARDIANS: DevAccount[];
let HEIR: DevAccount;
const didOf = (a: { address: string }) => `did:pkh:eip155:31337:${a.address.toLowerCase()}`;

let platform: FullPlatform;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let laptop: Page;
let phone: Page;
let guardians: Page[];
let heir: Page;

const tab = async (address: string, name: string) => walletTab(platform, await newDevice(platform, contexts), address, name, pageErrors);

/** A signed request with the session this page keeps (as a copied browser profile would hold it). */
async function asPage(page: Page, method: string, route: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const kept = JSON.parse((await page.evaluate(() => localStorage.getItem("openchart.session.v1")))!) as { serialized: string };
  const session = await DIDSession.fromSession(kept.serialized);
  const { api } = platform.endpoints;
  const response = await signedFetch(
    { did: session.did, cacao: session.did.capability },
    `${api}${route}`,
    { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) },
    { audience: api },
  );
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  platform = await sharedPlatform({ accounts: 5 });
  [PATIENT, HEIR] = platform.accounts as [DevAccount, DevAccount];
  GUARDIANS = platform.accounts.slice(2, 5);
  laptop = await tab(PATIENT.address, "Patient Wallet");
  phone = await tab(PATIENT.address, "Patient Wallet");
  guardians = await Promise.all(GUARDIANS.map((g, i) => tab(g.address, `Guardian ${i + 1} Wallet`)));
  heir = await tab(HEIR.address, "New Wallet");
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await platform?.stop();
});

describe("devices, sign out everywhere and guardian recovery, in Chromium", () => {
  it("the patient adds a record on the laptop, and signs in on the phone too", async () => {
    await signInAt(platform, laptop, "#/patient", "Patient Wallet");
    const file = path.join(platform.work, "discharge.txt");
    fs.writeFileSync(file, CONTENT);
    await laptop.getByLabel("File").setInputFiles(file);
    await laptop.getByLabel(/^Title/).fill(TITLE);
    await laptop.getByRole("button", { name: "Encrypt and upload" }).click();
    await expect.poll(() => visibleText(laptop, "upload-outcome"), { timeout: 60_000 }).toContain(`“${TITLE}” is stored, encrypted`);
    await signInAt(platform, phone, "#/patient", "Patient Wallet");
    await recordsListed(phone, TITLE);
  });

  it("Settings lists both devices; sign out everywhere, confirmed, signs the laptop out, and the phone's key opens nothing though its session is kept", async () => {
    await laptop.goto(`${platform.url}#/settings`);
    await expect.poll(() => laptop.getByTestId("device").count(), { timeout: 60_000 }).toBe(2);
    expect(await visibleText(laptop, "devices")).toContain("(this device)");
    await laptop.getByRole("button", { name: "Sign out everywhere…" }).click();
    // The confirmation says what happens before anything does.
    const question = laptop.getByRole("group", { name: "Sign out on every device, this one included?" });
    expect(await question.textContent()).toContain("This device is signed out now");
    await laptop.getByRole("button", { name: "Sign out everywhere", exact: true }).click();
    await expect.poll(() => laptop.getByRole("button", { name: "Sign in" }).count(), { timeout: 30_000 }).toBe(1);
    expect(await laptop.evaluate(() => localStorage.getItem("openchart.session.v1"))).toBeNull();
    await laptop.reload();

    // The phone still holds a valid session (as a stolen phone would): its device key opens nothing.
    expect(await phone.evaluate(() => localStorage.getItem("openchart.session.v1"))).not.toBeNull();
    await phone.reload();
    await expect.poll(() => phone.getByRole("button", { name: "Sign in" }).count(), { timeout: 60_000 }).toBe(1);
    expect(await phone.getByTestId("records").count()).toBe(0);
    expect((await asPage(phone, "GET", "/keys/devices")).json).toEqual({ devices: [] });
  });

  it("the guardians sign in (their keys get published); the patient names them 2-of-3, a wrong row told next to its field", async () => {
    for (const [i, page] of guardians.entries()) await signInAt(platform, page, "#/guardian", `Guardian ${i + 1} Wallet`);
    await expect.poll(() => guardians[0]!.getByText("Nobody has named you a guardian.").count(), { timeout: 30_000 }).toBe(1);

    await signInAt(platform, laptop, "#/settings", "Patient Wallet");
    // Signed out everywhere, the laptop is a new device again: the sign-in, then the wallet-key message.
    expect(await walletPrompts(laptop)).toEqual(["personal_sign", "personal_sign"]);
    await expect.poll(() => visibleText(laptop, "guardian-summary"), { timeout: 60_000 }).toBe("You have no guardians yet.");
    await laptop.getByLabel("Guardian 1", { exact: true }).fill(PATIENT.address);
    await laptop.getByLabel("Guardian 2", { exact: true }).fill(GUARDIANS[1]!.address);
    await laptop.getByLabel("Guardian 3", { exact: true }).fill(didOf(GUARDIANS[2]!));
    await laptop.getByRole("button", { name: "Save guardians" }).click();
    const first = laptop.getByLabel("Guardian 1", { exact: true });
    await expect.poll(() => first.getAttribute("aria-invalid")).toBe("true");
    expect(await laptop.locator(`#${(await first.getAttribute("aria-describedby"))!}`).textContent()).toBe("This is your own account: a guardian must be someone else.");

    await nameGuardians(laptop, [GUARDIANS[0]!.address, GUARDIANS[1]!.address, didOf(GUARDIANS[2]!)], 2);
    expect(await visibleText(laptop, "guardian-summary")).toBe("Any 2 of your 3 guardians can help recover your account:");
    expect(await laptop.getByTestId("guardian").allTextContents()).toEqual(GUARDIANS.map((g) => `${didOf(g)} no recovery is asked`));
    // Naming guardians asked the wallet nothing.
    expect(await walletPrompts(laptop)).toHaveLength(2);
  });

  it("the wallet is lost: a new wallet asks in Recovery; guardians see the waiting period and cannot approve yet; the old wallet sees the request and its Cancel", async () => {
    await signInAt(platform, heir, "#/recovery", "New Wallet");
    await askRecovery(heir, PATIENT.address);
    // A new user's sign-in (2 prompts); asking asked nothing more.
    expect(await walletPrompts(heir)).toEqual(["personal_sign", "personal_sign"]);
    await expect.poll(() => visibleText(heir, "my-recovery-waiting"), { timeout: 30_000 }).toMatch(/^Waiting period: guardians can approve from .* UTC, in (less than a minute|1 minute)/);

    const guardian = guardians[0]!;
    await guardian.getByRole("button", { name: "Refresh" }).first().click();
    await expect.poll(() => visibleText(guardian, "duty-waiting"), { timeout: 30_000 }).toMatch(/^Waiting period: guardians can approve from/);
    expect(await visibleText(guardian, "duty-item")).toContain(`${didOf(HEIR)} asks to recover ${didOf(PATIENT)}`);
    expect(await guardian.getByRole("button", { name: /^Approve \(possible from/ }).isDisabled()).toBe(true);
    // The API refuses an approval before the waiting period ends, whatever the page offers.
    const lists = (await asPage(guardian, "GET", "/recovery/requests")).json as { asGuardian: { id: string }[] };
    const early = await asPage(guardian, "POST", `/recovery/requests/${lists.asGuardian[0]!.id}/approve`, { share: JSON.stringify({ ephemeralKey: "x", viewTag: "00", sealed: "y" }) });
    expect(early).toMatchObject({ status: 409, json: { code: "RECOVERY_WAITING" } });

    // The old wallet, if it were still in the patient's hands: Settings shows the request and how to cancel it.
    await laptop.reload();
    await expect.poll(() => visibleText(laptop, "recovery-for-me-item"), { timeout: 60_000 }).toContain(`${didOf(HEIR)} asked`);
    expect(await laptop.getByRole("button", { name: "Cancel this recovery" }).isEnabled()).toBe(true);
    expect(await visibleText(laptop, "notifications")).toContain("asked to recover your account. If this was not you, cancel it in Settings");
  });

  it("after the waiting period, guardians 1 and 3 approve in their own browsers", async () => {
    for (const guardian of [guardians[0]!, guardians[2]!]) {
      await approveWhenReady(guardian, (WAIT_SECONDS + 30) * 1000);
      await expect.poll(() => visibleText(guardian, "duty-approved"), { timeout: 30_000 }).toBe("You approved this request.");
      // Approving asked the wallet nothing: only the guardian's own sign-in (2) did.
      expect(await walletPrompts(guardian)).toEqual(["personal_sign", "personal_sign"]);
    }
    // The patient's side sees who approved.
    await laptop.reload();
    await expect.poll(() => laptop.getByTestId("guardian").allTextContents(), { timeout: 60_000 }).toEqual([
      expect.stringMatching(/^did:pkh:\S+ approved the recovery asked/),
      expect.stringMatching(/^did:pkh:\S+ has not approved the recovery asked/),
      expect.stringMatching(/^did:pkh:\S+ approved the recovery asked/),
    ]);
  });

  it("the new wallet completes with one wallet prompt and opens the old record; the old wallet's device opens nothing", async () => {
    const before = (await walletPrompts(heir)).length;
    await completeRecovery(heir);
    expect(await visibleText(heir, "my-recovery-approvals")).toContain("2 of the 2 approvals needed, among 3 guardians");
    expect(await visibleText(heir, "recover-outcome")).toContain("1 record of the old account now belongs to this wallet");
    expect(await visibleText(heir, "recover-outcome")).toContain("The lost wallet's kept key and 1 device were deleted");
    // One prompt: the wallet-key message that keeps the recovered key for this wallet's next devices.
    expect((await walletPrompts(heir)).slice(before)).toEqual(["personal_sign"]);

    // The old record opens with the new wallet, the same bytes, after a view switch with no prompt.
    await heir.goto(`${platform.url}#/patient`);
    await recordsListed(heir, TITLE);
    // The record's page (its title in the timeline) keeps the download.
    await heir.getByRole("link", { name: TITLE }).click();
    const [file] = await Promise.all([heir.waitForEvent("download"), heir.getByRole("button", { name: `Download “${TITLE}”` }).click()]);
    const saved = path.join(platform.work, "opened.txt");
    await file.saveAs(saved);
    expect(fs.readFileSync(saved, "utf8")).toBe(CONTENT);
    expect((await walletPrompts(heir)).slice(before)).toEqual(["personal_sign"]);

    // The old wallet's laptop still keeps its session; its device key opens nothing any more.
    await laptop.goto(`${platform.url}#/patient`);
    await laptop.reload();
    await expect.poll(() => laptop.getByRole("button", { name: "Sign in" }).count(), { timeout: 60_000 }).toBe(1);
    expect(await laptop.getByTestId("records").count()).toBe(0);
    expect((await asPage(laptop, "GET", "/keys/devices")).json).toEqual({ devices: [] });

    // On a 375 px wide phone, none of the three views scrolls sideways (long DIDs wrap).
    await heir.setViewportSize({ width: 375, height: 800 });
    const shown = { "#/settings": heir.getByTestId("device"), "#/recovery": heir.getByTestId("my-recovery"), "#/guardian": heir.getByText("No recovery request names you.") };
    for (const [view, content] of Object.entries(shown)) {
      await heir.goto(`${platform.url}${view}`);
      await expect.poll(() => content.count(), { timeout: 60_000 }).toBeGreaterThan(0);
      expect(await heir.evaluate(() => document.documentElement.scrollWidth), view).toBeLessThanOrEqual(375);
    }

    // The guardian who did not approve was told it is over.
    await guardians[1]!.reload();
    await signedIn(guardians[1]!);
    await expect.poll(() => visibleText(guardians[1]!, "notifications"), { timeout: 60_000 }).toContain(`by ${HEIR.address.slice(0, 6)}`);
    expect(pageErrors).toEqual([]);
  });
});
