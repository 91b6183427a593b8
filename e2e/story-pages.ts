// What the story tests do with their browser pages: one context per user with an injected test wallet, moving
// through the app's own navigation, signing in, and reading what the user sees.
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { FullPlatform } from "./full-platform.mts";
import { injectTestWallet } from "./test-wallet";

export interface StoryPages {
  /** Uncaught errors of every page opened, "<name>: <message>": a story ends by expecting none. */
  pageErrors: string[];
  /** A new browser context for `name` with their wallet (`<name> Wallet`) injected. */
  pageFor(name: string, address: string): Promise<Page>;
  /** Signs in on `#/<view>` with `<name> Wallet`. */
  signIn(page: Page, view: string, name: string): Promise<void>;
  closeAll(): Promise<void>;
}

export function storyPages(platform: () => FullPlatform): StoryPages {
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    pageErrors,
    async pageFor(name, address) {
      const { browser, chainUrl, chainHeaders } = platform();
      const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(`${name}: ${error.message}`));
      await injectTestWallet(page, { rpcUrl: chainUrl, headers: chainHeaders, address: address.toLowerCase(), name: `${name} Wallet` });
      return page;
    },
    async signIn(page, view, name) {
      await page.goto(`${platform().url}#/${view}`);
      await page.getByRole("button", { name: `Connect ${name} Wallet` }).click();
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => visibleText(page, "signed-in"), { timeout: 60_000 }).toContain("Signed in as");
    },
    async closeAll() {
      for (const context of contexts) await context.close().catch(() => undefined);
    },
  };
}

/** Moves to a page through the app's own navigation, as a user does, and waits for its heading. */
export async function visit(page: Page, navigation: string, link: string, heading = link): Promise<void> {
  await page.getByRole("navigation", { name: navigation }).getByRole("link", { name: link, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

/** A test ID's text, or the page's alerts when it is absent, so a failure shows what the user saw. */
export async function visibleText(page: Page, testId: string): Promise<string> {
  const target = page.getByTestId(testId);
  if (await target.count()) return (await target.first().textContent()) ?? "";
  return `alerts: ${(await page.getByRole("alert").allTextContents()).join(" | ")}`;
}
