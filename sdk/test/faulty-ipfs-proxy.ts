import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback proxy in front of the real IPFS node that fails one chosen request the way a node does
 * (500 with Kubo's JSON error) and passes every other one through untouched. It also counts the block
 * requests in flight at once, to check that an upload keeps only a few of them going.
 */
export interface FaultyIpfsProxy {
  url: string;
  /** Most `block/put` requests the proxy saw open at the same moment. */
  readonly mostBlocksInFlight: number;
  /** Requests seen, by RPC endpoint (`block/put`, `pin/add`...). */
  readonly calls: ReadonlyMap<string, number>;
  /** Every request's path and query, in order (`/api/v0/block/put?...`). */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** What the proxy answers in place of the node: by default a 500 with Kubo's JSON error. */
export interface InjectedAnswer {
  status: number;
  body: unknown;
}
const INJECTED_FAILURE: InjectedAnswer = { status: 500, body: { Message: "injected failure", Code: 0, Type: "error" } };

/** Fails the `failAt`-th call (1-based) of `endpoint`, e.g. the 3rd `block/put`, or answers it with `answer`. */
export async function startFaultyIpfsProxy(target: string, endpoint: string, failAt: number, answer = INJECTED_FAILURE): Promise<FaultyIpfsProxy> {
  const calls = new Map<string, number>();
  const requests: string[] = [];
  let blocksInFlight = 0;
  let mostBlocksInFlight = 0;
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? "/");
    const name = new URL(request.url ?? "/", "http://proxy").pathname.replace(/^\/api\/v0\//, "");
    const count = (calls.get(name) ?? 0) + 1;
    calls.set(name, count);
    const isBlock = name === "block/put";
    if (isBlock) mostBlocksInFlight = Math.max(mostBlocksInFlight, ++blocksInFlight);
    response.once("close", () => {
      if (isBlock) blocksInFlight--;
    });
    if (name === endpoint && count === failAt) {
      request.resume();
      request.once("end", () => {
        response.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
      });
      return;
    }
    const upstream = http.request(new URL(request.url ?? "/", target), { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.once("error", () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mostBlocksInFlight() {
      return mostBlocksInFlight;
    },
    calls,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
