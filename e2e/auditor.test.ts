import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorDirectly, consentCommitmentOf, consentRegistryAt, exportConsentProof, newConsentOpening, signGrant, signRevoke } from "@openchart/sdk";
import { pageProblems } from "./page-checks";
import { ARTIFACTS } from "./screenshots";
import { DOCTOR, PATIENT, startTestPlatform, type TestPlatform } from "./platform";

const didOf = (address: string) => `did:pkh:eip155:31337:${address.toLowerCase()}`;

let platform: TestPlatform;
let page: Page;
const file = (name: string) => path.join(platform.work, name);

beforeAll(async () => {
  platform = await startTestPlatform();
  const patient = await platform.patientSigner();
  const { contracts } = platform.deployment;

  fs.writeFileSync(file("discharge-summary.txt"), "Discharge summary: patient recovered well.\n");
  fs.writeFileSync(file("tampered.txt"), "Discharge summary: patient recovered badly.\n");
  const receipt = await anchorDirectly(fs.readFileSync(file("discharge-summary.txt")), contracts.RecordRegistry.address, patient);
  fs.writeFileSync(file("receipt.json"), JSON.stringify(receipt));

  // A consent as the web app makes it: its own key signs the grant and the revoke, another account relays
  // them (here the patient's dev wallet stands in for the API's relayer).
  const registry = contracts.ConsentRegistry.address;
  const { opening, key } = newConsentOpening({
    chainId: 31337,
    registry,
    patient: didOf(PATIENT.address),
    grantee: didOf(DOCTOR.address),
    recordIds: ["kjzl6kcym7w8y-record"],
    patientSecret: new Uint8Array(32).fill(5),
  });
  const consents = consentRegistryAt(registry, patient.provider!).connect(patient);
  const target = { chainId: 31337, contract: registry };
  const commitment = consentCommitmentOf(opening);
  const now = (await patient.provider!.getBlock("latest"))!.timestamp;
  const expiresAt = BigInt(now + 86_400);
  const deadline = BigInt(now + 3_600);
  const granted = await signGrant(key, target, { commitment, expiresAt, deadline });
  await (await consents.getFunction("grantBySig")(key.address, commitment, expiresAt, deadline, granted.r, granted.vs)).wait();
  const revoked = await signRevoke(key, target, { commitment, deadline });
  await (await consents.getFunction("revokeBySig")(key.address, commitment, deadline, revoked.r, revoked.vs)).wait();
  fs.writeFileSync(file("consent-proof.json"), JSON.stringify(exportConsentProof(opening)));
  // The same proof with another grantee: a valid opening, of a consent the chain never saw.
  fs.writeFileSync(file("altered-proof.json"), JSON.stringify(exportConsentProof({ ...opening, grantee: didOf(`0x${"ab".repeat(20)}`) })));

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // A context of its own: axe opens a helper page beside the page it checks.
  page = await (await platform.browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
});

afterAll(async () => {
  await platform?.stop();
});

describe("auditor view, in Chromium, against a live chain", () => {
  it("verifies a document with its receipt, and refuses a tampered copy", async () => {
    await page.goto(`${platform.site.url}#/auditor`);
    await page.getByLabel("Document", { exact: true }).setInputFiles(file("discharge-summary.txt"));
    await page.getByLabel("Receipt (JSON)").setInputFiles(file("receipt.json"));
    await expect.poll(() => page.getByLabel("Chain JSON-RPC endpoint").inputValue()).toBe(platform.chain.url);
    await page.getByRole("button", { name: "Verify" }).click();
    const outcome = page.getByTestId("audit-outcome");
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(
      /^VERIFIED: discharge-summary\.txt existed unaltered when anchored at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, block \d+, tx 0x[0-9a-f]{64}\.$/,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, "auditor-verified.png"), fullPage: true });

    await page.getByLabel("Document", { exact: true }).setInputFiles(file("tampered.txt"));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => outcome.textContent()).toMatch(/^NOT VERIFIED: the document's SHA-256 differs/);
    await page.screenshot({ path: path.join(ARTIFACTS, "auditor-not-verified.png"), fullPage: true });
  });

  it("explains an unreadable receipt in words", async () => {
    fs.writeFileSync(file("broken.json"), "{oops");
    await page.getByLabel("Receipt (JSON)").setInputFiles(file("broken.json"));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByTestId("audit-outcome").textContent()).toBe(
      "NOT VERIFIED: the receipt file is not valid JSON.",
    );
  });

  it("checks a consent proof against the chain: its timeline and its current state", async () => {
    await page.goto(`${platform.site.url}#/auditor/consent`);
    await expect.poll(() => page.title()).toBe("Check a consent · Auditor · OpenChart");
    await page.getByLabel("Consent proof (JSON)").setInputFiles(file("consent-proof.json"));
    await page.getByRole("button", { name: "Check consent" }).click();
    await expect.poll(() => page.getByTestId("consent-outcome").textContent()).toBe("REVOKED: the patient ended this consent.");
    const items = page.getByTestId("consent-timeline").locator("li");
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.nth(0).textContent()).toMatch(/^Granted\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, block \d+\s+\(until /);
    expect(await items.nth(1).textContent()).toMatch(/^Revoked /);
    expect(await page.getByTestId("consent-proof").textContent()).toContain(didOf(DOCTOR.address));
    await page.screenshot({ path: path.join(ARTIFACTS, "auditor-consent-proof.png"), fullPage: true });
  });

  it("says so when a proof does not match the chain, or is no proof", async () => {
    await page.getByLabel("Consent proof (JSON)").setInputFiles(file("altered-proof.json"));
    await page.getByRole("button", { name: "Check consent" }).click();
    await expect.poll(() => page.getByTestId("consent-outcome").textContent()).toMatch(/^DOES NOT MATCH: no consent with this proof's ID was ever recorded/);
    expect(await page.getByTestId("consent-timeline").count()).toBe(0);

    await page.getByLabel("Consent proof (JSON)").setInputFiles(file("receipt.json"));
    await page.getByRole("button", { name: "Check consent" }).click();
    await expect.poll(() => page.getByTestId("consent-outcome").textContent()).toMatch(/^NOT A VALID CONSENT PROOF: not a consent proof/);
  });

  it("the pages anyone can open pass axe at 1100 and 375 px and never scroll sideways", async () => {
    const problems: string[] = [];
    for (const [route, heading] of [
      ["#/", "Your medical records, in your hands"],
      ["#/auditor", "Verify a document"],
      ["#/auditor/consent", "Check a consent"],
      ["#/nowhere", "Page not found"],
    ] as const) {
      await page.goto(`${platform.site.url}${route}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      problems.push(...(await pageProblems(page, route)));
    }
    // A page with its outcome shown: the consent's timeline, long IDs and all.
    await page.goto(`${platform.site.url}#/auditor/consent`);
    await page.getByLabel("Consent proof (JSON)").setInputFiles(file("consent-proof.json"));
    await page.getByRole("button", { name: "Check consent" }).click();
    await page.getByTestId("consent-timeline").waitFor();
    problems.push(...(await pageProblems(page, "consent timeline")));
    expect(problems).toEqual([]);
  });

  it("has a skip link to the page's content, and titles each page", async () => {
    await page.goto(`${platform.site.url}#/auditor`);
    // A fresh load: focus starts at the top of the document.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Verify a document" }).waitFor();
    await expect.poll(() => page.title()).toBe("Verify a document · Auditor · OpenChart");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    // The skip link leaves the route alone.
    expect(new URL(page.url()).hash).toBe("#/auditor");
    await page.getByRole("navigation", { name: "Auditor pages" }).getByRole("link", { name: "Check a consent" }).click();
    await expect.poll(() => page.title()).toBe("Check a consent · Auditor · OpenChart");
  });
});
