import fs from "node:fs";
import path from "node:path";
import type { JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitmentOf, connectRpc, documentSha256, gweiToWei, newSalt, verifyReceipt, type Hex, type Receipt, type SigningSession } from "@openchart/sdk";
import { DEV_ACCOUNTS, startHardhatNode, type RunningChain } from "@openchart/testkit/chain";
import { walletSession } from "@openchart/testkit/session";
import { runHardhat } from "@openchart/testkit/hardhat-cli";
import { rpc, startApi, tempDir, type ApiProcess } from "../../test/stack.js";
import { SIGN_IN_ENV, postAnchors } from "../../test/signed-client.js";

// A dry run of the Amoy deployment path on a local node that poses as Amoy (chain 80002): the very
// `hardhat deploy --network amoy` a developer runs, with the RPC URL and deployer key from the
// environment, then the API on that deployment with ANCHOR_CONFIRMATIONS=3 while the test mines the
// blocks and stages a reorganization (evm_snapshot / evm_revert).
const AMOY = 80002;
const [, DEPLOYER, , ANCHORER, RELAYER] = DEV_ACCOUNTS;

let chain: RunningChain;
let provider: JsonRpcProvider;
let api: ApiProcess;
let session: SigningSession;
const work = tempDir("openchart-amoy-dry-run-");
const deploymentsDir = path.join(work.dir, "deployments");

