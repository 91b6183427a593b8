// The attack on the local chain: any web page the user opens can POST to loopback. It used to get
// `Access-Control-Allow-Origin: *`, the node's 20 unlocked accounts and `hardhat_setStorageAt`, which the
// journal replays on every start (a foreign page wrote an active consent that way).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";
import { freePort, startHardhatNode } from "../chain/hardhat-node";
import { startPersistentChain, type PersistentChain } from "./chain";
import { rpc } from "./rpc";

const WEB_APP = "http://127.0.0.1:18080";
const FOREIGN = "https://attacker.example";
const SLOT = "0x0";
const TARGET = DEV_ACCOUNTS[4].address;
const FORGED = `0x${"01".repeat(32)}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-chain-access-"));
let chain: PersistentChain;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: { result?: unknown; error?: { code: number; message: string } } | undefined;
}

/** A raw HTTP request, so a test can send what a browser sends (Origin, Host, a text/plain "simple" POST). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? "POST", headers: options.headers }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, json: text ? JSON.parse(text) : undefined }));
    });
    request.on("error", reject);
    request.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

const call = (method: string, params: unknown[] = []) => ({ jsonrpc: "2.0", id: 1, method, params });
const storage = () => rpc<string>(chain.url, "eth_getStorageAt", [TARGET, SLOT, "latest"]);

beforeAll(async () => {
  chain = await startPersistentChain({ dataDir, port: await freePort(), webOrigins: [WEB_APP, "http://localhost:18080"] });
});

afterAll(async () => {
  await chain?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the local chain proxy against web pages", () => {
  it("refuses a foreign page's request before it reaches the node, and never journals it", async () => {
    const before = await storage();
    // A no-cors "simple" request: the browser sends it without a preflight.
    const forged = await send(chain.url, { headers: { origin: FOREIGN, "content-type": "text/plain" }, body: call("hardhat_setStorageAt", [TARGET, SLOT, FORGED]) });
    expect(forged.status).toBe(403);
    expect(forged.headers["access-control-allow-origin"]).toBeUndefined();
    expect(forged.json?.error?.message).toMatch(`origin ${FOREIGN} may not use this local chain`);
    const preflight = await send(chain.url, { method: "OPTIONS", headers: { origin: FOREIGN, "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    const read = await send(chain.url, { headers: { origin: FOREIGN, "content-type": "application/json" }, body: call("eth_accounts") });
    expect(read.status).toBe(403);
    expect(await storage()).toBe(before);
    expect(fs.readFileSync(path.join(dataDir, "chain", "journal.jsonl"), "utf8")).not.toContain("hardhat_setStorageAt");
  });

  it("refuses a DNS-rebound page (a foreign Host)", async () => {
    const port = new URL(chain.url).port;
    const rebound = await send(chain.url, { headers: { host: `attacker.example:${port}`, "content-type": "application/json" }, body: call("eth_chainId") });
    expect(rebound.status).toBe(403);
  });

  it("lets the web app read and send signed transactions, with CORS for its own origin only", async () => {
    const preflight = await send(chain.url, { method: "OPTIONS", headers: { origin: WEB_APP, "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(WEB_APP);
    const read = await send(chain.url, { headers: { origin: WEB_APP, "content-type": "application/json" }, body: call("eth_chainId") });
    expect(read).toMatchObject({ status: 200, json: { result: "0x7a69" } });
    expect(read.headers["access-control-allow-origin"]).toBe(WEB_APP);
    // The wallet signs; the page only relays the raw transaction.
    const provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true });
    try {
      const wallet = new Wallet(DEV_ACCOUNTS[3].key, provider);
      const raw = await wallet.signTransaction(await wallet.populateTransaction({ to: TARGET, value: 1n }));
      const sent = await send(chain.url, { headers: { origin: WEB_APP, "content-type": "application/json" }, body: call("eth_sendRawTransaction", [raw]) });
      expect(sent.json?.error).toBeUndefined();
      expect(sent.json?.result).toMatch(/^0x[0-9a-f]{64}$/);
    } finally {
      provider.destroy();
    }
  });

  it.each([
    ["hardhat_setStorageAt", [TARGET, SLOT, FORGED]],
    ["hardhat_mine", []],
    ["evm_mine", []],
    ["evm_increaseTime", [3600]],
    ["eth_accounts", []],
    ["eth_sendTransaction", [{ from: DEV_ACCOUNTS[1].address, to: TARGET, value: "0x1" }]],
    ["personal_sign", ["0x68656c6c6f", DEV_ACCOUNTS[1].address]],
    ["eth_sign", [DEV_ACCOUNTS[1].address, "0x68656c6c6f"]],
    ["eth_signTypedData_v4", [DEV_ACCOUNTS[1].address, "{}"]],
  ])("keeps %s to the launcher's own clients", async (method, params) => {
    const before = await storage();
    for (const headers of [{ origin: WEB_APP }, {}, { authorization: "Bearer guessed" }] as Record<string, string>[]) {
      const answer = await send(chain.url, { headers: { ...headers, "content-type": "application/json" }, body: call(method, params) });
      expect(answer.json?.error?.message).toMatch(`${method} is available only to the platform launcher's own clients`);
    }
    // A batch cannot smuggle one in behind a read.
    const batch = await send(chain.url, { headers: { origin: WEB_APP, "content-type": "application/json" }, body: [call("eth_chainId"), { ...call(method, params), id: 2 }] });
    expect(batch.json).toEqual([expect.objectContaining({ error: expect.anything() }), expect.objectContaining({ error: expect.anything() })]);
    expect(await storage()).toBe(before);
  });

  it("serves development calls to the launcher's token", async () => {
    await rpc(chain.url, "hardhat_setStorageAt", [TARGET, "0x1", FORGED], chain.launcherHeaders);
    expect(await rpc(chain.url, "eth_getStorageAt", [TARGET, "0x1", "latest"])).toBe(FORGED);
    expect(await rpc<string[]>(chain.url, "eth_accounts", [], chain.launcherHeaders)).toHaveLength(20);
  });

  it("keeps web pages off the Hardhat node's own port too", async () => {
    const node = await startHardhatNode({ refuseBrowsers: true });
    try {
      const fromPage = await send(node.url, { headers: { origin: FOREIGN, "content-type": "text/plain" }, body: call("hardhat_setStorageAt", [TARGET, SLOT, FORGED]) });
      expect(fromPage.status).toBe(403);
      expect(fromPage.headers["access-control-allow-origin"]).toBeUndefined();
      expect(await rpc(node.url, "eth_getStorageAt", [TARGET, SLOT, "latest"])).not.toBe(FORGED);
      expect(await rpc(node.url, "eth_chainId")).toBe("0x7a69");
    } finally {
      await node.stop();
    }
  });
});
