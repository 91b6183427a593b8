import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { READY_PREFIX, type NodeEndpoints } from "./health.js";

// Runs from src/ (tests) and from dist/ (`npm start`): the launcher is always the built one, which `npm start`
// and `npm test` build first; through tsx each start took twice the CPU (14 s against 7 s on 2 cores).
const COMPOSITES_ROOT = new URL("../", import.meta.url);
const LAUNCHER = fileURLToPath(new URL("bundle/node.js", COMPOSITES_ROOT));
/** The launcher's Node flags: Node warns about `new Buffer()` only outside node_modules, and in the bundle (scripts/bundle.mjs) its dependencies' calls look like ours. */
const LAUNCHER_FLAGS = ["--disable-warning=DEP0005"];
const REPO_ROOT = fileURLToPath(new URL("../", COMPOSITES_ROOT));

export interface SpawnOptions {
  dataDir: string;
  /** Ports; 0 picks free ones (tests). Default: the launcher's own (7007 and 5001, or OPENCHART_*_PORT). */
  ceramicPort?: number;
  ipfsPort?: number;
  /** Browser origins allowed to call both APIs (OPENCHART_NODE_CORS_ORIGINS); default the launcher's own. */
  corsOrigins?: string[];
  timeoutMs?: number;
}

export interface SpawnedNode {
  endpoints: NodeEndpoints;
  /** Milliseconds from spawning the process to its ready line (module loading included). */
  startMs: number;
  pid: number;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  output(): string;
}

/** Runs the real launcher (`npm run node:local`) as a child process, as a user would. */
export function spawnLocalNode(options: SpawnOptions): Promise<SpawnedNode> {
  const { dataDir, timeoutMs = 90_000 } = options;
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, OPENCHART_DATA_DIR: dataDir };
  if (options.ceramicPort !== undefined) env.OPENCHART_CERAMIC_PORT = String(options.ceramicPort);
  if (options.ipfsPort !== undefined) env.OPENCHART_IPFS_PORT = String(options.ipfsPort);
  if (options.corsOrigins !== undefined) env.OPENCHART_NODE_CORS_ORIGINS = options.corsOrigins.join(",");
  const child: ChildProcess = spawn(process.execPath, [...LAUNCHER_FLAGS, LAUNCHER], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise<SpawnedNode>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`local node gave no ready line within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (data: Buffer): void => {
      output += data.toString();
      const line = output.split("\n").find((l) => l.startsWith(READY_PREFIX));
      if (!line) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      const endpoints = JSON.parse(line.slice(READY_PREFIX.length)) as NodeEndpoints;
      resolve({
        endpoints: { ceramic: endpoints.ceramic, ipfs: endpoints.ipfs },
        startMs: performance.now() - started,
        pid: child.pid!,
        output: () => output,
        async stop() {
          if (child.exitCode === null) child.kill("SIGTERM");
          return exited;
        },
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (data: Buffer) => (output += data.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local node exited with code ${code} before it was ready:\n${output}`));
    });
  });
}
