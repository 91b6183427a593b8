import fs from "node:fs";
import path from "node:path";
import { PlatformError } from "./ports";

/**
 * The shape of what a data folder holds. 2: sealed records, stealth grants and notes, ConsentRegistry v2
 * (private by default). 3: grants and notes keep their sealed payloads in IPFS (SealedGrantV2, SealedNoteV2).
 * Bump it whenever a model or a contract changes shape. There is no in-place migration from 1, because the
 * old documents are public and the old consents name their parties: copying them into the new models would
 * keep what they already revealed. Nor from 2: only each patient's and doctor's own keys can reopen their
 * grants and notes to write them anew, so the node cannot. A fresh start is the honest path.
 */
export const DATA_FORMAT = 3;
const FILE = "format.json";
/**
 * What format 1 wrote that format 2 cannot read: the chain journal (ConsentRegistry v1), the node's state (the
 * public models) and the demo's record of both. Anything else (the agent's database and key, logs) is the same
 * in both formats, and the agent's CLI creates it on its own, so it does not make a folder old.
 */
const FORMAT_1_STATE = ["chain", "ceramic", "ipfs", "demo.json"];

/** Stops, with the one line to run, on a data folder made by an older OpenChart; marks a new one. */
export function checkDataFormat(dataDir: string): void {
  const file = path.join(dataDir, FILE);
  const entries = fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : [];
  if (fs.existsSync(file)) {
    const found = (JSON.parse(fs.readFileSync(file, "utf8")) as { format?: unknown }).format;
    if (found === DATA_FORMAT) return;
    throw outdated(dataDir, `format ${String(found)}`);
  }
  // A folder with models or contracts but no marker predates the marker: format 1.
  if (entries.some((name) => FORMAT_1_STATE.includes(name))) throw outdated(dataDir, "format 1");
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify({ format: DATA_FORMAT })}\n`, { mode: 0o600 });
}

function outdated(dataDir: string, found: string): PlatformError {
  return new PlatformError(
    `${dataDir} holds data of an older OpenChart (${found}; this one needs format ${DATA_FORMAT}, private by default): run \`npm start -- --reset\` to start afresh (it deletes that folder's contents)`,
  );
}
