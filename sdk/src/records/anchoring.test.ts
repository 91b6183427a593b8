import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryNonceStore } from "../auth/nonce-store.js";
import { verifySignedRequest } from "../auth/verify-request.js";
import { privateKeyProvider } from "../streams/key-provider.js";
import { signInWithEthereum } from "../streams/session.js";
import type { Hex } from "../hex.js";
import { submitCommitment, syncReceipt } from "./anchoring.js";
import type { RecordSummary, VaultContext } from "./context.js";

// The anchoring queue takes signed submissions only (issue 13, item 1): the vault signs each one with
// the user's did-session, which a loopback server checks the way the API does.
const AUDIENCE = "https://api.anchoring.test";
const DOMAIN = "anchoring.test";
let received: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[] = [];
/** What the loopback service answers to `GET /anchors/:leaf`. */
let leafState: unknown = {};
let server: ReturnType<typeof createServer>;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ method: request.method!, path: request.url!, headers: request.headers, body });
      if (request.method === "GET") return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(leafState));
      response.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ leaves: [], replayed: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const record = { id: "kjzl-record-1", commitment: `0x${"ab".repeat(32)}` as Hex } as RecordSummary;

describe("submitCommitment", () => {
  it("sends the commitment signed with the user's did-session, under the record's Idempotency-Key", async () => {
    received = [];
    const { did } = await signInWithEthereum(privateKeyProvider(`0x${"11".repeat(32)}`, 31337), { appName: DOMAIN, resources: [AUDIENCE] });
    const context = { anchorServiceUrl: url, anchorSigner: { session: { did, cacao: did.capability }, audience: AUDIENCE } } as unknown as VaultContext;
    expect(await submitCommitment(context, record)).toEqual({ status: "queued" });
    const [sent] = received;
    expect(sent).toMatchObject({ method: "POST", path: "/anchors" });
    expect(JSON.parse(sent!.body)).toEqual({ leaves: [record.commitment] });
    expect(sent!.headers["idempotency-key"]).toBe(`record:${record.id}`);
    const verdict = await verifySignedRequest(
      { headers: sent!.headers, method: sent!.method, path: sent!.path, body: sent!.body },
      { domain: DOMAIN, audience: AUDIENCE, resourcesRequired: [AUDIENCE], now: Date.now(), nonceStore: new MemoryNonceStore() },
    );
    expect(verdict).toMatchObject({ ok: true, did: `did:pkh:eip155:31337:${did.parent.split(":").at(-1)}` });
  });

  it("reports, without sending, a vault whose DID has no session to sign with", async () => {
    received = [];
    const context = { anchorServiceUrl: url } as unknown as VaultContext;
    expect(await submitCommitment(context, record)).toEqual({ status: "failed", reason: expect.stringMatching(/signed-in session/) });
    expect(received).toEqual([]);
  });
});

describe("syncReceipt", () => {
  it("reports a mined batch short of its confirmations as confirming, and stores no receipt yet", async () => {
    const updates: unknown[] = [];
    const context = { anchorServiceUrl: url, store: { update: async (...args: unknown[]) => void updates.push(args) } } as unknown as VaultContext;
    const txHash = `0x${"cd".repeat(32)}`;
    leafState = { status: "confirming", leaf: record.commitment, submittedAt: 1, txHash, blockNumber: 12, confirmations: 2, confirmationsRequired: 5 };
    expect(await syncReceipt(context, record)).toEqual({ status: "confirming", blockNumber: 12, confirmations: 2, confirmationsRequired: 5 });
    leafState = { status: "pending", leaf: record.commitment, submittedAt: 1 };
    expect(await syncReceipt(context, record)).toEqual({ status: "pending" });
    expect(updates).toEqual([]);
  });
});
