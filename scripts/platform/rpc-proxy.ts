import http from "node:http";
import type { AddressInfo } from "node:net";
import { JOURNALED_CALLS, MINING_CALLS, REFUSED_CALLS, type ChainJournal } from "./chain-journal";

interface RpcRequest {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export interface RpcProxy {
  url: string;
  close(): Promise<void>;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-allow-headers": "content-type",
};

/**
 * The chain URL everyone uses: forwards JSON-RPC to the Hardhat node and, before answering a call that
 * mined or changed state, writes it to the journal, so an answered transaction is always persisted.
 */
export async function startRpcProxy(options: { nodeUrl: string; port: number; journal: ChainJournal }): Promise<RpcProxy> {
  const { nodeUrl, journal } = options;
  const server = http.createServer((request, response) => {
    if (request.method === "OPTIONS") {
      response.writeHead(204, CORS_HEADERS).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void forward(Buffer.concat(chunks).toString("utf8")).then(
        ({ status, body }) => response.writeHead(status, { ...CORS_HEADERS, "content-type": "application/json" }).end(body),
        (error: Error) => response.writeHead(502, CORS_HEADERS).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: error.message } })),
      );
    });
  });

  async function forward(body: string): Promise<{ status: number; body: string }> {
    let calls: RpcRequest[];
    try {
      const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
      calls = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return { status: 400, body: JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }) };
    }
    const refused = calls.find((c) => REFUSED_CALLS.has(String(c.method)));
    if (refused) {
      const error = { code: -32601, message: `${String(refused.method)} is not available on the persistent local chain (it would rewrite journaled history)` };
      const answers = calls.map((c) => ({ jsonrpc: "2.0", id: c.id ?? null, error }));
      return { status: 200, body: JSON.stringify(Array.isArray(JSON.parse(body)) ? answers : answers[0]) };
    }
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
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await journal.catchUp(nodeUrl);
    },
  };
}
