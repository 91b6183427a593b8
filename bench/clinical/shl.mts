// SMART Health Links figures (`npm run bench:shl`, and the `shl` part of `npm run bench:clinical`): manifest
// requests per second (POST with a recipient, the IG's request; each answer waits for its access row and audit
// entry to be synced, concurrent answers sharing a commit) beside /healthz in the same run, with a passcode-less
// link and with a passcode link (scrypt N=2^15 per request). The API runs as `npm start` runs it
// (api/bundle/main.js, SQLite), its per-IP rate limit lifted for loopback: the load generator is one client.
import autocannon from "autocannon";
import { createShl } from "@openchart/sdk/shl";
import { freePort } from "../../scripts/chain/free-port.ts";
import { API_AUDIENCE, SIGN_IN_ENV, signedInUser } from "../../api/test/signed-client.ts";
import { startBenchApi, startBenchChain } from "../api-stack.mts";
import { median } from "../crypto-measure.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Load {
  reqPerSec: number;
  p99Ms: number;
  failed: number;
}

async function load(url: string, init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string }, seconds = SECONDS): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, ...init });
  return { reqPerSec: result.requests.average, p99Ms: result.latency.p99, failed: result.non2xx + result.errors + result.timeouts };
}

/** The figures of SMART Health Links' manifest route beside /healthz, from one run. */
export async function measureShl(): Promise<Record<string, number>> {
  const chain = await startBenchChain();
  const port = await freePort();
  const api = await startBenchApi(
    chain,
    {
      ...SIGN_IN_ENV,
      SHL_BASE_URL: `http://127.0.0.1:${port}`,
      // Every request of the passcode round is a right passcode: attempts are taken and given back.
      SHL_PASSCODE_ATTEMPTS: "100",
      API_RATE_LIMIT_ALLOW: "127.0.0.1,::1",
      API_RATE_LIMIT_PER_MINUTE: "10000000",
      API_RATE_LIMIT_PER_DID_PER_MINUTE: "10000000",
    },
    port,
  );
  try {
    const patient = await signedInUser(api.url);
    const signer = { session: patient.session, audience: API_AUDIENCE };
    // One FHIR Bundle of about 2 KB, embedded in the manifest (the common case for a few records).
    const bundle = new TextEncoder().encode(JSON.stringify({ resourceType: "Bundle", type: "collection", entry: Array.from({ length: 8 }, (_, i) => ({ resource: { resourceType: "Observation", id: `o${i}`, status: "final", code: { text: "Haemoglobin" }, valueQuantity: { value: 13 + i / 10, unit: "g/dL" } } })) }));
    const plain = await createShl(api.url, signer, { files: [{ contentType: "application/fhir+json", bytes: bundle }] });
    const guarded = await createShl(api.url, signer, { files: [{ contentType: "application/fhir+json", bytes: bundle }], passcode: "bench-passcode" });
    const request = (passcode?: string) => ({ method: "POST" as const, headers: { "content-type": "application/json" }, body: JSON.stringify({ recipient: "bench", ...(passcode ? { passcode } : {}) }) });
    const probe = await fetch(plain.payload.url, request());
    if (probe.status !== 200) throw new Error(`the manifest route refused the bench: ${await probe.text()}`);

    await load(plain.payload.url, request(), 2); // warm-up (JIT)
    await load(`${api.url}/healthz`, { method: "GET" }, 1);
    const manifests: Load[] = [];
    const healthz: Load[] = [];
    const withPasscode: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      manifests.push(await load(plain.payload.url, request()));
      healthz.push(await load(`${api.url}/healthz`, { method: "GET" }));
      withPasscode.push(await load(guarded.payload.url, request("bench-passcode")));
      const [m, h, p] = [manifests[round]!, healthz[round]!, withPasscode[round]!];
      console.log(`round ${round + 1}: manifest ${Math.round(m.reqPerSec)} req/s p99 ${m.p99Ms} ms; healthz ${Math.round(h.reqPerSec)} req/s; manifest with passcode ${Math.round(p.reqPerSec)} req/s p99 ${p.p99Ms} ms`);
    }
    const failed = [...manifests, ...withPasscode].reduce((sum, l) => sum + l.failed, 0);
    if (failed > 0) throw new Error(`${failed} manifest requests failed under load`);
    return {
      shlManifestReqPerSec: Math.round(median(manifests.map((m) => m.reqPerSec))),
      shlManifestP99Ms: median(manifests.map((m) => m.p99Ms)),
      shlHealthzReqPerSec: Math.round(median(healthz.map((h) => h.reqPerSec))),
      shlManifestToHealthzRatio: median(manifests.map((m, i) => m.reqPerSec / healthz[i]!.reqPerSec)),
      shlManifestWithPasscodeReqPerSec: Math.round(median(withPasscode.map((p) => p.reqPerSec))),
      shlManifestWithPasscodeP99Ms: median(withPasscode.map((p) => p.p99Ms)),
      shlConnections: CONNECTIONS,
    };
  } finally {
    await api.stop();
    await chain.stop();
  }
}
