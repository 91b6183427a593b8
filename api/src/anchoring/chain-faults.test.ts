import path from "node:path";
import Database from "better-sqlite3";
import { Interface } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitmentOf, connectRpc, documentSha256, newSalt, recordRegistryAbi, verifyReceipt, type Hex, type Receipt } from "@openchart/sdk";
import { startRpcProxy, type RpcProxy } from "../../test/rpc-proxy.js";
import { rpc, startApi, startTestChain, tempDir, type ApiProcess, type TestChain } from "../../test/stack.js";
import { SIGN_IN_ENV, postAnchors } from "../../test/signed-client.js";
import { walletSession } from "@openchart/testkit/session";
import type { SigningSession } from "@openchart/sdk";

let testChain: TestChain;
const data = tempDir("openchart-faults-");

let session: SigningSession;

beforeAll(async () => {
  testChain = await startTestChain();
  session = (await walletSession()).session;
});

afterAll(async () => {
  await testChain?.stop();
  data.remove();
});

async function newDocument(label: string) {
  const bytes = new TextEncoder().encode(`${label} ${Math.random()}`);
  const sha = await documentSha256(bytes);
  const salt = newSalt();
  return { bytes, sha, salt, leaf: commitmentOf(sha, salt) };
}

async function submit(api: ApiProcess, leaves: Hex[]): Promise<void> {
  const response = await postAnchors(api.url, session, leaves);
  expect(response.status).toBe(202);
}

async function until<T>(what: string | (() => string), probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const statusOf = async (api: ApiProcess, leaf: Hex) => (await (await fetch(`${api.url}/anchors/${leaf}`)).json()) as Record<string, unknown>;

describe("chain faults", () => {
  it("keeps accepting leaves while the chain RPC is down, says so on /healthz, and anchors them once it returns", async () => {
    const proxy: RpcProxy = await startRpcProxy(testChain.chain.port);
    const api = await startApi({
      OPENCHART_RPC_URL: proxy.url,
      OPENCHART_DEPLOYMENTS_DIR: testChain.deploymentsDir,
      OPENCHART_DATA_DIR: path.join(data.dir, "down"),
      ANCHOR_BATCH_SIZE: "4",
      ANCHOR_INTERVAL_MS: "100",
      ANCHOR_POLL_MS: "50",
      ...SIGN_IN_ENV,
    });
    try {
      await proxy.down();
      const docs = await Promise.all(Array.from({ length: 10 }, (_, i) => newDocument(`referral ${i}`)));
      for (let i = 0; i < docs.length; i += 2) await submit(api, docs.slice(i, i + 2).map((d) => d.leaf));
      const health = await until("a degraded /healthz", async () => {
        const body = (await (await fetch(`${api.url}/healthz`)).json()) as { status: string; checks: { chain: { ok: boolean; detail?: string } }; queue: { waiting: number; lastError: string | null } };
        // /healthz reuses a "reachable" answer for a second (REMOTE_CHECK_REUSE_MS): wait for a fresh one.
        return body.queue.lastError && !body.checks.chain.ok ? body : undefined;
      });
      expect(health.status).toBe("degraded");
      expect(health.checks.chain.ok).toBe(false);
      expect(health.checks.chain.detail).toMatch(/unreachable/);
      expect(health.queue.waiting).toBeGreaterThan(0);
      for (const doc of docs) expect(await statusOf(api, doc.leaf)).toMatchObject({ status: "pending" });

      await proxy.up();
      const provider = await connectRpc(testChain.chain.url);
      for (const doc of docs) {
        const answer = await until("a receipt", async () => {
          const body = await statusOf(api, doc.leaf);
          return body.status === "anchored" ? body : undefined;
        });
        const { status: _status, ...fields } = answer;
        const receipt = { ...fields, documentSha256: doc.sha, salt: doc.salt } as unknown as Receipt;
        expect(await verifyReceipt(doc.bytes, receipt, provider)).toMatchObject({ verified: true });
      }
      provider.destroy();
      const healthy = (await (await fetch(`${api.url}/healthz`)).json()) as { status: string; queue: Record<string, unknown> };
      expect(healthy).toMatchObject({ status: "ok", queue: { waiting: 0, lastError: null, lastBatchConfirmedAt: expect.any(Number) } });
    } finally {
      await api.stop();
      await proxy.close();
    }
  });

  it("replaces a stuck anchoring transaction with the same nonce and a higher fee, anchoring the batch once", async () => {
    const url = testChain.chain.url;
    await rpc(url, "evm_setAutomine", [false]);
    const dataDir = path.join(data.dir, "stuck");
    const api = await startApi({
      OPENCHART_RPC_URL: url,
      OPENCHART_DEPLOYMENTS_DIR: testChain.deploymentsDir,
      OPENCHART_DATA_DIR: dataDir,
      ANCHOR_BATCH_SIZE: "3",
      ANCHOR_INTERVAL_MS: "100",
      ANCHOR_POLL_MS: "50",
      ANCHOR_STUCK_TX_MS: "300",
      ...SIGN_IN_ENV,
    });
    try {
      const docs = await Promise.all([1, 2, 3].map((i) => newDocument(`prescription ${i}`)));
      await submit(api, docs.map((d) => d.leaf));
      const db = new Database(path.join(dataDir, "api.sqlite"), { readonly: true, fileMustExist: true });
      const attempts = await until(() => `two transactions for the batch:\n${api.output()}`, async () => {
        const rows = db.prepare("SELECT tx_hash, nonce, max_fee FROM attempts ORDER BY rowid").all() as { tx_hash: Hex; nonce: number; max_fee: string }[];
        return rows.length >= 2 ? rows : undefined;
      });
      db.close();
      expect(new Set(attempts.map((a) => a.nonce)).size).toBe(1);
      expect(BigInt(attempts[1]!.max_fee)).toBeGreaterThan(BigInt(attempts[0]!.max_fee));

      await rpc(url, "evm_setAutomine", [true]);
      await rpc(url, "evm_mine");
      const answer = await until("a receipt", async () => {
        const body = await statusOf(api, docs[0]!.leaf);
        return body.status === "anchored" ? body : undefined;
      });
      const provider = await connectRpc(url);
      // Only one of the transactions sharing the nonce was mined, and the receipt names it.
      const mined = await Promise.all(attempts.map((a) => provider.getTransactionReceipt(a.tx_hash)));
      expect(mined.filter((r) => r !== null)).toHaveLength(1);
      expect(answer.txHash).toBe(mined.find((r) => r !== null)!.hash.toLowerCase());
      const registry = new Interface(recordRegistryAbi);
      const logs = await provider.getLogs({ topics: [registry.getEvent("RootAnchored")!.topicHash, answer.root as string], fromBlock: 0 });
      expect(logs).toHaveLength(1);
      const { status: _status, ...fields } = answer;
      const receipt = { ...fields, documentSha256: docs[0]!.sha, salt: docs[0]!.salt } as unknown as Receipt;
      expect(await verifyReceipt(docs[0]!.bytes, receipt, provider)).toMatchObject({ verified: true });
      provider.destroy();
    } finally {
      await rpc(url, "evm_setAutomine", [true]);
      await api.stop();
    }
  });
});
