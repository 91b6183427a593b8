import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { buildApp, type AppDeps } from "../src/app.js";
import { newBatcherState } from "../src/anchoring/batcher.js";
import { loadConfig } from "../src/config.js";
import type { Store } from "../src/store/store.js";
import { openStore } from "../src/store/open-store.js";
import { freePort } from "@openchart/testkit/ports";
import { openLicenseAgent, type LicenseAgent } from "../src/licenses/license-agent.js";
import { tempDir } from "./stack.js";

export interface InProcessApi {
  url: string;
  app: FastifyInstance;
  /** The API's real store: tests read the audit log from it. */
  store: Store;
  /** The API's data directory (its SQLite file, and `api.log` when asked for). */
  dataDir: string;
  /** The embedded credential agent, when started with `licensing`. */
  licensing?: LicenseAgent;
  stop(): Promise<void>;
}

/**
 * The API built from `env` exactly as `main.ts` builds it, listening on a loopback port, with a real
 * store (SQLite in a temp dir, or the PostgreSQL database `databaseUrl` names), but without a chain: for
 * routes that never touch one (sign-in, keys, recovery, AI).
 */
export async function startInProcessApi(
  env: Record<string, string>,
  /** `deps`: more of the app's dependencies (a relay, a consent reader, schema compilers), made with its store. */
  options: { databaseUrl?: string; licensing?: boolean; logFile?: boolean; deps?: (store: Store) => Partial<AppDeps> } = {},
): Promise<InProcessApi> {
  const data = tempDir("openchart-api-inproc-");
  // The port is known before the config is read: URLs the API hands out (SMART Health Links) name it, and
  // the credential agent's status lists are fetched from this API.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({ OPENCHART_DATA_DIR: data.dir, API_LOG_LEVEL: "error", SHL_BASE_URL: url, ...env });
  const store = await openStore(options.databaseUrl ?? `sqlite:${path.join(data.dir, "api.sqlite")}`);
  const licensing = options.licensing ? await openLicenseAgent(data.dir, { ...env, OPENCHART_API_URL: url, AGENT_SQLITE_PATH: path.join(data.dir, "agent.sqlite") }) : undefined;
  const app = await buildApp({
    config,
    store,
    chain: { chainId: 31337, contract: `0x${"0".repeat(40)}` },
    batcher: newBatcherState(),
    ...(options.logFile ? { logStream: fs.createWriteStream(path.join(data.dir, "api.log"), { mode: 0o600 }) } : {}),
    ...(licensing ? { licensing } : {}),
    ...options.deps?.(store),
  });
  await app.listen({ host: "127.0.0.1", port });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    app,
    store,
    dataDir: data.dir,
    ...(licensing ? { licensing } : {}),
    async stop() {
      const closed = app.close();
      // undici may leave a connection open that never carried a request (seen after an aborted fetch):
      // Node counts it as neither idle nor active and would hold close() for its 60 s header timeout.
      app.server.closeAllConnections();
      await closed;
      await licensing?.close();
      await store.close();
      data.remove();
    },
  };
}
