// The audit committer's thread (see committer.ts): its own connection to the API's SQLite file,
// where batches of audit entries are committed, each with one disk sync, off the event loop.
import { parentPort, workerData } from "node:worker_threads";
import type { AuditDraft } from "./log.js";
import { appendSealed } from "../store/audit.js";
import { openSqliteEngine } from "../store/sqlite.js";

// The server's own connection created the tables before starting this thread.
const engine = openSqliteEngine((workerData as { file: string }).file, { createTables: false });

parentPort!.on("message", ({ id, drafts, now }: { id: number; drafts: AuditDraft[]; now: number }) => {
  engine.transaction((sql) => appendSealed(sql, drafts, now)).then(
    (entries) => parentPort!.postMessage({ id, entries }),
    (error: unknown) => parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
