import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitmentOf, connectRpc, newSalt, signRequest, signedFetch } from "@openchart/sdk";
import { startPostgres, type PostgresServer } from "@openchart/testkit/postgres";
import { freePort } from "@openchart/testkit/ports";
import { DEV_ACCOUNTS } from "@openchart/testkit/chain";
import { walletSession } from "@openchart/testkit/session";
import { rpc, startApi, startTestChain, tempDir, type ApiProcess, type TestChain } from "../../test/stack.js";
import { API_AUDIENCE, SIGN_IN_ENV, postAnchors, readReply, signedInUser } from "../../test/signed-client.js";
import { licensedDoctor } from "../../test/doctors.js";
import { sharedDatabaseEnv } from "../../test/shared-database.js";
import { anchoringLedger, killLeader, leaderOf, submitAcross, waitAnchored } from "../../test/replica-load.js";

// Issue 18: two API processes (the built server) on one PostgreSQL and one chain, each with its own data
// directory: whatever they share, they share through the database.
const LEAVES = 2_000;
const KILLS = 3;
const LEASE_MS = 1_500;
const PER_DID_PER_MINUTE = 150;

let testChain: TestChain;
let postgres: PostgresServer;
let env: Record<string, string>;
const replicas: ApiProcess[] = [];
const ports: number[] = [];
const dirs = [tempDir("openchart-replica-a-"), tempDir("openchart-replica-b-")];
const issuerWallet = Wallet.createRandom();

/** (Re)starts replica `i` on its port and data directory. */
async function start(i: number): Promise<ApiProcess> {
  replicas[i] = await startApi({ ...env, OPENCHART_DATA_DIR: dirs[i]!.dir }, ports[i]);
  return replicas[i]!;
}

