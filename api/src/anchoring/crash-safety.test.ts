import path from "node:path";
import Database from "better-sqlite3";
import { Contract, Interface } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitmentOf, connectRpc, documentSha256, newSalt, recordRegistryAbi, rootFromProof, verifyReceipt, type Hex, type Receipt } from "@openchart/sdk";
import { freePort } from "@openchart/testkit/ports";
import { rpc, startApi, startTestChain, tempDir, type ApiProcess, type TestChain } from "../../test/stack.js";
import { SIGN_IN_ENV, postAnchors } from "../../test/signed-client.js";
import { walletSession } from "@openchart/testkit/session";
import type { SigningSession } from "@openchart/sdk";

// The API is killed with SIGKILL while leaves arrive, while a batch is built but unsent, and while
// its transaction is sent but unconfirmed; after each kill it restarts on the same database.
// Every leaf must end with exactly one receipt that verifies, and every root be anchored once.
const LEAVES = 1_000;
const KILL_PLAN = ["any", "built", "sent", "any", "sent", "built", "sent", "any", "sent"] as const;

let testChain: TestChain;
let api: ApiProcess;
let port: number;
let env: Record<string, string>;
let session: SigningSession;
const data = tempDir("openchart-crash-");

beforeAll(async () => {
  testChain = await startTestChain();
  // Blocks every 400 ms instead of one per transaction: a sent batch stays unconfirmed for a while.
  await rpc(testChain.chain.url, "evm_setAutomine", [false]);
  await rpc(testChain.chain.url, "evm_setIntervalMining", [400]);
  port = await freePort();
  env = {
    OPENCHART_RPC_URL: testChain.chain.url,
    OPENCHART_DEPLOYMENTS_DIR: testChain.deploymentsDir,
    OPENCHART_DATA_DIR: data.dir,
    ANCHOR_BATCH_SIZE: "100",
    ANCHOR_INTERVAL_MS: "150",
    ANCHOR_POLL_MS: "30",
    ANCHOR_CONFIRMATIONS: "2",
    ...SIGN_IN_ENV,
  };
  api = await startApi(env, port);
  session = (await walletSession()).session;
});

afterAll(async () => {
  await api?.stop();
  await testChain?.stop();
  data.remove();
});

type Doc = { bytes: Uint8Array; sha: Hex; salt: Hex; leaf: Hex };

async function makeDocuments(): Promise<Doc[]> {
  return Promise.all(
    Array.from({ length: LEAVES }, async (_, i) => {
      const bytes = new TextEncoder().encode(`discharge summary ${i} ${Math.random()}`);
      const sha = await documentSha256(bytes);
      const salt = newSalt();
      return { bytes, sha, salt, leaf: commitmentOf(sha, salt) };
    }),
  );
}

