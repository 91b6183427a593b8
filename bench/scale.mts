// Scale-out figures (`npm run bench:scale`, issue 18): API replicas (the built server) on one PostgreSQL
// and one hardhat chain, each with its own data directory.
// - tokenReqPerSec with 1 replica and with 2 (the video-token route as bench:api loads it: a licensed
//   doctor's API token, an active consent), rounds alternated in one run; twoToOneRatio is their ratio.
// - batcherFailoverSeconds: median time from SIGKILL of the batcher's holder to the other replica running
//   the batcher, over KILLS kills made while LEAVES leaves are submitted across both; then leavesLost and
//   doubleAnchored (and extraAnchorTransactions) from the database's proofs against the chain.
// Loopback only; the load generator, both replicas, PostgreSQL and the chain share this machine's cores.
import autocannon from "autocannon";
import { Wallet } from "ethers";
import { commitmentOf, connectRpc, newSalt } from "@openchart/sdk";
import { startPostgres } from "@openchart/testkit/postgres";
import { walletSession } from "@openchart/testkit/session";
import { ConsentChain } from "../api/test/consent-chain.ts";
import { sharedDatabaseEnv } from "../api/test/shared-database.ts";
import { licensedDoctor } from "../api/test/doctors.ts";
import { anchoringLedger, killLeader, leaderOf, submitAcross, waitAnchored } from "../api/test/replica-load.ts";
import { SIGN_IN_ENV, signedInUser } from "../api/test/signed-client.ts";
import { startBenchApi, startBenchChain, type BenchApi } from "./api-stack.mts";
import { median } from "./crypto-measure.ts";
import { writeResults } from "./results.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const LEAVES = Number(process.env.BENCH_LEAVES ?? 2_000);
const KILLS = Number(process.env.BENCH_KILLS ?? 3);
const LEASE_MS = 2_000;

async function load(urls: string[], init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string }, seconds = SECONDS): Promise<{ reqPerSec: number; p99Ms: number; failed: number }> {
  // autocannon spreads its connections over several URLs (round-robin, a balancer in front of the replicas);
  // its type declarations know only one.
  const url = (urls.length === 1 ? urls[0] : urls) as string;
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, ...init });
  return { reqPerSec: result.requests.average, p99Ms: result.latency.p99, failed: result.non2xx + result.errors + result.timeouts };
}

