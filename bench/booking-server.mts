// The API for bench:booking in a process of its own (so the load generator does not share its event loop),
// built from api/dist as main.ts builds it but without a chain (booking never touches one), with the embedded
// license agent, on SQLite in a temp dir or on the PostgreSQL database BENCH_DATABASE_URL names. Prints
// `{"url": ...}` once listening; stops on SIGTERM. (The compiled API, not its sources: tsx cannot load the
// agent's dependencies from source; see offline-toolchain notes.)
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { buildApp } from "../api/dist/app.js";
import { newBatcherState } from "../api/dist/anchoring/batcher.js";
import { loadConfig } from "../api/dist/config.js";
import { openLicenseAgent } from "../api/dist/licenses/license-agent.js";
import { openStore } from "../api/dist/store/open-store.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-bench-booking-"));
const env = JSON.parse(process.env.BENCH_API_ENV ?? "{}") as Record<string, string>;
const config = loadConfig({ OPENCHART_DATA_DIR: dir, API_LOG_LEVEL: "error", ...env });
// As main.ts opens it (the audit log committed from its worker thread on SQLite).
const store = await openStore(process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(dir, "api.sqlite")}`, { auditThread: true });
const licensing = await openLicenseAgent(dir, { AGENT_SECRET_KEY: randomBytes(32).toString("hex") });
const app = await buildApp({ config, store, chain: { chainId: 31337, contract: `0x${"0".repeat(40)}` }, batcher: newBatcherState(), licensing });
await app.listen({ host: "127.0.0.1", port: 0 });
console.log(JSON.stringify({ url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` }));
process.once("SIGTERM", () => {
  const closed = app.close();
  app.server.closeAllConnections();
  void closed
    .then(() => store.close())
    .then(() => licensing.close())
    .finally(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
});
