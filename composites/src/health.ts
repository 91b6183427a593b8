/** The prefix of the one machine-readable line the launcher prints when the node is ready. */
export const READY_PREFIX = "OPENCHART_NODE_READY ";

/** Endpoints of a running local node, as printed on its ready line. */
export interface NodeEndpoints {
  ceramic: string;
  ipfs: string;
}

async function answers(url: string, init: RequestInit): Promise<boolean> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** True when Ceramic says it is healthy (which includes reaching its IPFS) and the Kubo RPC API answers. */
export async function isHealthy(endpoints: NodeEndpoints): Promise<boolean> {
  const [ceramic, ipfs] = await Promise.all([
    answers(`${endpoints.ceramic}/api/v0/node/healthcheck`, { method: "GET" }),
    answers(`${endpoints.ipfs}/api/v0/id`, { method: "POST" }),
  ]);
  return ceramic && ipfs;
}

/** Polls until both servers answer, or fails naming what did not come up. */
export async function waitUntilHealthy(endpoints: NodeEndpoints, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isHealthy(endpoints)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`local node not healthy after ${timeoutMs} ms (Ceramic ${endpoints.ceramic}, IPFS ${endpoints.ipfs})`);
}