async function until<T>(what: () => string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type LeafAnswer = { status: string; txHash?: Hex; blockNumber?: number; confirmations?: number; confirmationsRequired?: number } & Record<string, unknown>;
const stateOf = async (leaf: Hex) => (await (await fetch(`${api.url}/anchors/${leaf}`)).json()) as LeafAnswer;
const stateIs = (leaf: Hex, wanted: (s: LeafAnswer) => boolean) =>
  until(() => `leaf state:\n${api.output()}`, async () => {
    const state = await stateOf(leaf);
    return wanted(state) ? state : undefined;
  });

beforeAll(async () => {
  chain = await startHardhatNode({ env: { OPENCHART_DRY_RUN_CHAIN_ID: String(AMOY) } });
  provider = await connectRpc(chain.url);
  session = (await walletSession({ chainId: AMOY })).session;
});

afterAll(async () => {
  await api?.stop();
  provider?.destroy();
  await chain?.stop();
  work.remove();
});

describe("Amoy dry run: the deploy task and the batcher against a local chain 80002", () => {
  it("deploys with `hardhat deploy --network amoy`: key and RPC from the environment, a tip of at least 25 gwei", async () => {
    // Blocks keep coming while the task waits for its second confirmation, as on a live chain.
    await rpc(chain.url, "evm_setIntervalMining", [300]);
    const run = await runHardhat(["deploy", "--network", "amoy", "--batcher", ANCHORER.address, "--confirmations", "2"], {
      OPENCHART_RPC_URL: chain.url,
      OPENCHART_DEPLOYER_KEY: DEPLOYER.key,
      OPENCHART_DEPLOYMENTS_DIR: deploymentsDir,
    }).finally(() => rpc(chain.url, "evm_setIntervalMining", [0]));
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/fees: tip 25 gwei/);
    const deployment = JSON.parse(fs.readFileSync(path.join(deploymentsDir, "amoy.json"), "utf8"));
    expect(deployment).toMatchObject({ network: "amoy", chainId: AMOY, batcher: ANCHORER.address });
    const tx = await provider.getTransaction(deployment.contracts.RecordRegistry.txHash);
    expect(tx!.from.toLowerCase()).toBe(DEPLOYER.address);
    expect(tx!.type).toBe(2);
    expect(tx!.maxPriorityFeePerGas).toBe(gweiToWei(25));
    // Written only once each deploying transaction was two blocks deep.
    expect(await provider.getBlockNumber()).toBeGreaterThanOrEqual(deployment.contracts.ConsentRegistry.blockNumber + 1);
  });

  it("refuses a tip below Amoy's minimum before sending anything", async () => {
    const run = await runHardhat(["deploy", "--network", "amoy", "--force", "--priority-fee-gwei", "2"], {
      OPENCHART_RPC_URL: chain.url,
      OPENCHART_DEPLOYER_KEY: DEPLOYER.key,
      OPENCHART_DEPLOYMENTS_DIR: path.join(work.dir, "refused"),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/below chain 80002's minimum tip of 25 gwei/);
    expect(fs.existsSync(path.join(work.dir, "refused", "amoy.json"))).toBe(false);
  });

  it("answers 'confirming' until 3 confirmations, sends the transaction again after a reorg, then anchors", async () => {
    api = await startApi({
      OPENCHART_NETWORK: "amoy",
      OPENCHART_RPC_URL: chain.url,
      OPENCHART_DEPLOYMENTS_DIR: deploymentsDir,
      OPENCHART_DATA_DIR: path.join(work.dir, "api"),
      API_ANCHOR_KEY: ANCHORER.key,
      API_RELAYER_KEY: RELAYER.key,
      LIVEKIT_API_SECRET: "amoy-dry-run-livekit-secret-0123456789abcdef",
      ANCHOR_CONFIRMATIONS: "3",
      ANCHOR_BATCH_SIZE: "2",
      ANCHOR_INTERVAL_MS: "100",
      ANCHOR_POLL_MS: "50",
      // Warnings (the reorganization) reach the test's log; the default level would keep them too.
      API_LOG_LEVEL: "warn",
      ...SIGN_IN_ENV,
    });
    const docs = await Promise.all(
      [1, 2].map(async (i) => {
        const bytes = new TextEncoder().encode(`referral letter ${i} ${Math.random()}`);
        const sha = await documentSha256(bytes);
        const salt = newSalt();
        return { bytes, sha, salt, leaf: commitmentOf(sha, salt) };
      }),
    );
    // The fork point: the chain as it is before the batch's transaction exists.
    const snapshot = (await rpc(chain.url, "evm_snapshot")) as string;
    const response = await postAnchors(api.url, session, docs.map((d) => d.leaf));
    expect(response.status).toBe(202);

    // Automined into a block: one confirmation of three.
    const first = await stateIs(docs[0]!.leaf, (s) => s.status === "confirming");
    expect(first).toMatchObject({ confirmations: 1, confirmationsRequired: 3 });
    const minedTx = await provider.getTransaction(first.txHash!);
    expect(minedTx!.maxPriorityFeePerGas).toBeGreaterThanOrEqual(gweiToWei(25));
    const firstBlockHash = (await provider.getBlock(first.blockNumber!))!.hash;
    await rpc(chain.url, "evm_mine");
    const second = await stateIs(docs[0]!.leaf, (s) => s.confirmations === 2);
    expect(second.status).toBe("confirming");

    // A reorganization two blocks deep: the chain goes back to before the transaction, and no block
    // is mined while the batcher notices.
    await rpc(chain.url, "evm_setAutomine", [false]);
    await rpc(chain.url, "evm_revert", [snapshot]);
    expect(await provider.getTransactionReceipt(first.txHash!)).toBeNull();
    await stateIs(docs[0]!.leaf, (s) => s.status === "pending");
    // The batcher broadcast the same signed transaction again: the node holds it, unmined.
    const resent = await until(() => `the transaction back in the pool:\n${api.output()}`, async () => {
      const tx = await provider.getTransaction(first.txHash!);
      return tx && tx.blockNumber === null ? tx : undefined;
    });
    expect(resent.hash).toBe(first.txHash);
    expect(api.output()).toMatch(/left the chain in a reorganization/);

    // The new fork: a later timestamp, so its block differs from the one that was dropped.
    await rpc(chain.url, "evm_increaseTime", [7]);
    await rpc(chain.url, "evm_mine");
    const remined = await stateIs(docs[0]!.leaf, (s) => s.status === "confirming");
    expect(remined.confirmations).toBe(1);
    expect((await provider.getBlock(remined.blockNumber!))!.hash).not.toBe(firstBlockHash);
    await rpc(chain.url, "evm_mine");
    await stateIs(docs[0]!.leaf, (s) => s.confirmations === 2);
    expect((await stateOf(docs[1]!.leaf)).status).toBe("confirming");
    await rpc(chain.url, "evm_mine");

    for (const doc of docs) {
      const answer = await stateIs(doc.leaf, (s) => s.status === "anchored");
      expect(answer).toMatchObject({ chainId: AMOY, txHash: first.txHash, blockNumber: remined.blockNumber });
      const { status: _status, ...fields } = answer;
      const receipt = { ...fields, documentSha256: doc.sha, salt: doc.salt } as unknown as Receipt;
      expect(await verifyReceipt(doc.bytes, receipt, provider)).toMatchObject({ verified: true });
    }
    await rpc(chain.url, "evm_setAutomine", [true]);
  });
});
