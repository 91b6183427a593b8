// API figures (`npm run bench:api`): the video-token route under load, next to /healthz, with a
// licensed doctor signed in by API token and an active consent on a real hardhat chain; and signInMs,
// the cost of verifying a session-signed request (CACAO + JWS, no cache). Loopback only.
//
// The API runs with its per-IP rate limit lifted for loopback (API_RATE_LIMIT_ALLOW=127.0.0.1,::1,
// API_RATE_LIMIT_PER_MINUTE and API_RATE_LIMIT_PER_DID_PER_MINUTE high): the load generator is one client and
// one doctor, which the limits would cut off.
// Every token answer is audited (group-committed SQLite transactions, synchronous=FULL).
import autocannon from "autocannon";
import { Wallet } from "ethers";
import { MemoryNonceStore, signRequest, verifySignedRequest } from "@openchart/sdk";
import { walletSession } from "@openchart/testkit/session";
import { ConsentChain } from "../api/test/consent-chain.ts";
import { licensedDoctor } from "../api/test/doctors.ts";
import { API_AUDIENCE, APP_DOMAIN, SIGN_IN_ENV, signedInUser } from "../api/test/signed-client.ts";
import { loadBenchEnv, startBenchStack } from "./api-stack.mts";
import { median } from "./crypto-measure.ts";
import { writeResults } from "./results.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// 64 concurrent clients: each token answer waits for its audit entry's fully synced commit (1 to 4 ms
// on this disk), so by Little's law 16 clients cannot exceed ~16 / 3 ms; the 16-client figure is kept too.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const FEW_CONNECTIONS = 16;

interface Load {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function load(url: string, init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string }, seconds = SECONDS, connections = CONNECTIONS): Promise<Load> {
  const result = await autocannon({ url, connections, duration: seconds, ...init });
  return { reqPerSec: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx + result.errors + result.timeouts };
}

/** Median time of verifying a fresh session-signed request: the wallet's CACAO (SIWE signature) and the session key's JWS. */
async function signInMs(runs = 100): Promise<number> {
  const { session } = await walletSession();
  const request = { method: "POST", path: "/consults/token", body: "{}" };
  const signed = [];
  for (let i = 0; i < runs + 20; i++) signed.push(await signRequest(session, request, { audience: API_AUDIENCE }));
  const nonceStore = new MemoryNonceStore();
  const times: number[] = [];
  for (const [i, headers] of signed.entries()) {
    const start = performance.now();
    const verdict = await verifySignedRequest({ ...request, headers }, { domain: APP_DOMAIN, audience: API_AUDIENCE, chainIds: [31337], nonceStore, now: Date.now() });
    if (!verdict.ok) throw new Error(`sign-in refused: ${verdict.code} ${verdict.reason}`);
    if (i >= 20) times.push(performance.now() - start); // the first 20 warm the curve code up
  }
  return median(times);
}

async function main(): Promise<void> {
  const issuerWallet = Wallet.createRandom();
  const stack = await startBenchStack({ ...SIGN_IN_ENV, ...loadBenchEnv(`did:pkh:eip155:31337:${issuerWallet.address.toLowerCase()}`) });
  const chain = await ConsentChain.connect(stack.rpcUrl, stack.consentRegistry, stack.deployerKey);
  try {
    const issuer = await signedInUser(stack.apiUrl, issuerWallet);
    const doctor = await licensedDoctor(stack.apiUrl, issuer);
    const patient = `did:pkh:eip155:31337:${Wallet.createRandom().address.toLowerCase()}`;
    const { opening } = await chain.grant(patient, doctor.did, (await chain.chainNow()) + 86_400);
    const { token } = (await doctor.post<{ token: string; roles: string[] }>("/auth/token")).body;
    const tokenRoute = {
      method: "POST" as const,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ opening }),
    };
    const probe = await fetch(`${stack.apiUrl}/consults/token`, tokenRoute);
    if (probe.status !== 200) throw new Error(`the token route refused the bench doctor: ${await probe.text()}`);

    await load(`${stack.apiUrl}/consults/token`, tokenRoute, 2); // warm-up (JIT)
    await load(`${stack.apiUrl}/healthz`, { method: "GET" }, 1);
    const tokens: Load[] = [];
    const healthz: Load[] = [];
    const fewClients: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      tokens.push(await load(`${stack.apiUrl}/consults/token`, tokenRoute));
      healthz.push(await load(`${stack.apiUrl}/healthz`, { method: "GET" }));
      fewClients.push(await load(`${stack.apiUrl}/consults/token`, tokenRoute, SECONDS, FEW_CONNECTIONS));
      const [t, h, f] = [tokens[round]!, healthz[round]!, fewClients[round]!];
      console.log(`round ${round + 1}: token ${Math.round(t.reqPerSec)} req/s p99 ${t.p99Ms} ms; healthz ${Math.round(h.reqPerSec)} req/s; token with ${FEW_CONNECTIONS} clients ${Math.round(f.reqPerSec)} req/s p99 ${f.p99Ms} ms`);
    }
    const failed = [...tokens, ...fewClients].reduce((sum, t) => sum + t.non2xx, 0);
    if (failed > 0) throw new Error(`${failed} token requests failed under load`);
    writeResults("api", {
      tokenReqPerSec: Math.round(median(tokens.map((t) => t.reqPerSec))),
      tokenP50Ms: median(tokens.map((t) => t.p50Ms)),
      tokenP99Ms: median(tokens.map((t) => t.p99Ms)),
      healthzReqPerSec: Math.round(median(healthz.map((h) => h.reqPerSec))),
      healthzP99Ms: median(healthz.map((h) => h.p99Ms)),
      tokenToHealthzRatio: median(tokens.map((t, i) => t.reqPerSec / healthz[i]!.reqPerSec)),
      [`tokenReqPerSec_${FEW_CONNECTIONS}clients`]: Math.round(median(fewClients.map((t) => t.reqPerSec))),
      [`tokenP99Ms_${FEW_CONNECTIONS}clients`]: median(fewClients.map((t) => t.p99Ms)),
      signInMs: await signInMs(),
      connections: CONNECTIONS,
    });
  } finally {
    chain.destroy();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
