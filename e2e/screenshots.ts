import path from "node:path";
import type { Page } from "playwright-core";

/** Where the browser tests leave a screenshot of each view (git-ignored); the README's come from here. */
export const ARTIFACTS = path.resolve(__dirname, "artifacts");

/** The whole page as it is now, as `ARTIFACTS/<name>` (Playwright makes the folder). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}
