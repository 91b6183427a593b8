import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/chain/hardhatNode.js";

/**
 * A throw-away PostgreSQL cluster for tests: initdb into a temp dir, a postmaster on 127.0.0.1
 * at a free port (its socket in the same dir), trust authentication, stopped by its own PID.
 * Needs the Debian `postgresql` package (scripts/ci/system-packages.sh installs it). As root,
 * the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
 */
export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

function binDir(): string {
  const base = "/usr/lib/postgresql";
  const version = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  const dir = version ? path.join(base, version, "bin") : "";
  if (!dir || !fs.existsSync(path.join(dir, "initdb"))) {
    throw new Error("PostgreSQL is not installed: run `bash scripts/ci/system-packages.sh` (Debian package postgresql)");
  }
  return dir;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-pg-"));
  if (root) execFileSync("chown", ["postgres:postgres", dir]);
  const run = (tool: string, args: string[]) =>
    execFileSync(root ? "runuser" : path.join(bin, tool), root ? ["-u", "postgres", "--", path.join(bin, tool), ...args] : args, { stdio: "pipe" });
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  run("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  const pid = Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        process.kill(pid, "SIGINT"); // "fast" shutdown of exactly this postmaster
      } catch {
        // already gone
      }
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
