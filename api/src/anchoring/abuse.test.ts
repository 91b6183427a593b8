import { randomBytes } from "node:crypto";
import { JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedFetch, type Hex } from "@openchart/sdk";
import { startTestStack, type TestStack } from "../../test/stack.js";
import { API_AUDIENCE, SIGN_IN_ENV, signedInUser, type User } from "../../test/signed-client.js";

/**
 * Issue 13 items 1 and 2, the attacks on the anchoring queue: an unsigned flood, a claimed subject
 * written into a patient's audit trail, one caller's flood starving another's leaf, a batcher burning
 * gas without end. Each test failed before the fix.
 */
const TOKEN = "anchor-abuse-admin-token-0123";
const randomLeaf = (): Hex => `0x${randomBytes(32).toString("hex")}`;
const leaves = (n: number) => Array.from({ length: n }, randomLeaf);

async function auditOf(stack: TestStack, subject: string): Promise<{ action: string; decision: string; subject: string }[]> {
  const response = await fetch(`${stack.api.url}/audit?subject=${encodeURIComponent(subject)}&limit=1000`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await response.json()) as { entries: { action: string; decision: string; subject: string }[] }).entries.filter((e) => e.action !== "audit.read");
}

async function anchoredState(stack: TestStack, leaf: Hex, timeoutMs = 60_000): Promise<{ blockNumber: number; root: Hex }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${stack.api.url}/anchors/${leaf}`)).json()) as { status: string; blockNumber: number; root: Hex };
    if (body.status === "anchored") return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`leaf ${leaf} was not anchored in time`);
}

describe("POST /anchors under attack", () => {
  let stack: TestStack;
  let patient: User;
  let flooder: User;

  beforeAll(async () => {
    stack = await startTestStack({
      ...SIGN_IN_ENV,
      ANCHOR_BATCH_SIZE: "64",
      ANCHOR_INTERVAL_MS: "100",
      ANCHOR_POLL_MS: "20",
      ANCHOR_LEAVES_PER_DID_PER_DAY: "6000",
      API_ADMIN_TOKEN: TOKEN,
    });
    patient = await signedInUser(stack.api.url);
    flooder = await signedInUser(stack.api.url);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("refuses an unsigned submission (401), and writes nothing under the subject it claims", async () => {
    const unsigned = await fetch(`${stack.api.url}/anchors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ leaves: [randomLeaf()] }),
    });
    expect(unsigned.status).toBe(401);
    const claiming = await fetch(`${stack.api.url}/anchors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ leaves: [randomLeaf()], subject: patient.did }),
    });
    expect([400, 401]).toContain(claiming.status);
    expect(await auditOf(stack, patient.did)).toEqual([]);
  });

  it("files a signed submission under its caller, and refuses a subject named in the body", async () => {
    const claimed = await flooder.post("/anchors", { leaves: [randomLeaf()], subject: patient.did });
    expect(claimed.status).toBe(400);
    expect(await auditOf(stack, patient.did)).toEqual([]);
    const own = await flooder.post("/anchors", { leaves: [randomLeaf()] });
    expect(own.status).toBe(202);
    expect(await auditOf(stack, flooder.did)).toEqual([expect.objectContaining({ action: "anchor.submit", decision: "accepted", subject: flooder.did })]);
  });

  it("anchors a leaf submitted after another DID's 5,000-leaf flood in the next batch", async () => {
    for (let i = 0; i < 5; i++) expect((await flooder.post("/anchors", { leaves: leaves(1000) })).status).toBe(202);
    const provider = new JsonRpcProvider(stack.testChain.chain.url);
    const registry = stack.testChain.deployment.contracts.RecordRegistry.address;
    const batchesUpTo = async (block: number | "latest") => (await provider.getLogs({ address: registry, fromBlock: 0, toBlock: block })).length;
    // Batches already on chain when the patient submits, plus the one that may be open (built or sent):
    // the patient's leaf must be in the batch after those.
    const before = await batchesUpTo("latest");
    const mine = randomLeaf();
    expect((await patient.post("/anchors", { leaves: [mine] })).status).toBe(202);
    const { blockNumber } = await anchoredState(stack, mine);
    expect(await batchesUpTo(blockNumber)).toBeLessThanOrEqual(before + 2);
    // ...while most of the flood still waits: the flood did not go first.
    expect(5000 / 64 - (await batchesUpTo(blockNumber))).toBeGreaterThan(50);
    provider.destroy();
  }, 120_000);
});

describe("POST /anchors quotas", () => {
  let stack: TestStack;
  let patient: User;
  let other: User;

  beforeAll(async () => {
    stack = await startTestStack({
      ...SIGN_IN_ENV,
      ANCHOR_BATCH_SIZE: "4",
      ANCHOR_INTERVAL_MS: "100",
      ANCHOR_POLL_MS: "20",
      ANCHOR_LEAVES_PER_DID_PER_DAY: "10",
      ANCHOR_GAS_BUDGET_PER_DAY: "1",
      API_ADMIN_TOKEN: TOKEN,
    });
    patient = await signedInUser(stack.api.url);
    other = await signedInUser(stack.api.url);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("refuses leaves beyond the per-DID daily quota with 429 and Retry-After, per DID", async () => {
    const first = leaves(8);
    expect((await patient.post("/anchors", { leaves: first })).status).toBe(202);
    const over = await signedFetch(
      patient.session,
      `${stack.api.url}/anchors`,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ leaves: leaves(3) }) },
      { audience: API_AUDIENCE },
    );
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({ code: "ANCHOR_QUOTA_EXCEEDED" });
    // Leaves already queued are not counted again (a client re-submitting its own leaf after a lost answer).
    expect((await patient.post("/anchors", { leaves: [first[0]!, randomLeaf(), randomLeaf()] })).status).toBe(202);
    expect((await other.post("/anchors", { leaves: leaves(10) })).status).toBe(202);
    await anchoredState(stack, first[0]!);
  });

  it("answers 503 ANCHOR_BUDGET_SPENT once the batcher's daily gas budget is spent", async () => {
    const third = await signedInUser(stack.api.url);
    // The first batch (confirmed above) spent more than the 1-gas budget.
    const refused = await signedFetch(
      third.session,
      `${stack.api.url}/anchors`,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ leaves: [randomLeaf()] }) },
      { audience: API_AUDIENCE },
    );
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: "ANCHOR_BUDGET_SPENT" });
  });
});
