// The guardian recovery's steps as a user takes them in the web app (Settings, Recovery, Guardian duty),
// shared by the browser test (e2e/recovery.test.ts) and the bench (e2e/keys-bench.run.ts).
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { visibleText } from "./wallet-pages";

/** Settings: names these guardians (addresses or did:pkh), `threshold` of them needed; waits until saved. */
export async function nameGuardians(page: Page, guardians: readonly string[], threshold: number): Promise<void> {
  for (const [i, guardian] of guardians.entries()) await page.getByLabel(`Guardian ${i + 1}`, { exact: true }).fill(guardian);
  await page.getByLabel("Approvals needed to recover").fill(String(threshold));
  await page.getByRole("button", { name: "Save guardians" }).click();
  await expect.poll(() => visibleText(page, "guardians-status"), { timeout: 60_000 }).toContain(`Saved: any ${threshold} of these ${guardians.length} guardians`);
}

/** Recovery, from the new wallet: asks to recover the lost wallet's account; waits until the request is listed. */
export async function askRecovery(page: Page, lostAddress: string): Promise<void> {
  await page.getByLabel("Lost wallet's address or did:pkh").fill(lostAddress);
  await page.getByRole("button", { name: "Ask to recover it" }).click();
  await expect.poll(() => visibleText(page, "recover-status"), { timeout: 30_000 }).toContain("Asked.");
  await expect.poll(() => page.getByTestId("my-recovery").count(), { timeout: 30_000 }).toBeGreaterThan(0);
}

/** Guardian duty: refreshes until "Approve" is offered (the waiting period is over), approves, confirms. */
export async function approveWhenReady(page: Page, timeoutMs = 60_000): Promise<void> {
  const approve = page.getByRole("button", { name: /^Approve the recovery of/ });
  await expect
    .poll(
      async () => {
        if (await approve.count()) return 1;
        await page.getByRole("button", { name: "Refresh" }).first().click();
        return approve.count();
      },
      { timeout: timeoutMs, interval: 1000 },
    )
    .toBe(1);
  await approve.click();
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect.poll(() => visibleText(page, "duty-status"), { timeout: 30_000 }).toContain("You approved the recovery");
}

/** Recovery, from the new wallet: once enough guardians approved, completes; waits for what moved. */
export async function completeRecovery(page: Page): Promise<void> {
  const complete = page.getByRole("button", { name: "Complete the recovery" });
  await expect
    .poll(
      async () => {
        if (await complete.count()) return 1;
        await page.getByRole("button", { name: "Refresh" }).first().click();
        return complete.count();
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(1);
  await complete.click();
  await expect.poll(() => visibleText(page, "recover-outcome"), { timeout: 120_000 }).toContain("of the old account now belong");
}
