import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startPostgres, type PostgresServer } from "@openchart/testkit/postgres";
import { openStore } from "../src/store/open-store.js";
import type { Store } from "../src/store/store.js";
import { tempDir } from "./stack.js";

/**
 * Both storage engines for a test file: a SQLite file in a temp dir and a throw-away PostgreSQL server,
 * started before its tests and removed after. Each entry opens a new store on its engine's one database
 * (two opened: two processes' connections; opened again: a restart).
 */
export function storeEngines(prefix: string): { engines: [string, () => Promise<Store>][]; sqliteFile: string } {
  const sqliteDir = tempDir(prefix);
  const sqliteFile = path.join(sqliteDir.dir, "api.sqlite");
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
    sqliteDir.remove();
  });
  return {
    engines: [
      ["SQLite", () => openStore(`sqlite:${sqliteFile}`)],
      ["PostgreSQL", () => openStore(postgres.url)],
    ],
    sqliteFile,
  };
}
