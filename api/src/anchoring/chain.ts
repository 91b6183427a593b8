import { Contract, Interface, JsonRpcProvider, Network, Transaction, Wallet, isError, type TransactionReceipt } from "ethers";
import { networkFees, recordRegistryAbi, type Hex } from "@openchart/sdk";
import { initialFees, replacementFees, type FeePolicy, type Fees } from "./fees.js";

/** A transaction signed for a batch: its nonce, hash and the fees it offers. */
export interface SignedAnchor {
  nonce: number;
  txHash: Hex;
  rawTx: Hex;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export type BroadcastResult = "sent" | "known" | "nonce-used";

const registryInterface = new Interface(recordRegistryAbi);

/**
 * Everything the batcher asks the chain, through one JSON-RPC endpoint. The chain id comes from the
 * deployment file, so the API starts (and keeps queuing) while the chain is unreachable.
 */
export class AnchorChain {
  readonly provider: JsonRpcProvider;
  readonly address: Hex;
  private readonly wallet: Wallet;
  private readonly registry: Contract;

  constructor(
    rpcUrl: string,
    readonly chainId: number,
    readonly contract: Hex,
    anchorKey: string,
    private readonly deployBlock: number,
    /** The least tip and the most per gas this service pays (`ANCHOR_PRIORITY_FEE_GWEI`, `ANCHOR_MAX_FEE_GWEI`). */
    private readonly fees: FeePolicy,
  ) {
    const network = Network.from(chainId);
    // cacheTimeout -1: ethers otherwise answers a repeated call (a receipt, the head, a nonce) from a 250 ms
    // cache, and a stale "no receipt" beside a fresh nonce reads as a dropped transaction, a stale head as
    // a transaction under zero blocks.
    this.provider = new JsonRpcProvider(rpcUrl, network, { staticNetwork: network, batchMaxCount: 1, cacheTimeout: -1 });
    this.wallet = new Wallet(anchorKey, this.provider);
    this.address = this.wallet.address.toLowerCase() as Hex;
    this.registry = new Contract(contract, recordRegistryAbi, this.provider);
  }

  /**
   * Signs `anchorRoot(root, leafCount)`. A first transaction takes the account's pending nonce and
   * an estimated gas limit (estimating reverts if the root is already anchored, so a root on chain
   * is never sent again); a replacement keeps the replaced one's nonce and gas limit and bumps its
   * fees. Null when the fee cap leaves no room for a replacement.
   */
  async signAnchor(root: Hex, leafCount: number, replacing?: { rawTx: Hex } & Fees): Promise<SignedAnchor | null> {
    const data = registryInterface.encodeFunctionData("anchorRoot", [root, leafCount]);
    const previous = replacing ? Transaction.from(replacing.rawTx) : null;
    const [feeData, gasLimit, nonce] = await Promise.all([
      this.provider.getFeeData(),
      // At "latest": the pending block may already hold our own earlier transaction for this root.
      previous?.gasLimit ?? this.provider.estimateGas({ from: this.address, to: this.contract, data, blockTag: "latest" }).then((gas) => (gas * 120n) / 100n),
      previous?.nonce ?? this.provider.getTransactionCount(this.address, "pending"),
    ]);
    const network = networkFees(feeData);
    const fees = replacing ? replacementFees(replacing, network, this.fees) : initialFees(network, this.fees);
    if (!fees) return null;
    const { maxFeePerGas, maxPriorityFeePerGas } = fees;
    const tx = Transaction.from({
      type: 2,
      chainId: this.chainId,
      to: this.contract,
      data,
      nonce,
      gasLimit,
      maxFeePerGas,
      maxPriorityFeePerGas,
    });
    const rawTx = (await this.wallet.signTransaction(tx)) as Hex;
    return {
      nonce,
      txHash: Transaction.from(rawTx).hash!.toLowerCase() as Hex,
      rawTx,
      maxFeePerGas,
      maxPriorityFeePerGas,
    };
  }

  /** Sends a signed transaction; a node that already has it, or whose nonce is spent, is not an error here. */
  async broadcast(rawTx: Hex): Promise<BroadcastResult> {
    try {
      await this.provider.send("eth_sendRawTransaction", [rawTx]);
      return "sent";
    } catch (error) {
      const message = errorText(error);
      if (/already known|known transaction|already imported|already in mempool/i.test(message)) return "known";
      if (isError(error, "NONCE_EXPIRED") || /nonce too low|nonce has already been used/i.test(message)) return "nonce-used";
      throw error;
    }
  }

  async isKnown(txHash: Hex): Promise<boolean> {
    return (await this.provider.getTransaction(txHash)) !== null;
  }

  receipt(txHash: Hex): Promise<TransactionReceipt | null> {
    return this.provider.getTransactionReceipt(txHash);
  }

  /** The account's mined transaction count: a nonce below it is spent. */
  minedNonce(): Promise<number> {
    return this.provider.getTransactionCount(this.address, "latest");
  }

  blockNumber(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  /** When `root` was anchored (block time, seconds), or 0 if it is not. */
  async anchoredAt(root: Hex): Promise<number> {
    const [at] = (await this.registry.getFunction("anchorOf")(root)) as [bigint, string, bigint];
    return Number(at);
  }

  /** The transaction that anchored `root`, whoever sent it. */
  async anchoringTx(root: Hex): Promise<Hex | null> {
    const logs = await this.provider.getLogs({
      address: this.contract,
      topics: [registryInterface.getEvent("RootAnchored")!.topicHash, root],
      fromBlock: this.deployBlock,
    });
    return (logs[0]?.transactionHash.toLowerCase() as Hex | undefined) ?? null;
  }

  destroy(): void {
    this.provider.destroy();
  }
}

function errorText(error: unknown): string {
  const e = error as { message?: string; info?: { error?: { message?: string } }; error?: { message?: string } };
  return [e.message, e.info?.error?.message, e.error?.message].filter(Boolean).join(" ");
}
