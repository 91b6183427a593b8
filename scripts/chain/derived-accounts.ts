import { HDNodeWallet } from "ethers";

/** Hardhat's public development mnemonic: its accounts are funded on local chains only. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * Development account #`index` of Hardhat's mnemonic (path m/44'/60'/0'/0/index), for indexes past the ones
 * dev-accounts.ts writes out: a node started with `accounts` above the index holds it unlocked and funded.
 * Its own file, so that dev-accounts.ts (imported by every launcher) does not load ethers.
 */
export function derivedDevAccount(index: number): { key: string; address: string } {
  const wallet = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
  return { key: wallet.privateKey, address: wallet.address.toLowerCase() };
}
