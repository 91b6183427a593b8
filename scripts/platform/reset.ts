import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../chain/dev-accounts";
import { PlatformError } from "./ports";

/** Deletes the state folder's contents (`--reset`) and returns what it deleted, refusing folders that hold the repository or home. */
export function wipeDataDir(dataDir: string): string[] {
  const dir = path.resolve(dataDir);
  for (const guarded of [REPO_ROOT, os.homedir(), path.parse(dir).root]) {
    if (path.relative(dir, guarded) === "" || !path.relative(dir, guarded).startsWith("..")) {
      throw new PlatformError(`refusing to wipe ${dir}: it holds ${guarded}; point OPENCHART_DATA_DIR at a folder of its own`);
    }
  }
  if (!fs.existsSync(dir)) return [];
  const entries = fs.readdirSync(dir).map((name) => path.join(dir, name));
  for (const entry of entries) fs.rmSync(entry, { recursive: true, force: true });
  return entries;
}
