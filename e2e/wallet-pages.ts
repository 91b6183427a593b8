// What the browser tests of signed-in users share: a browser profile (a device) on the full platform, a
// tab in it with an injected test wallet, signing in through the page as a user does, and reading what
// the page shows (or its alerts, so a failure says why).
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { FullPlatform } from "./full-platform.mts";
import { injectTestWallet } from "./test-wallet";

/** A new browser profile: to the app, a new device (its own IndexedDB device key, its own localStorage). */
export async function newDevice(platform: FullPlatform, contexts: BrowserContext[]): Promise<BrowserContext> {
  const context = await platform.browser.newContext({ viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  return context;
}

/** A tab with a test wallet for `address` (named `walletName` in the page); page errors land in `errors`. */
export async function walletTab(platform: FullPlatform, context: BrowserContext, address: string, walletName: string, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(`${walletName}: ${error.message}`));
  await injectTestWallet(page, { rpcUrl: platform.chainUrl, headers: platform.chainHeaders, address: address.toLowerCase(), name: walletName });
  return page;
}

/** The text of the first element with `testId`, or the page's alerts when there is none. */
export async function visibleText(page: Page, testId: string): Promise<string> {
  const target = page.getByTestId(testId);
  if (await target.count()) return (await target.first().textContent()) ?? "";
  return `alerts: ${(await page.getByRole("alert").allTextContents()).join(" | ")}`;
}

export async function signedIn(page: Page): Promise<void> {
  await expect.poll(() => visibleText(page, "signed-in"), { timeout: 60_000 }).toContain("Signed in as");
}

/** Opens `route` (e.g. "#/patient"), connects the wallet and signs in as a user does. */
export async function signInAt(platform: FullPlatform, page: Page, route: string, walletName: string): Promise<void> {
  await page.goto(`${platform.url}${route}`);
  await page.getByRole("button", { name: `Connect ${walletName}` }).click();
  await page.getByRole("button", { name: "Sign in" }).click();
  await signedIn(page);
}

/** Signed in, with the record listed: the vault is open, not just the session. */
export async function recordsListed(page: Page, title: string): Promise<void> {
  await signedIn(page);
  await expect.poll(() => visibleText(page, "records"), { timeout: 60_000 }).toContain(title);
}

/** Moves to a page through the app's own navigation, as a user does, and waits for its heading. */
export async function visit(page: Page, navigation: string, link: string, heading = link): Promise<void> {
  await page.getByRole("navigation", { name: navigation }).getByRole("link", { name: link, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}
