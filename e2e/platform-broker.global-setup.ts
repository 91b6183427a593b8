// One platform per vitest worker for the browser test files that can share one (issue #11: a platform is about
// 6 CPU-s to start, and the suite is CPU-bound). The broker runs in vitest's main process, so the platforms are
// children of the process whose teardown always runs: nothing outlives the run, even when a worker dies.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { derivedDevAccount } from "../scripts/chain/derived-accounts";
import { startPlatform, type Platform } from "../scripts/platform";
import type { SharedPlatformLease } from "./full-platform.mts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The broker's URL: POST /lease {pool, accounts} answers a SharedPlatformLease. */
    platformBroker: string;
  }
}

/** Hardhat's 20 (#0-#2 and #5 the platform's, #3, #4, #6-#8 the dedicated files') stay out of the leases. */
const FIRST_LEASED_ACCOUNT = 20;
/** Room for every shared file on one platform (`--maxWorkers 1`): 10 files, at most 5 accounts each, and spare. */
const CHAIN_ACCOUNTS = 100;

/**
 * The shared platforms' recovery waiting period (e2e/recovery.test.ts waits it out): 45 s, not 72 hours. No other
 * shared file asks for a recovery.
 */
export const RECOVERY_WAIT_SECONDS = 45;

interface Pool {
  work: string;
  platform: Promise<Platform>;
  nextAccount: number;
}

export default async function platformBroker(project: TestProject): Promise<() => Promise<void>> {
  const pools = new Map<string, Pool>();

  const poolOf = (id: string): Pool => {
    let pool = pools.get(id);
    if (!pool) {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-shared-"));
      const platform = startPlatform({
        dataDir: path.join(work, "data"),
        deploymentsDir: path.join(work, "deployments"),
        ports: { chain: 0, ceramic: 0, ipfs: 0, api: 0, web: 0 },
        chainAccounts: CHAIN_ACCOUNTS,
        apiEnv: { API_RECOVERY_WAIT_HOURS: String(RECOVERY_WAIT_SECONDS / 3600) },
      });
      pool = { work, platform, nextAccount: FIRST_LEASED_ACCOUNT };
      pools.set(id, pool);
      // A failed start is not cached: the pool's next file tries again (and reports its own error).
      platform.catch(() => {
        pools.delete(id);
        fs.rmSync(work, { recursive: true, force: true });
      });
    }
    return pool;
  };

  const lease = async (request: { pool: string; accounts: number }): Promise<SharedPlatformLease> => {
    const pool = poolOf(request.pool);
    const platform = await pool.platform;
    if (pool.nextAccount + request.accounts > CHAIN_ACCOUNTS) throw new Error(`pool ${request.pool}: out of unlocked accounts (${CHAIN_ACCOUNTS}); raise CHAIN_ACCOUNTS`);
    const accounts = Array.from({ length: request.accounts }, (_, i) => derivedDevAccount(pool.nextAccount + i));
    pool.nextAccount += request.accounts;
    return {
      chainUrl: platform.endpoints.chain,
      chainHeaders: platform.chainLauncherHeaders,
      deployment: platform.deployment,
      url: platform.url,
      endpoints: platform.endpoints,
      dataDir: platform.dataDir,
      accounts,
    };
  };

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const answer = (status: number, json: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      if (req.method !== "POST" || req.url !== "/lease") return answer(404, { error: "POST /lease" });
      let request: { pool: string; accounts: number };
      try {
        request = JSON.parse(body) as { pool: string; accounts: number };
        if (typeof request.pool !== "string" || !Number.isInteger(request.accounts) || request.accounts < 0) throw new Error("want {pool, accounts}");
      } catch (error) {
        return answer(400, { error: String(error) });
      }
      lease(request).then(
        (leased) => answer(200, leased),
        (error: unknown) => answer(500, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  project.provide("platformBroker", `http://127.0.0.1:${port}`);

  return async () => {
    server.close();
    await Promise.all(
      [...pools.values()].map(async (pool) => {
        const platform = await pool.platform.catch(() => undefined);
        await platform?.stop();
        fs.rmSync(pool.work, { recursive: true, force: true });
      }),
    );
  };
}
