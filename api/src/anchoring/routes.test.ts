import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commitmentOf,
  completeReceipt,
  connectRpc,
  documentSha256,
  fetchReceipt,
  newSalt,
  signedFetch,
  submitLeaves,
  verifyReceipt,
  type Hex,
  type Receipt,
} from "@openchart/sdk";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { startApi, startTestStack, type ApiProcess, type TestChain, type TestStack } from "../../test/stack.js";
import { API_AUDIENCE, SIGN_IN_ENV, signedInUser, type User } from "../../test/signed-client.js";

let stack: TestStack;
let testChain: TestChain;
let api: ApiProcess;
let env: Record<string, string>;
let user: User;

beforeAll(async () => {
  stack = await startTestStack({
    ANCHOR_BATCH_SIZE: "8",
    ANCHOR_INTERVAL_MS: "200",
    ANCHOR_POLL_MS: "50",
    API_ADMIN_TOKEN: "test-admin-token-0123456789",
    ...SIGN_IN_ENV,
  });
  ({ testChain, api, env } = stack);
  user = await signedInUser(api.url);
});

afterAll(async () => {
  await stack?.stop();
});

/** POST /anchors signed by `by` (the test's user by default): the queue takes signed submissions only. */
const post = (body: unknown, headers: Record<string, string> = {}, by: User = user) =>
  signedFetch(by.session, `${api.url}/anchors`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }, { audience: API_AUDIENCE });

async function receiptOf(leaf: Hex): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const body = (await (await fetch(`${api.url}/anchors/${leaf}`)).json()) as Record<string, unknown>;
    if (body.status === "anchored") return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`leaf ${leaf} was not anchored in time`);
}

