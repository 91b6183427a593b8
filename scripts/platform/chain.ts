import { randomBytes } from "node:crypto";
import path from "node:path";
import { startHardhatNode } from "../chain/hardhat-node";
import { ChainJournal } from "./chain-journal";
import { replayJournal, type ReplayResult } from "./chain-replay";
import { startRpcProxy } from "./rpc-proxy";

export interface PersistentChain {
  /** The URL everyone uses (the journaling proxy). */
  url: string;
  /**
   * What the launcher's own clients send to use development calls and the node's unlocked accounts
   * (`Authorization: Bearer …`, new on every start); never handed to the web app.
   */
  launcherHeaders: { authorization: string };
  /** The Hardhat node process behind it. */
  pid: number;
  /** What the start replayed; undefined on a fresh chain. */
  replayed: ReplayResult | undefined;
  stop(): Promise<void>;
}

/**
 * A Hardhat node whose chain survives restarts: on a fresh data directory it starts a journal; with a
 * journal it starts the node at the journaled genesis date and replays every block before answering.
 */
export async function startPersistentChain(options: { dataDir: string; port: number; webOrigins: readonly string[]; accounts?: number }): Promise<PersistentChain> {
  const file = path.join(options.dataDir, "chain", "journal.jsonl");
  const existing = new ChainJournal(file);
  const env = existing.header ? { OPENCHART_CHAIN_INITIAL_DATE: new Date(existing.header.timestamp * 1000).toISOString() } : {};
  // Only the proxy talks to the node itself: its own port refuses browsers (it would answer any page).
  const node = await startHardhatNode({ env, refuseBrowsers: true, ...(options.accounts ? { accounts: options.accounts } : {}) });
  try {
    const replayed = existing.header ? await replayJournal(existing, node.url) : undefined;
    const journal = existing.header ? existing : await ChainJournal.create(file, node.url);
    const launcherToken = randomBytes(32).toString("base64url");
    const proxy = await startRpcProxy({ nodeUrl: node.url, port: options.port, journal, access: { allowedOrigins: options.webOrigins, launcherToken } });
    return {
      url: proxy.url,
      launcherHeaders: { authorization: `Bearer ${launcherToken}` },
      pid: node.pid,
      replayed,
      async stop() {
        await proxy.close().catch(() => undefined);
        await node.stop();
      },
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}
