import type { ChainJournal } from "./chain-journal";
import { rpc, toHex } from "./rpc";

export interface ReplayResult {
  blocks: number;
  transactions: number;
  /** True when the last replayed block has the journaled hash: the whole chain came back bit for bit. */
  identical: boolean;
  ms: number;
}

/**
 * Replays a journal onto a fresh node (started at the journal's genesis date): each block's raw
 * transactions, mined at the journaled time, with the transaction hashes checked block by block.
 */
export async function replayJournal(journal: ChainJournal, nodeUrl: string): Promise<ReplayResult> {
  const started = performance.now();
  let blocks = 0;
  let transactions = 0;
  let lastHash: string | undefined;
  let lastExpected: string | undefined;
  await rpc(nodeUrl, "evm_setAutomine", [false]);
  try {
    for (const entry of journal.entries) {
      if (entry.kind === "call") {
        await rpc(nodeUrl, entry.method, entry.params);
        continue;
      }
      for (const raw of entry.txs) await rpc(nodeUrl, "eth_sendRawTransaction", [raw]);
      await rpc(nodeUrl, "evm_setNextBlockTimestamp", [toHex(entry.timestamp)]);
      await rpc(nodeUrl, "evm_mine");
      const block = await rpc<{ number: string; hash: string; transactions: string[] }>(nodeUrl, "eth_getBlockByNumber", ["latest", false]);
      if (Number(block.number) !== entry.number || block.transactions.join() !== entry.txHashes.join()) {
        throw new Error(
          `the chain journal diverged at block ${entry.number}: expected transactions [${entry.txHashes.join(", ")}], got [${block.transactions.join(", ")}] in block ${Number(block.number)}`,
        );
      }
      blocks++;
      transactions += entry.txs.length;
      lastHash = block.hash;
      lastExpected = entry.hash;
    }
  } finally {
    await rpc(nodeUrl, "evm_setAutomine", [true]);
  }
  await resumeWallClock(nodeUrl);
  return { blocks, transactions, identical: lastHash === lastExpected, ms: performance.now() - started };
}

/**
 * Replaying past timestamps leaves the node's clock offset in the past; move it so the next block
 * takes the wall-clock time again (never earlier than the last block, which the node enforces anyway).
 */
async function resumeWallClock(nodeUrl: string): Promise<void> {
  const offset = Number(await rpc<string>(nodeUrl, "evm_increaseTime", [0]));
  if (offset < 0) await rpc(nodeUrl, "evm_increaseTime", [-offset]);
}