async function main(): Promise<void> {
  const issuerWallet = Wallet.createRandom();
  const [chain, postgres] = await Promise.all([startBenchChain(), startPostgres()]);
  const replicas: BenchApi[] = [];
  const consents = await ConsentChain.connect(chain.rpcUrl, chain.consentRegistry, chain.deployerKey);
  try {
    const env = {
      ...SIGN_IN_ENV,
      ...(await sharedDatabaseEnv(postgres.url)),
      API_ISSUER_DIDS: `did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}`,
      API_RATE_LIMIT_ALLOW: "127.0.0.1,::1",
      API_RATE_LIMIT_PER_MINUTE: "10000000",
      API_RATE_LIMIT_PER_DID_PER_MINUTE: "10000000",
      API_TOKEN_TTL_SECONDS: "3600",
      ANCHOR_LEASE_MS: String(LEASE_MS),
      ANCHOR_BATCH_SIZE: "256",
      ANCHOR_INTERVAL_MS: "200",
      ANCHOR_POLL_MS: "50",
      ANCHOR_LEAVES_PER_DID_PER_DAY: "1000000",
    };
    const dataOf = (i: number) => ({ OPENCHART_DATA_DIR: `${chain.dir}/data-${i}` });
    const ports: number[] = [];
    const start = async (i: number) => {
      replicas[i] = await startBenchApi(chain, { ...env, ...dataOf(i) }, ports[i]);
      ports[i] = Number(new URL(replicas[i]!.url).port);
      return replicas[i]!;
    };
    await Promise.all([start(0), start(1)]);
    const [a, b] = replicas as [BenchApi, BenchApi];

    const issuer = await signedInUser(a.url, issuerWallet);
    const doctor = await licensedDoctor(a.url, issuer);
    const patient = `did:pkh:eip155:31337:${Wallet.createRandom().address.toLowerCase()}`;
    const { opening } = await consents.grant(patient, doctor.did, (await consents.chainNow()) + 86_400);
    const { token } = (await doctor.post<{ token: string }>("/auth/token")).body;
    const init = { method: "POST" as const, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ opening }) };
    const tokenRoute = (...urls: string[]) => urls.map((url) => `${url}/consults/token`);
    for (const url of [a.url, b.url]) {
      const probe = await fetch(`${url}/consults/token`, init);
      if (probe.status !== 200) throw new Error(`the token route at ${url} refused the bench doctor: ${await probe.text()}`);
    }

    await load(tokenRoute(a.url, b.url), init, 2); // warm-up (JIT) of both
    const one: number[] = [];
    const two: number[] = [];
    const healthz: number[] = [];
    let failed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const single = await load(tokenRoute(a.url), init);
      const pair = await load(tokenRoute(a.url, b.url), init);
      const baseline = await load([`${a.url}/healthz`], { method: "GET" });
      one.push(single.reqPerSec);
      two.push(pair.reqPerSec);
      healthz.push(baseline.reqPerSec);
      failed += single.failed + pair.failed;
      console.log(
        `round ${round + 1}: 1 replica ${Math.round(single.reqPerSec)} req/s (p99 ${single.p99Ms} ms); 2 replicas ${Math.round(pair.reqPerSec)} req/s (p99 ${pair.p99Ms} ms); /healthz ${Math.round(baseline.reqPerSec)} req/s`,
      );
    }
    if (failed > 0) throw new Error(`${failed} token requests failed under load`);

    const leaves = Array.from({ length: LEAVES }, () => commitmentOf(newSalt(), newSalt()));
    const sessions = [(await walletSession()).session, (await walletSession()).session];
    const killed = new Set<BenchApi>();
    const live = () => replicas.filter((replica) => !killed.has(replica));
    const half = Math.ceil(LEAVES / 2);
    const submitting = Promise.all([submitAcross(live, sessions[0]!, leaves.slice(0, half), "one", 150), submitAcross(live, sessions[1]!, leaves.slice(half), "two", 150)]);
    const takeovers: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1_200));
      const kill = await killLeader(replicas);
      const victim = kill.killed as BenchApi;
      killed.add(victim);
      takeovers.push(kill.takeoverSeconds);
      console.log(`kill ${k + 1}: the other replica ran the batcher ${kill.takeoverSeconds.toFixed(2)} s after the SIGKILL`);
      await start(replicas.indexOf(victim));
    }
    const retries = (await submitting).reduce((sum, n) => sum + n, 0);
    await waitAnchored(postgres.url, leaves, 120_000);
    await leaderOf(replicas);
    const provider = await connectRpc(chain.rpcUrl);
    const ledger = await anchoringLedger(postgres.url, provider, chain.recordRegistry, chain.batcher, leaves).finally(() => provider.destroy());

    writeResults("scale", {
      tokenReqPerSec_1replica: Math.round(median(one)),
      tokenReqPerSec_2replicas: Math.round(median(two)),
      twoToOneRatio: median(two.map((t, i) => t / one[i]!)),
      healthzReqPerSec_1replica: Math.round(median(healthz)),
      tokenToHealthzRatio_1replica: median(one.map((t, i) => t / healthz[i]!)),
      batcherFailoverSeconds: median(takeovers),
      batcherFailoverSecondsMax: Math.max(...takeovers),
      leaseSeconds: LEASE_MS / 1000,
      leavesLost: ledger.leavesLost,
      doubleAnchored: ledger.doubleAnchored,
      extraAnchorTransactions: ledger.extraAnchorTransactions,
      leaves: LEAVES,
      kills: KILLS,
      submitRetries: retries,
      connections: CONNECTIONS,
    });
  } finally {
    consents.destroy();
    for (const replica of replicas) await replica?.stop();
    await Promise.all([chain.stop(), postgres.stop()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
