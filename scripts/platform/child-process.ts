import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface ServiceProcess {
  pid: number;
  /** The last few kilobytes the process printed (for a failure message). */
  output(): string;
  /** SIGTERM to this PID, SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a Node.js program as a child process with its output appended to `logFile`, and resolves once
 * `ready()` says yes; if the process exits first or the time runs out, it is stopped and the call fails.
 */
export async function startService(options: {
  name: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  ready: () => Promise<boolean>;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile, { flags: "a" });
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let tail = "";
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  child.once("exit", () => log.end());
  const service: ServiceProcess = { pid: child.pid!, output: () => tail, stop: (graceMs) => stopChild(child, graceMs) };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await options.ready().catch(() => false))) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with code ${child.exitCode}: ${lastLine(tail)}`);
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`${options.name} did not become ready in time (log: ${options.logFile})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return service;
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "(no output)";
}

async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** True when `url` answers with a 2xx status. */
export async function answersOk(url: string, init: RequestInit = {}): Promise<boolean> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