/** Submits in requests of 1 to 30 leaves, each retried with its Idempotency-Key until the API answers. */
async function submitAll(docs: Doc[]): Promise<number> {
  let retries = 0;
  for (let start = 0, n = 0; start < docs.length; start += n) {
    n = 1 + Math.floor(Math.random() * 30);
    const leaves = docs.slice(start, start + n).map((d) => d.leaf);
    for (;;) {
      try {
        const response = await postAnchors(`http://127.0.0.1:${port}`, session, leaves, { idempotencyKey: `crash-${start}`, signal: AbortSignal.timeout(5_000) });
        if (response.status === 202) break;
        throw new Error(`POST /anchors answered ${response.status}: ${await response.text()}`);
      } catch (error) {
        if ((error as Error).message.startsWith("POST")) throw error;
        retries++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return retries;
}

/** Waits (up to 4 s) until the API's database shows an open batch in `phase`; true if it did. */
async function waitForPhase(db: Database.Database, phase: (typeof KILL_PLAN)[number]): Promise<boolean> {
  if (phase === "any") {
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
    return true;
  }
  const query = db.prepare("SELECT count(*) AS n FROM batches WHERE status = ?");
  const deadline = Date.now() + 4_000;
  while (Date.now() < deadline) {
    if ((query.get(phase) as { n: number }).n > 0) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
}

describe("crash safety", () => {
  it("gives every one of 1,000 leaves exactly one valid receipt despite SIGKILLs at any point", async () => {
    const docs = await makeDocuments();
    const submitting = submitAll(docs);
    const db = new Database(path.join(data.dir, "api.sqlite"), { readonly: true, fileMustExist: true });
    const kills: { phase: string; caught: boolean }[] = [];
    for (const phase of KILL_PLAN) {
      const caught = await waitForPhase(db, phase);
      await api.kill();
      kills.push({ phase, caught });
      api = await startApi(env, port);
    }
    const retries = await submitting;

    const anchored = db.prepare(
      "SELECT count(*) AS n FROM leaves l JOIN batches b ON b.id = l.batch_id WHERE b.status = 'confirmed' AND l.leaf IN (SELECT value FROM json_each(?))",
    );
    const leavesJson = JSON.stringify(docs.map((d) => d.leaf));
    const deadline = Date.now() + 60_000;
    while ((anchored.get(leavesJson) as { n: number }).n < LEAVES) {
      if (Date.now() > deadline) throw new Error(`not all leaves anchored in time:\n${api.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    db.close();

    // The kill plan really hit a batch between building and sending, and between sending and confirming.
    expect(kills.filter((k) => k.phase === "sent" && k.caught).length).toBeGreaterThan(0);
    expect(kills.filter((k) => k.phase === "built" && k.caught).length).toBeGreaterThan(0);
    expect(retries).toBeGreaterThan(0);

    const receipts = new Map<Hex, Receipt>();
    for (const doc of docs) {
      const answer = (await (await fetch(`${api.url}/anchors/${doc.leaf}`)).json()) as Record<string, unknown>;
      expect(answer.status).toBe("anchored");
      const { status: _status, ...fields } = answer;
      const receipt = { ...fields, documentSha256: doc.sha, salt: doc.salt } as unknown as Receipt;
      expect(rootFromProof(doc.leaf, receipt.proof)).toBe(receipt.root);
      receipts.set(doc.leaf, receipt);
    }

    // Each root is anchored by exactly one transaction, the one its receipts name, and no batch
    // was anchored that no receipt refers to (which would mean leaves anchored twice).
    const provider = await connectRpc(testChain.chain.url);
    const registry = new Interface(recordRegistryAbi);
    const logs = await provider.getLogs({
      address: testChain.deployment.contracts.RecordRegistry.address,
      topics: [registry.getEvent("RootAnchored")!.topicHash],
      fromBlock: 0,
    });
    const txOfRoot = new Map<string, string>();
    for (const log of logs) {
      expect(txOfRoot.has(log.topics[1]!)).toBe(false);
      txOfRoot.set(log.topics[1]!, log.transactionHash.toLowerCase());
    }
    const roots = new Set([...receipts.values()].map((r) => r.root));
    expect(txOfRoot.size).toBe(roots.size);
    for (const receipt of receipts.values()) expect(txOfRoot.get(receipt.root)).toBe(receipt.txHash);

    const contract = new Contract(testChain.deployment.contracts.RecordRegistry.address, recordRegistryAbi, provider);
    for (const root of roots) {
      const [at] = (await contract.getFunction("anchorOf")(root)) as [bigint];
      expect(at).toBeGreaterThan(0n);
    }
    // Full sdk verification (document hash, commitment, proof, contract, transaction, time) for a sample.
    for (const doc of docs.filter((_, i) => i % 40 === 0)) {
      expect(await verifyReceipt(doc.bytes, receipts.get(doc.leaf)!, provider)).toMatchObject({ verified: true });
    }
    provider.destroy();
    console.log(`crash safety: ${kills.length} kills (${JSON.stringify(kills)}), ${retries} retried requests, ${roots.size} batches`);
    // Most of its time is the API's restarts after each kill (5 to 17 s apiece on a busy 2-core machine):
    // it asserts what survives the kills, not how fast, so it gets more than the project's 180 s.
  }, 300_000);
});