beforeAll(async () => {
  [testChain, postgres] = await Promise.all([startTestChain(), startPostgres()]);
  // A block every 300 ms, not one per transaction: a sent batch stays unconfirmed for a while, and a kill may land there.
  await rpc(testChain.chain.url, "evm_setAutomine", [false]);
  await rpc(testChain.chain.url, "evm_setIntervalMining", [300]);
  env = {
    OPENCHART_RPC_URL: testChain.chain.url,
    OPENCHART_DEPLOYMENTS_DIR: testChain.deploymentsDir,
    ...(await sharedDatabaseEnv(postgres.url)),
    API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}`,
    API_RATE_LIMIT_PER_DID_PER_MINUTE: String(PER_DID_PER_MINUTE),
    ANCHOR_LEASE_MS: String(LEASE_MS),
    ANCHOR_BATCH_SIZE: "100",
    ANCHOR_INTERVAL_MS: "150",
    ANCHOR_POLL_MS: "30",
    ANCHOR_LEAVES_PER_DID_PER_DAY: "100000",
    ...SIGN_IN_ENV,
  };
  ports.push(await freePort(), await freePort());
  // Together, as an operator would: they create the tables and the agent's issuer DID one at a time.
  await Promise.all([start(0), start(1)]);
}, 120_000);

afterAll(async () => {
  for (const replica of replicas) await replica?.stop();
  await Promise.all([testChain?.stop(), postgres?.stop()]);
  for (const dir of dirs) dir.remove();
});

describe("two API replicas on one PostgreSQL", () => {
  it("anchors 2,000 leaves submitted across both exactly once while the batcher's holder is killed at random moments", async () => {
    const leaves = Array.from({ length: LEAVES }, () => commitmentOf(newSalt(), newSalt()));
    const [one, two] = [(await walletSession()).session, (await walletSession()).session];
    const live = () => replicas.filter((replica) => replica.child.exitCode === null && replica.child.signalCode === null);
    // Paced so that the submission lasts through the kills and restarts (about 15 s).
    const submitting = Promise.all([submitAcross(live, one, leaves.slice(0, LEAVES / 2), "one", 200), submitAcross(live, two, leaves.slice(LEAVES / 2), "two", 200)]);

    const takeovers: { killed: number; successor: number; seconds: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1_200));
      const { killed, successor, takeoverSeconds } = await killLeader(replicas);
      takeovers.push({ killed: replicas.indexOf(killed as ApiProcess), successor: replicas.indexOf(successor as ApiProcess), seconds: takeoverSeconds });
      await start(replicas.indexOf(killed as ApiProcess)); // back behind the "balancer" while the other anchors
    }
    const retries = (await submitting).reduce((sum, n) => sum + n, 0);
    await waitAnchored(postgres.url, leaves, 60_000);

    const provider = await connectRpc(testChain.chain.url);
    try {
      const ledger = await anchoringLedger(postgres.url, provider, testChain.deployment.contracts.RecordRegistry.address, DEV_ACCOUNTS[0].address, leaves);
      console.log(`replicas: ${JSON.stringify({ takeovers, retries, ...ledger })}`);
      expect(ledger).toMatchObject({ leavesLost: 0, doubleAnchored: 0, extraAnchorTransactions: 0 });
      expect(ledger.batches).toBeGreaterThanOrEqual(LEAVES / 100);
    } finally {
      provider.destroy();
    }
    // Each kill hit the batcher's holder, and the other replica took the batcher over within the lease and a poll.
    for (const takeover of takeovers) {
      expect(takeover.successor).toBe(1 - takeover.killed);
      expect(takeover.seconds).toBeLessThan(LEASE_MS / 1000 + 1.5);
    }
    // Receipts are the same from either replica.
    for (const leaf of leaves.filter((_, i) => i % 200 === 0)) {
      const [a, b] = await Promise.all(replicas.map(async (replica) => (await fetch(`${replica.url}/anchors/${leaf}`)).json()));
      expect(a).toMatchObject({ status: "anchored", leaf });
      expect(b).toEqual(a);
    }
  }, 150_000);

  it("refuses at one replica a signed request the other already took, and replays an Idempotency-Key's answer from the other", async () => {
    const [a, b] = replicas as [ApiProcess, ApiProcess];
    const { session } = await walletSession();
    const headers = await signRequest(session, { method: "GET", path: "/auth/me" }, { audience: API_AUDIENCE });
    expect((await fetch(`${a.url}/auth/me`, { headers })).status).toBe(200);
    const replayed = await readReply<{ detail: string }>(await fetch(`${b.url}/auth/me`, { headers }));
    expect(replayed.status).toBe(401);
    expect(replayed.body.detail).toMatch(/^REPLAYED_NONCE/);

    const leaves = [commitmentOf(newSalt(), newSalt()), commitmentOf(newSalt(), newSalt())];
    const first = await postAnchors(a.url, session, leaves, { idempotencyKey: "across-replicas" });
    expect(first.status).toBe(202);
    const retried = await postAnchors(b.url, session, leaves, { idempotencyKey: "across-replicas" });
    expect(retried.status).toBe(202);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    const [firstBody, retriedBody] = [(await first.json()) as { leaves: unknown }, (await retried.json()) as { leaves: unknown }];
    expect(retriedBody.leaves).toEqual(firstBody.leaves);
    const reused = await postAnchors(b.url, session, [leaves[0]!], { idempotencyKey: "across-replicas" });
    expect(reused.status).toBe(409);
  });

  it("counts a caller's requests once across replicas: the per-DID limit holds whichever replica they reach", async () => {
    const user = await signedInUser(replicas[0]!.url);
    const { token } = (await user.post<{ token: string }>("/auth/token")).body;
    const me = (i: number) => fetch(`${replicas[i % 2]!.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    // The token request counted once; each replica alone would let PER_DID_PER_MINUTE through.
    for (let i = 1; i < PER_DID_PER_MINUTE; i++) expect((await me(i)).status).toBe(200);
    for (const i of [0, 1]) {
      const refused = await me(i);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  });

  it("keeps a doctor's session licensed on the other replica, with a token from either, and across a restart", async () => {
    const [a, b] = replicas as [ApiProcess, ApiProcess];
    const issuer = await signedInUser(a.url, issuerWallet);
    const doctor = await licensedDoctor(a.url, issuer);
    const meAt = async (url: string) => readReply<{ roles: string[] }>(await signedFetch(doctor.session, `${url}/auth/me`, { method: "GET" }, { audience: API_AUDIENCE }));
    expect((await meAt(b.url)).body.roles).toContain("doctor");
    const { token } = (await doctor.post<{ token: string }>("/auth/token")).body;

    await a.stop();
    const restarted = await start(0);
    expect((await meAt(restarted.url)).body.roles).toContain("doctor");
    const byToken = await readReply<{ roles: string[] }>(await fetch(`${restarted.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } }));
    expect(byToken.body.roles).toContain("doctor");
    expect((await fetch(`${restarted.url}/doctors/${doctor.did}`)).status).toBe(200);
    // A stop gives the lease up (a SIGTERM'd holder does not make the other wait for it to lapse).
    await leaderOf(replicas, 3_000);
  }, 60_000);
});
