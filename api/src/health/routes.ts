import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { BatcherState } from "../anchoring/batcher.js";
import type { Store } from "../store/store.js";

export interface HealthDeps {
  store: Store;
  rpcUrl: string;
  chainId: number;
  ceramicUrl: string | undefined;
  ipfsUrl: string | undefined;
  batcher: BatcherState;
  leadership: { readonly leader: boolean } | undefined;
}

const TIMEOUT_MS = 2_000;

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Health = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("degraded"), Type.Literal("down")]),
  checks: Type.Object({
    database: Check,
    chain: Check,
    ceramic: Type.Optional(Check),
    ipfs: Type.Optional(Check),
  }),
  queue: Type.Object({
    waiting: Type.Integer(),
    oldestWaitingMs: Type.Union([Type.Integer(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    lastBatchConfirmedAt: Type.Union([Type.Integer(), Type.Null()]),
    leader: Type.Boolean({ description: "this replica runs the batcher now (one replica at a time holds its lease)" }),
  }),
});

type CheckResult = { ok: boolean; detail?: string };

/**
 * `GET /healthz`: 200 "ok" when everything answers; 200 "degraded" when the database works but the
 * chain (or a configured Ceramic/IPFS node) does not, since leaves are still accepted and queue;
 * 503 "down" when the database does not answer, since nothing can be accepted.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthDeps> = async (app, deps) => {
  // A monitor (or an attacker) hammering /healthz must not turn into as many calls to the chain's RPC
  // node, Ceramic and IPFS (see `reused`). The database is asked every time.
  const chainCheck = reused(() => attempt(() => chainAnswers(deps.rpcUrl, deps.chainId)));
  const ceramicCheck = reused(() => attempt(() => httpOk(`${deps.ceramicUrl}/api/v0/node/healthcheck`, "GET")));
  const ipfsCheck = reused(() => attempt(() => httpOk(`${deps.ipfsUrl}/api/v0/id`, "POST")));
  app.get(
    "/healthz",
    { schema: { summary: "Reachability of the database, chain, Ceramic and IPFS, and the queue's state", tags: ["health"], response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const [database, chain, ceramic, ipfs] = await Promise.all([
        attempt(async () => {
          await deps.store.ping();
        }),
        chainCheck(),
        deps.ceramicUrl ? ceramicCheck() : undefined,
        deps.ipfsUrl ? ipfsCheck() : undefined,
      ]);
      const stats = database.ok ? await deps.store.leaves.pendingStats() : { count: 0, oldestSubmittedAt: null };
      const others = [chain, ceramic, ipfs].filter((c): c is CheckResult => c !== undefined);
      const status = !database.ok ? "down" : others.every((c) => c.ok) ? "ok" : "degraded";
      return reply.code(status === "down" ? 503 : 200).send({
        status,
        checks: { database, chain, ...(ceramic ? { ceramic } : {}), ...(ipfs ? { ipfs } : {}) },
        queue: {
          waiting: stats.count,
          oldestWaitingMs: stats.oldestSubmittedAt === null ? null : Date.now() - stats.oldestSubmittedAt,
          lastError: deps.batcher.lastError,
          lastBatchConfirmedAt: deps.batcher.lastConfirmedAt,
          leader: deps.leadership?.leader ?? false,
        },
      });
    },
  );
};

/** How long a remote dependency's "reachable" answer is reused. */
export const REMOTE_CHECK_REUSE_MS = 1_000;

/**
 * A success is reused for REMOTE_CHECK_REUSE_MS; a failure is not (an outage shows at once, a recovery
 * too), but concurrent callers share the one check in flight, so an outage is not hammered either.
 */
function reused(check: () => Promise<CheckResult>): () => Promise<CheckResult> {
  let lastOk = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<CheckResult> | undefined;
  return () => {
    if (Date.now() - lastOk < REMOTE_CHECK_REUSE_MS) return Promise.resolve({ ok: true });
    inFlight ??= check().then((result) => {
      if (result.ok) lastOk = Date.now();
      inFlight = undefined;
      return result;
    });
    return inFlight;
  };
}

async function attempt(check: () => Promise<void>): Promise<CheckResult> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

async function chainAnswers(rpcUrl: string, chainId: number): Promise<void> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch((error: Error) => {
    throw new Error(`${rpcUrl} unreachable: ${error.cause instanceof Error ? error.cause.message : error.message}`);
  });
  const { result } = (await response.json()) as { result?: string };
  if (result === undefined || BigInt(result) !== BigInt(chainId)) {
    throw new Error(`${rpcUrl} serves chain ${result === undefined ? "?" : BigInt(result)}, the deployment is for chain ${chainId}`);
  }
}

async function httpOk(url: string, method: "GET" | "POST"): Promise<void> {
  const response = await fetch(url, { method, signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((error: Error) => {
    throw new Error(`${url} unreachable: ${error.cause instanceof Error ? error.cause.message : error.message}`);
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}
