import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Contract, JsonRpcProvider } from "ethers";
import { afterAll, describe, expect, it } from "vitest";
import { consentRegistryAt, readConsent, recordRegistryAbi } from "@openchart/sdk";
import { DEMO_DOCTOR_NAME, DEMO_PATIENT, signIn } from "./demo";
import { startPlatform, type Platform } from "./index";
import { rpc } from "./rpc";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-platform-"));
const dataDir = path.join(work, "data");
const deploymentsDir = path.join(work, "deployments");
const FREE = { chain: 0, ceramic: 0, ipfs: 0, api: 0, web: 0 };
let running: Platform | undefined;

afterAll(async () => {
  await running?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stopAndCheck(platform: Platform): Promise<void> {
  await platform.stop();
  running = undefined;
  for (const pid of Object.values(platform.pids)) expect(alive(pid), `pid ${pid} still running`).toBe(false);
  await expect(fetch(platform.url)).rejects.toThrow();
}

/** Anchored roots of the RecordRegistry, waiting until the API's batcher anchored at least one. */
async function anchoredRoots(platform: Platform): Promise<{ root: string; txHash: string }[]> {
  const provider = new JsonRpcProvider(platform.endpoints.chain, undefined, { staticNetwork: true });
  const registry = new Contract(platform.deployment.contracts.RecordRegistry.address, recordRegistryAbi, provider);
  try {
    for (let i = 0; i < 100; i++) {
      const logs = await registry.queryFilter(registry.filters.RootAnchored!(), 0);
      if (logs.length > 0) return logs.map((l) => ({ root: l.topics[1]!, txHash: l.transactionHash }));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Error("no root anchored within 30 s");
  } finally {
    provider.destroy();
  }
}

async function consentOf(platform: Platform, id: string): Promise<string> {
  const provider = new JsonRpcProvider(platform.endpoints.chain, undefined, { staticNetwork: true });
  try {
    return (await readConsent(consentRegistryAt(platform.deployment.contracts.ConsentRegistry.address, provider), id)).status;
  } finally {
    provider.destroy();
  }
}

describe("npm start's platform", () => {
  it("refuses a taken port, naming the variable that moves it", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await expect(startPlatform({ dataDir, deploymentsDir, ports: { ...FREE, api: port } })).rejects.toThrow(`port ${port} for the API is taken`);
      await expect(startPlatform({ dataDir, deploymentsDir, ports: { ...FREE, api: port } })).rejects.toThrow("set API_PORT to another port");
    } finally {
      blocker.close();
    }
  });

  it("starts every part with the demo, keeps it all across a restart, and starts over on reset", async () => {
    const first = (running = await startPlatform({ dataDir, deploymentsDir, demo: true, ports: FREE }));
    // Every endpoint answers, and the web app's config.json points at the others.
    expect((await fetch(first.url)).headers.get("content-type")).toMatch(/text\/html/);
    const config = (await (await fetch(new URL("config.json", first.url))).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      chainId: 31337,
      rpcUrl: first.endpoints.chain,
      apiUrl: first.endpoints.api,
      ceramicUrl: first.endpoints.ceramic,
      ipfsUrl: first.endpoints.ipfs,
      contracts: { RecordRegistry: first.deployment.contracts.RecordRegistry.address },
    });
    // An unauthenticated route names no patient and no clinician, not even the demo's.
    expect(config).not.toHaveProperty("demo");
    expect(((await (await fetch(`${first.endpoints.api}/healthz`)).json()) as { status: string }).status).toBe("ok");
    // The web app's origin may call the API with signed requests (CORS preflight).
    const origin = new URL(first.url).origin;
    const preflight = await fetch(`${first.endpoints.api}/licenses`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    expect((await fetch(`${first.endpoints.ceramic}/api/v0/node/healthcheck`)).ok).toBe(true);
    expect((await fetch(`${first.endpoints.ipfs}/api/v0/id`, { method: "POST" })).ok).toBe(true);
    expect(await rpc(first.endpoints.chain, "eth_chainId")).toBe("0x7a69");
    expect(first.issuerDid).toMatch(/^did:key:z6Mk/);
    expect(JSON.parse(fs.readFileSync(path.join(deploymentsDir, "localhost.json"), "utf8"))).toEqual(first.deployment);
    // The demo: a license, two records anchored through the API, a grant and its consent on chain.
    const demo = first.demo!;
    const credential = JSON.parse(Buffer.from(demo.license!.jwt.split(".")[1]!, "base64url").toString()) as { iss: string; sub: string };
    expect(credential).toMatchObject({ iss: first.issuerDid, sub: demo.doctor.did });
    expect(demo.records).toHaveLength(2);
    expect(await consentOf(first, demo.consent!.id)).toBe("active");
    // The doctor published the license once: patients find and check the doctor while the doctor is offline.
    const shown = (await (await fetch(`${first.endpoints.api}/doctors/${demo.doctor.did}`)).json()) as { doctor: { name?: string }; listed: boolean };
    expect(shown).toMatchObject({ doctor: { name: DEMO_DOCTOR_NAME }, listed: true });
    const found = (await (await fetch(`${first.endpoints.api}/directory?specialty=394814009`)).json()) as { doctors: { did: string }[] };
    expect(found.doctors.map((d) => d.did)).toContain(demo.doctor.did.toLowerCase());
    const roots = await anchoredRoots(first);
    // Security round 2: the web app's headers (item 8), the IPFS RPC (item 9).
    expect((await fetch(first.url)).headers.get("content-security-policy")).toContain(`connect-src 'self' ${new URL(first.endpoints.chain).origin}`);
    expect((await fetch(`${first.endpoints.ipfs}/api/v0/config/show`, { method: "POST" })).status).toBe(403);
    expect((await fetch(`${first.endpoints.ipfs}/api/v0/repo/gc`, { method: "POST" })).status).toBe(401);
    await stopAndCheck(first);
    // Item 9: the state folder and everything in it are owner-only (databases, IPFS repo, journal, keys, logs).
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    const loose = fs
      .readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => (fs.lstatSync(file).mode & 0o077) !== 0 && !fs.lstatSync(file).isSymbolicLink());
    expect(loose).toEqual([]);

    const second = (running = await startPlatform({ dataDir, deploymentsDir, demo: true, ports: FREE }));
    expect(second.replayed?.identical).toBe(true);
    expect(second.deployment).toEqual(first.deployment);
    expect(second.demo).toEqual(first.demo);
    expect(await anchoredRoots(second)).toEqual(expect.arrayContaining(roots));
    expect(await consentOf(second, demo.consent!.id)).toBe("active");
    const receipt = await rpc<{ status: string }>(second.endpoints.chain, "eth_getTransactionReceipt", [demo.consent!.txHash]);
    expect(receipt.status).toBe("0x1");
    // The records are still in Ceramic and IPFS, once each, and still open.
    const patient = await signIn(DEMO_PATIENT.key, second.endpoints);
    const records = await patient.listRecords();
    expect(records.map((r) => r.id).sort()).toEqual(demo.records!.map((r) => r.id).sort());
    await stopAndCheck(second);

    const fresh = (running = await startPlatform({ dataDir, deploymentsDir, reset: true, ports: FREE }));
    expect(fresh.wiped.map((p) => path.basename(p))).toEqual(expect.arrayContaining(["chain", "ceramic", "ipfs", "demo.json"]));
    expect(fresh.replayed).toBeUndefined();
    expect(fresh.demo).toBeUndefined();
    expect(Number(await rpc(fresh.endpoints.chain, "eth_blockNumber"))).toBe(2);
    await stopAndCheck(fresh);
  }, 300_000); // two whole platform starts and a reset: past 180 s on a loaded 2-core machine
});
