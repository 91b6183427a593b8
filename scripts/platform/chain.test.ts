import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { afterAll, describe, expect, it } from "vitest";
import { deployContracts } from "../chain/deploy";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";
import { freePort } from "../chain/hardhat-node";
import { startPersistentChain, type PersistentChain } from "./chain";
import { rpc } from "./rpc";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "openchart-chain-"));
let chain: PersistentChain | undefined;

afterAll(async () => {
  await chain?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the persistent local chain", () => {
  it("comes back after a restart with the same contracts, transactions and time", async () => {
    const port = await freePort();
    chain = await startPersistentChain({ dataDir, port, webOrigins: [] });
    expect(chain.replayed).toBeUndefined();
    const launcher = chain.launcherHeaders;
    let provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true });
    const deployment = await deployContracts(new NonceManager(new Wallet(DEV_ACCOUNTS[0].key, provider)), "localhost");
    // A transaction the node signs itself (as the e2e test wallet sends them) and a balance change.
    const sent = await rpc<string>(chain.url, "eth_sendTransaction", [{ from: DEV_ACCOUNTS[1].address, to: DEV_ACCOUNTS[2].address, value: "0x1" }], launcher);
    await rpc(chain.url, "hardhat_setBalance", [DEV_ACCOUNTS[2].address, "0x1234"], launcher);
    const head = await rpc<{ number: string; hash: string }>(chain.url, "eth_getBlockByNumber", ["latest", false]);
    await expect(rpc(chain.url, "evm_snapshot", [], launcher)).rejects.toThrow(/not available on the persistent local chain/);
    await expect(rpc(chain.url, "hardhat_impersonateAccount", ["0x0000000000000000000000000000000000000001"], launcher)).rejects.toThrow(
      /not available on the persistent local chain/,
    );
    provider.destroy();
    await chain.stop();

    chain = await startPersistentChain({ dataDir, port, webOrigins: [] });
    expect(chain.replayed).toMatchObject({ blocks: Number(head.number), transactions: 3, identical: true });
    provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true });
    for (const c of Object.values(deployment.contracts)) {
      expect((await provider.getCode(c.address)).length).toBeGreaterThan(2);
      expect((await provider.getTransaction(c.txHash))?.blockNumber).toBe(c.blockNumber);
    }
    expect((await provider.getTransactionReceipt(sent))?.status).toBe(1);
    expect(await provider.getBalance(DEV_ACCOUNTS[2].address)).toBe(0x1234n);
    expect((await provider.getBlock("latest"))!.hash).toBe(head.hash);
    // New blocks take the wall-clock time again.
    await rpc(chain.url, "evm_mine", [], chain.launcherHeaders);
    expect(Math.abs(Number((await provider.getBlock("latest"))!.timestamp) - Date.now() / 1000)).toBeLessThan(30);
    provider.destroy();
  });
});