describe("POST /anchors and GET /anchors/:leaf", () => {
  it("anchors documents' leaves and answers receipts that the sdk verifies against the chain", async () => {
    const documents = Array.from({ length: 5 }, (_, i) => new TextEncoder().encode(`lab result ${i}`));
    const commitments = await Promise.all(
      documents.map(async (doc) => {
        const sha = await documentSha256(doc);
        const salt = newSalt();
        return { doc, sha, salt, leaf: commitmentOf(sha, salt) };
      }),
    );
    const response = await post({ leaves: commitments.map((c) => c.leaf) }, { "idempotency-key": "req-1" });
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { leaves: { leaf: string; status: string }[]; replayed: boolean };
    expect(accepted.replayed).toBe(false);
    expect(accepted.leaves.map((l) => l.leaf)).toEqual(commitments.map((c) => c.leaf));

    const provider = await connectRpc(testChain.chain.url);
    for (const c of commitments) {
      const answer = await receiptOf(c.leaf);
      const { status: _status, ...fields } = answer;
      const receipt = { ...fields, documentSha256: c.sha, salt: c.salt } as unknown as Receipt;
      expect(receipt.contract).toBe(testChain.deployment.contracts.RecordRegistry.address);
      const check = await verifyReceipt(c.doc, receipt, provider);
      expect(check).toMatchObject({ verified: true, blockNumber: receipt.blockNumber, txHash: receipt.txHash });
      const tampered = { ...receipt, proof: [...receipt.proof] };
      tampered.proof[0] = `0x${"11".repeat(32)}`;
      expect(await verifyReceipt(c.doc, tampered, provider)).toMatchObject({ verified: false });
    }
    provider.destroy();
  });

  it("replays an Idempotency-Key with the same body and refuses it with another (409)", async () => {
    const leaf = commitmentOf(await documentSha256(new Uint8Array([1])), newSalt());
    const other = commitmentOf(await documentSha256(new Uint8Array([2])), newSalt());
    expect((await post({ leaves: [leaf] }, { "idempotency-key": "req-2" })).status).toBe(202);
    const again = await post({ leaves: [leaf.toUpperCase().replace("0X", "0x")] }, { "idempotency-key": "req-2" });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { replayed: boolean }).replayed).toBe(true);
    const conflict = await post({ leaves: [other] }, { "idempotency-key": "req-2" });
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await conflict.json()).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED", status: 409 });
    expect((await fetch(`${api.url}/anchors/${other}`)).status).toBe(404);
  });

  it("scopes Idempotency-Key reservations to the signed-in DID: another caller's same key is their own", async () => {
    const stranger = await signedInUser(api.url);
    const mine = commitmentOf(await documentSha256(new Uint8Array([3])), newSalt());
    const theirs = commitmentOf(await documentSha256(new Uint8Array([4])), newSalt());
    expect((await post({ leaves: [mine] }, { "idempotency-key": "shared-key" })).status).toBe(202);
    // Not a replay of my answer (which would leak my leaves), not a conflict: a fresh request of theirs.
    const other = await post({ leaves: [theirs] }, { "idempotency-key": "shared-key" }, stranger);
    expect(other.status).toBe(202);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(await other.json()).toMatchObject({ leaves: [{ leaf: theirs }], replayed: false });
    // And it did not take my key: my retry still replays my own answer.
    const retry = await post({ leaves: [mine] }, { "idempotency-key": "shared-key" });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
  });

  it("answers bad input with problem+json and a stable code", async () => {
    const cases: [unknown, number, string, RegExp][] = [
      [{ leaves: ["0x1234"] }, 400, "INVALID_REQUEST", /leaves\.0 must match pattern/],
      [{ leaves: [`0x${"zz".repeat(32)}`] }, 400, "INVALID_REQUEST", /leaves\.0/],
      [{ leaves: [] }, 400, "INVALID_REQUEST", /fewer than 1/],
      [{ leaves: Array.from({ length: 1001 }, (_, i) => `0x${i.toString(16).padStart(64, "0")}`) }, 400, "INVALID_REQUEST", /more than 1000/],
      [{ leaf: `0x${"ab".repeat(32)}` }, 400, "INVALID_REQUEST", /leaves/],
    ];
    for (const [body, status, code, detail] of cases) {
      const response = await post(body);
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { code: string; detail: string };
      expect(problem.code).toBe(code);
      expect(problem.detail).toMatch(detail);
    }
    const unknown = await fetch(`${api.url}/anchors/0x${"42".repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "UNKNOWN_LEAF" });
    const malformed = await fetch(`${api.url}/anchors/0xnothex`);
    expect(await malformed.json()).toMatchObject({ code: "INVALID_REQUEST", status: 400 });
  });

  it("serves the OpenAPI document and its UI locally, and reports health", async () => {
    const spec = (await (await fetch(`${api.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/anchors", "/anchors/{leaf}", "/audit", "/healthz"]));
    const ui = await (await fetch(`${api.url}/docs/static/index.html`)).text();
    expect(ui).toContain("swagger");
    expect(ui).not.toMatch(/https?:\/\/(cdn|unpkg)/);
    const health = (await (await fetch(`${api.url}/healthz`)).json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(health).toMatchObject({ status: "ok", checks: { database: { ok: true }, chain: { ok: true } } });
  });

  it("works through the sdk's anchor client: submit, fetch, complete, verify", async () => {
    const doc = new TextEncoder().encode("imaging report");
    const sha = await documentSha256(doc);
    const salt = newSalt();
    const leaf = commitmentOf(sha, salt);
    const signer = { session: user.session, audience: API_AUDIENCE };
    expect(await submitLeaves(api.url, [leaf], "client-1", signer)).toEqual({ leaves: [{ leaf, status: "pending" }], replayed: false });
    expect((await submitLeaves(api.url, [leaf], "client-1", signer)).replayed).toBe(true);
    await expect(submitLeaves(api.url, [commitmentOf(sha, newSalt())], "client-1", signer)).rejects.toMatchObject({
      code: "SERVICE_ERROR",
      message: expect.stringMatching(/409 IDEMPOTENCY_KEY_REUSED/),
    });
    await expect(fetchReceipt(api.url, `0x${"43".repeat(32)}`)).rejects.toMatchObject({ code: "NOT_FOUND" });
    let state = await fetchReceipt(api.url, leaf);
    for (let i = 0; state.status === "pending" && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = await fetchReceipt(api.url, leaf);
    }
    if (state.status !== "anchored") throw new Error("not anchored in time");
    const provider = await connectRpc(testChain.chain.url);
    expect(await verifyReceipt(doc, completeReceipt(state, sha, salt), provider)).toMatchObject({ verified: true });
    provider.destroy();
  });

  it("refuses to start with a key that is not the registry's batcher, or without a deployment", async () => {
    await expect(startApi({ ...env, API_ANCHOR_KEY: DEV_ACCOUNTS[2].key })).rejects.toThrow(
      new RegExp(`API_ANCHOR_KEY's account ${DEV_ACCOUNTS[2].address} is not the batcher of the RecordRegistry`),
    );
    await expect(startApi({ ...env, OPENCHART_NETWORK: "amoy" })).rejects.toThrow(/no deployment for network "amoy"/);
  });
});
