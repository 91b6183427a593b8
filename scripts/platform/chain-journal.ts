import fs from "node:fs";
import path from "node:path";
import { Transaction } from "ethers";
import { rpc, toHex } from "./rpc";

/**
 * Hardhat 2 keeps its chain in memory and has no dump/load (NomicFoundation/hardhat#3599). The launcher
 * therefore journals every block the node mines (its raw signed transactions and its timestamp) and every
 * state-changing development call, and replays them onto a fresh node at the next start: development keys
 * sign deterministically, so the replay gives the same transaction hashes and contract addresses.
 */
export interface JournalHeader {
  kind: "genesis";
  chainId: number;
  /** The genesis block's time (seconds): the next node starts at this date so that replayed times fit. */
  timestamp: number;
  hash: string;
}
export interface JournalBlock {
  kind: "block";
  number: number;
  timestamp: number;
  hash: string;
  /** Raw signed transactions, in block order. */
  txs: string[];
  txHashes: string[];
}
/** A development call that changes state outside a block (hardhat_setBalance and friends), replayed verbatim. */
export interface JournalCall {
  kind: "call";
  method: string;
  params: unknown[];
}
export type JournalEntry = JournalBlock | JournalCall;

/** Development calls that change state without mining; replayed verbatim, in order. */
export const JOURNALED_CALLS = new Set([
  "hardhat_setBalance",
  "hardhat_setCode",
  "hardhat_setNonce",
  "hardhat_setStorageAt",
  "hardhat_setCoinbase",
  "hardhat_setNextBlockBaseFeePerGas",
  "hardhat_setPrevRandao",
  "hardhat_setMinGasPrice",
  "evm_setBlockGasLimit",
]);
/** Calls that may mine a block: the journal catches up with the node after each. */
export const MINING_CALLS = new Set(["eth_sendRawTransaction", "eth_sendTransaction", "evm_mine", "hardhat_mine"]);
/**
 * Calls that would rewrite history behind the journal's back, and impersonation: a transaction from an
 * impersonated sender has no signature, so it cannot be journaled and replayed.
 */
export const REFUSED_CALLS = new Set([
  "evm_snapshot",
  "evm_revert",
  "hardhat_reset",
  "evm_setAutomine",
  "evm_setIntervalMining",
  "hardhat_impersonateAccount",
  "hardhat_stopImpersonatingAccount",
]);

interface RpcTransaction {
  hash: string;
  type: string;
  chainId?: string;
  nonce: string;
  to: string | null;
  input: string;
  value: string;
  gas: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  accessList?: { address: string; storageKeys: string[] }[];
  r: string;
  s: string;
  v: string;
  yParity?: string;
}
interface RpcBlock {
  number: string;
  hash: string;
  timestamp: string;
  transactions: RpcTransaction[];
}

/** The raw signed bytes of a mined transaction, rebuilt from its fields and checked against its hash. */
export function rawTransaction(tx: RpcTransaction, chainId: number): string {
  const type = Number(tx.type);
  const rebuilt = Transaction.from({
    type,
    chainId: BigInt(tx.chainId ?? chainId),
    nonce: Number(tx.nonce),
    to: tx.to,
    data: tx.input,
    value: BigInt(tx.value),
    gasLimit: BigInt(tx.gas),
    ...(type === 2
      ? { maxFeePerGas: BigInt(tx.maxFeePerGas!), maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas!) }
      : { gasPrice: BigInt(tx.gasPrice!) }),
    ...(type >= 1 ? { accessList: tx.accessList ?? [] } : {}),
    signature: { r: tx.r, s: tx.s, v: type === 0 ? Number(tx.v) : 27 + Number(tx.yParity ?? tx.v) },
  });
  if (rebuilt.hash !== tx.hash) {
    throw new Error(`transaction ${tx.hash} cannot be journaled (rebuilt as ${rebuilt.hash}): impersonated senders cannot be replayed`);
  }
  return rebuilt.serialized;
}

/** The journal file of one data directory: a header line, then one JSON line per entry. */
export class ChainJournal {
  readonly header: JournalHeader | undefined;
  readonly entries: JournalEntry[];
  private lastBlock: number;
  private syncing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {
    const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
    const parsed = lines.map((line, i) => {
      try {
        return JSON.parse(line) as JournalHeader | JournalEntry;
      } catch {
        // A line cut by a crash mid-write can only be the last one: drop it, keep the rest.
        if (i === lines.length - 1) return undefined;
        throw new Error(`${file} line ${i + 1} is not JSON: the chain journal is damaged (npm start -- --reset starts over)`);
      }
    });
    const [first, ...rest] = parsed.filter((e) => e !== undefined);
    this.header = first?.kind === "genesis" ? first : undefined;
    this.entries = this.header ? (rest as JournalEntry[]) : [];
    this.lastBlock = this.entries.reduce((n, e) => (e.kind === "block" ? e.number : n), 0);
  }

  get blockCount(): number {
    return this.lastBlock;
  }

  /** Starts a new journal from a fresh node's genesis block. */
  static async create(file: string, nodeUrl: string): Promise<ChainJournal> {
    const [chainId, genesis] = await Promise.all([rpc<string>(nodeUrl, "eth_chainId"), rpc<RpcBlock>(nodeUrl, "eth_getBlockByNumber", ["0x0", false])]);
    const header: JournalHeader = { kind: "genesis", chainId: Number(chainId), timestamp: Number(genesis.timestamp), hash: genesis.hash };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(header)}\n`);
    return new ChainJournal(file);
  }

  append(entry: JournalEntry): void {
    this.entries.push(entry);
    if (entry.kind === "block") this.lastBlock = entry.number;
    fs.appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  /** Journals every block the node mined since the last one journaled; calls run one after another. */
  catchUp(nodeUrl: string): Promise<void> {
    const next = this.syncing.then(() => this.readNewBlocks(nodeUrl));
    this.syncing = next.catch(() => undefined);
    return next;
  }

  private async readNewBlocks(nodeUrl: string): Promise<void> {
    const head = Number(await rpc<string>(nodeUrl, "eth_blockNumber"));
    for (let n = this.lastBlock + 1; n <= head; n++) {
      const block = await rpc<RpcBlock>(nodeUrl, "eth_getBlockByNumber", [toHex(n), true]);
      this.append({
        kind: "block",
        number: n,
        timestamp: Number(block.timestamp),
        hash: block.hash,
        txs: block.transactions.map((tx) => rawTransaction(tx, this.header!.chainId)),
        txHashes: block.transactions.map((tx) => tx.hash),
      });
    }
  }
}
