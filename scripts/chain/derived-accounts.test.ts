import { describe, expect, it } from "vitest";
import { connectRpc } from "@openchart/sdk";
import { DEV_ACCOUNTS } from "./dev-accounts";
import { derivedDevAccount } from "./derived-accounts";
import { startHardhatNode } from "./hardhat-node";

describe("development accounts past Hardhat's 20", () => {
  it("derives the written-out accounts exactly", () => {
    for (const [i, account] of DEV_ACCOUNTS.entries()) expect(derivedDevAccount(i)).toEqual(account);
  });

  it("a node started with more accounts holds the derived ones unlocked and funded", async () => {
    const node = await startHardhatNode({ accounts: 23 });
    try {
      const rpc = await connectRpc(node.url, 5000);
      try {
        const accounts = (await rpc.send("eth_accounts", [])) as string[];
        expect(accounts).toHaveLength(23);
        const last = derivedDevAccount(22).address;
        expect(accounts.map((a) => a.toLowerCase())).toContain(last);
        expect(BigInt((await rpc.send("eth_getBalance", [last, "latest"])) as string)).toBeGreaterThan(0n);
      } finally {
        rpc.destroy();
      }
    } finally {
      await node.stop();
    }
  });
});
