import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../../scripts/chain/dev-accounts.js";

const HARDHAT = path.join(REPO_ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");

export interface HardhatRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `hardhat <args>` from the repository's root as a user would (a new process), with `env` over the test's own. */
export function runHardhat(args: readonly string[], env: Record<string, string> = {}): Promise<HardhatRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HARDHAT, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
