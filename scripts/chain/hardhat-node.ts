import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "./free-port";
import { connectRpc } from "@openchart/sdk";
import { REPO_ROOT } from "./dev-accounts";

export interface RunningChain {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export { freePort };

const NODE_CONFIG = path.join(__dirname, "node.config.cjs");

/**
 * Starts `hardhat node` on 127.0.0.1 as a child process and resolves once it answers JSON-RPC.
 * `stop()` ends exactly that process (by its PID) and waits for it to exit.
 */
export async function startHardhatNode(
  options: {
    port?: number;
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    /** Refuse requests from web pages (any `Origin`, a foreign `Host`): for a node only local programs use. */
    refuseBrowsers?: boolean;
    /** Unlocked accounts from Hardhat's mnemonic (default 20, Hardhat's own). */
    accounts?: number;
  } = {},
): Promise<RunningChain> {
  const port = options.port || (await freePort());
  const guard = options.refuseBrowsers ? ["--require", path.join(__dirname, "refuse-browsers.cjs")] : [];
  const child = spawn(
    process.execPath,
    [...guard, require.resolve("hardhat/internal/cli/cli.js", { paths: [REPO_ROOT] }), "--config", NODE_CONFIG, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd: REPO_ROOT, env: { ...process.env, ...options.env, ...(options.accounts ? { OPENCHART_CHAIN_ACCOUNTS: String(options.accounts) } : {}) }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  child.stderr!.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await answers(url))) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with code ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`hardhat node did not answer on ${url} in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, pid: child.pid!, stop: () => stopChild(child) };
}

async function answers(url: string): Promise<boolean> {
  try {
    (await connectRpc(url, 1000)).destroy();
    return true;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
