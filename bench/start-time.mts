// `startSeconds` for bench:web: `npm start` (as a user runs it, build check included) until the printed
// URL answers, on a warm install, in a fresh temp data folder on free ports; `restartSeconds` the same
// with the state the first start left. Each run's process group is stopped by its PID and awaited.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../scripts/chain/free-port.ts";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");
const PORT_VARIABLES = ["OPENCHART_CHAIN_PORT", "OPENCHART_CERAMIC_PORT", "OPENCHART_IPFS_PORT", "API_PORT", "OPENCHART_WEB_PORT"] as const;

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Seconds from spawning `npm start` to its web app answering; then stops it (SIGTERM to its own process group). */
async function timeOneStart(env: NodeJS.ProcessEnv, url: string): Promise<number> {
  const started = performance.now();
  // A process group of its own, so the stop reaches npm, the shell and the launcher, and nothing else.
  const child = spawn("npm", ["start", "--silent"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  try {
    while (!(await answers(url))) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
      if (performance.now() - started > 180_000) throw new Error(`npm start did not answer on ${url} within 180 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return (performance.now() - started) / 1000;
  } finally {
    if (groupAlive(child.pid!)) process.kill(-child.pid!, "SIGTERM");
    const deadline = Date.now() + 30_000;
    while (groupAlive(child.pid!) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (groupAlive(child.pid!)) process.kill(-child.pid!, "SIGKILL");
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median over `runs` of a first start (fresh state) and of a restart on the state it left. */
export async function measureStartSeconds(runs = 3): Promise<{ startSeconds: number; restartSeconds: number }> {
  const starts: number[] = [];
  const restarts: number[] = [];
  // Run 0 warms up (a web build after a source change, disk caches) and is not counted.
  for (let run = -1; run < runs; run++) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-start-bench-"));
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        OPENCHART_DATA_DIR: path.join(work, "data"),
        OPENCHART_DEPLOYMENTS_DIR: path.join(work, "deployments"),
        SCARF_ANALYTICS: "false",
      };
      for (const name of PORT_VARIABLES) env[name] = String(await freePort());
      const url = `http://127.0.0.1:${env.OPENCHART_WEB_PORT}/config.json`;
      const start = await timeOneStart(env, url);
      const restart = await timeOneStart(env, url);
      if (run >= 0) {
        starts.push(start);
        restarts.push(restart);
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return { startSeconds: Math.round(median(starts) * 10) / 10, restartSeconds: Math.round(median(restarts) * 10) / 10 };
}
