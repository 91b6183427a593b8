import http from "node:http";
import type { AddressInfo } from "node:net";
import { JOURNALED_CALLS, MINING_CALLS, REFUSED_CALLS, type ChainJournal } from "./chain-journal";
import { corsHeaders, fromLauncher, isLauncherOnly, requestRefusal, type RpcAccessPolicy } from "./rpc-access";

interface RpcRequest {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export interface RpcProxy {
  url: string;
  close(): Promise<void>;
}

const rpcError = (id: unknown, code: number, message: string) => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message } });

/**
 * The chain URL everyone uses: forwards JSON-RPC to the Hardhat node and, before answering a call that
 * mined or changed state, writes it to the journal, so an answered transaction is always persisted.
 * Who may call what is `RpcAccessPolicy`'s rule (rpc-access.ts).
 */
export async function startRpcProxy(options: { nodeUrl: string; port: number; journal: ChainJournal; access: Omit<RpcAccessPolicy, "port"> }): Promise<RpcProxy> {
  const { nodeUrl, journal } = options;
  let policy: RpcAccessPolicy = { ...options.access, port: options.port };
  const server = http.createServer((request, response) => {
    const refusal = requestRefusal(request.headers, policy);
    if (refusal) {
      response.writeHead(403, { "content-type": "application/json", connection: "close" }).end(JSON.stringify(rpcError(null, -32600, refusal)));
      return;
    }
    const cors = corsHeaders(request.headers.origin);
    if (request.method === "OPTIONS") {
      response.writeHead(204, cors).end();
      return;
    }
    const launcher = fromLauncher(request.headers, policy);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void forward(Buffer.concat(chunks).toString("utf8"), launcher).then(
        ({ status, body }) => response.writeHead(status, { ...cors, "content-type": "application/json" }).end(body),
        (error: Error) => response.writeHead(502, cors).end(JSON.stringify(rpcError(null, -32603, error.message))),
      );
    });
  });

  async function forward(body: string, launcher: boolean): Promise<{ status: number; body: string }> {
    let calls: RpcRequest[];
    try {
      const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
      calls = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return { status: 400, body: JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }) };
    }
    const refuse = (message: string) => {
      const answers = calls.map((c) => rpcError(c.id, -32601, message));
      return { status: 200, body: JSON.stringify(Array.isArray(JSON.parse(body)) ? answers : answers[0]) };
    };
    const forbidden = launcher ? undefined : calls.find((c) => isLauncherOnly(String(c.method)));
    if (forbidden) return refuse(`${String(forbidden.method)} is available only to the platform launcher's own clients (development calls and the node's unlocked accounts)`);
    const refused = calls.find((c) => REFUSED_CALLS.has(String(c.method)));
    if (refused) return refuse(`${String(refused.method)} is not available on the persistent local chain (it would rewrite journaled history)`);
    const upstream = await fetch(nodeUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
    const answer = await upstream.text();
    if (calls.some((c) => MINING_CALLS.has(String(c.method)) || JOURNALED_CALLS.has(String(c.method)))) {
      await record(calls, answer);
    }
    return { status: upstream.status, body: answer };
  }

  async function record(calls: RpcRequest[], answer: string): Promise<void> {
    const answers = [JSON.parse(answer) as { id?: unknown; error?: unknown } | { id?: unknown; error?: unknown }[]].flat();
    // State calls are journaled before the blocks that follow them; mined blocks are read from the node itself.
    for (const call of calls) {
      if (!JOURNALED_CALLS.has(String(call.method))) continue;
      const reply = answers.find((a) => a.id === call.id);
      if (reply && reply.error === undefined) {
        await journal.catchUp(nodeUrl);
        journal.append({ kind: "call", method: String(call.method), params: Array.isArray(call.params) ? call.params : [] });
      }
    }
    await journal.catchUp(nodeUrl);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  policy = { ...policy, port };
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await journal.catchUp(nodeUrl);
    },
  };
}
