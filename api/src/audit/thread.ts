// The audit committer's thread (see committer.ts): its own connection to the API's SQLite file,
// where batches of audit entries are committed, each with one disk sync, off the event loop.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import type { AuditDraft } from "./log.js";
import { auditAppender, configureConnection } from "../store/sqlite-audit.js";

const db = new Database((workerData as { file: string }).file);
configureConnection(db);
const append = auditAppender(db);
const commit = db.transaction((drafts: AuditDraft[], now: number) => drafts.map((draft) => append(draft, now)));

parentPort!.on("message", ({ id, drafts, now }: { id: number; drafts: AuditDraft[]; now: number }) => {
  try {
    parentPort!.postMessage({ id, entries: commit.immediate(drafts, now) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
