import path from "node:path";
import { REPO_ROOT } from "../chain/dev-accounts";

export interface RunningNode {
  endpoints: { ceramic: string; ipfs: string };
  pid: number;
  stop(): Promise<void>;
}

interface SpawnedNode {
  endpoints: { ceramic: string; ipfs: string };
  pid: number;
  stop(): Promise<number | null>;
}
interface Spawner {
  spawnLocalNode(options: { dataDir: string; ceramicPort?: number; ipfsPort?: number; corsOrigins?: string[] }): Promise<SpawnedNode>;
}

// The composites workspace is ESM (import.meta) while the scripts are type-checked as CommonJS: load its
// build by an absolute path the checker does not follow, with the shape declared above.
const SPAWNER: string = path.join(REPO_ROOT, "composites", "dist", "spawn.js");

/**
 * The Ceramic + IPFS node as a child process (`npm run node:local`), its state under `<dataDir>/ceramic` and `/ipfs`;
 * ports 0 pick free ones, and without `corsOrigins` the launcher's own apply. The tests' node too (testkit/src/local-node.ts).
 */
export async function startLocalNode(options: { dataDir: string; ceramicPort: number; ipfsPort: number; corsOrigins?: string[] }): Promise<RunningNode> {
  const { spawnLocalNode } = (await import(SPAWNER)) as Spawner;
  const node = await spawnLocalNode(options).catch((error: Error) => {
    throw new Error(`the Ceramic + IPFS node did not start: ${error.message.split("\n").filter(Boolean).slice(-1)[0] ?? error.message}`);
  });
  return { endpoints: node.endpoints, pid: node.pid, stop: () => node.stop().then(() => undefined) };
}
