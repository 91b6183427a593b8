import { computeAddress, HDNodeWallet, Mnemonic } from "ethers";
import { describe, expect, it } from "vitest";
import { DEV_ACCOUNTS, DEV_KEYS, DEV_MNEMONIC } from "./dev-accounts";

describe("the development accounts", () => {
  it("DEV_KEYS are the mnemonic's first 20 keys, the ones the hardhat node funds", () => {
    const mnemonic = Mnemonic.fromPhrase(DEV_MNEMONIC);
    const derived = Array.from({ length: 20 }, (_, i) => HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`).privateKey);
    expect(DEV_KEYS).toEqual(derived);
  });

  it("DEV_ACCOUNTS are the first of them, each with its own address", () => {
    DEV_ACCOUNTS.forEach((account, i) => {
      expect(account.key).toBe(DEV_KEYS[i]);
      expect(account.address).toBe(computeAddress(account.key).toLowerCase());
    });
  });
});
