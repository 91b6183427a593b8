// How a signed-in user's master key reaches this tab, with the fewest wallet prompts:
// 1. this device knows it (IndexedDB, wrapped to the non-extractable device key): no prompt;
// 2. else the API keeps it wrapped to the wallet key: one prompt (the origin-bound SIWE message);
// 3. else it is the user's first sign-in since keys have a master: a new user gets a random master, an
//    existing user (with a published encryption key) adopts their wallet-derived key as the master (one
//    extra prompt, once: the EIP-712 message it was derived from), and the master is wrapped to the wallet
//    key for their next devices (one prompt) and kept for them by the API.
// Whatever way it came, the device keeps it for the next reload, tab or session.
import {
  adoptEncryptionKey,
  browserDeviceKeyring,
  encryptionKeyFromProvider,
  newMasterKey,
  newWalletKeyParams,
  parseWrappedMaster,
  rememberOnDevice,
  unlockOnDevice,
  unwrapMaster,
  walletKeyFromProvider,
  wrapMaster,
  type DeviceKeyring,
  type MasterKey,
} from "@openchart/sdk";
import { publishedEncryptionKeyDid } from "@openchart/sdk/vault";
import type { ApiClient } from "./api";
import type { WebConfig } from "./config";
import { UserFacingError } from "./problems";
import type { Eip1193Provider } from "./wallet";

export type UnlockStep = "wallet-key" | "encryption-key";

export interface UnlockInput {
  account: string;
  address: string;
  api: ApiClient;
  config: WebConfig;
  /** Needed only when this device does not know the master. */
  provider?: Eip1193Provider;
  onStep?: (step: UnlockStep) => void;
  keyring?: DeviceKeyring;
}

let sharedKeyring: DeviceKeyring | undefined;
export const deviceKeyring = (): DeviceKeyring => (sharedKeyring ??= browserDeviceKeyring());

/** The master from this device alone (no prompt), or null when the device does not know it. */
export function masterOnDevice(account: string, keyring = deviceKeyring()): Promise<MasterKey | null> {
  return unlockOnDevice(keyring, account);
}

export async function unlockMaster(input: UnlockInput): Promise<MasterKey> {
  const keyring = input.keyring ?? deviceKeyring();
  const known = await unlockOnDevice(keyring, input.account);
  if (known) return known;
  const provider = input.provider;
  if (!provider) throw new UserFacingError("Connect your wallet to open your records on this device.", "WALLET_NEEDED");
  const step = input.onStep ?? (() => {});
  const walletKey = (params: { chainId: number; nonce: string; issuedAt: string }) =>
    walletKeyFromProvider(provider, { ...params, origin: location.origin, address: input.address });

  const kept = await input.api.signed<{ blob: string }>("GET", "/keys/wrapped").catch((error: unknown) => {
    if (error instanceof UserFacingError && error.code === "WRAPPED_KEY_UNKNOWN") return null;
    throw error;
  });
  let master: MasterKey;
  if (kept) {
    const wrapped = parseWrappedMaster(kept.blob);
    step("wallet-key");
    master = await unwrapMaster(wrapped, await walletKey(wrapped.wallet!), input.account);
  } else {
    master = await firstMaster(input, provider, step);
    const params = newWalletKeyParams(input.config.chainId);
    step("wallet-key");
    const wrapped = await wrapMaster(master, await walletKey(params), { kind: "wallet", did: input.account, wallet: params });
    await input.api.signed("PUT", "/keys/wrapped", { blob: JSON.stringify(wrapped) });
  }
  await rememberOnDevice(keyring, input.account, master);
  return master;
}

async function firstMaster(input: UnlockInput, provider: Eip1193Provider, step: (s: UnlockStep) => void): Promise<MasterKey> {
  const published = await publishedEncryptionKeyDid(input.account, { ceramicUrl: input.config.ceramicUrl });
  if (!published) return newMasterKey();
  step("encryption-key");
  const legacy = await encryptionKeyFromProvider(provider, { address: input.address, chainId: input.config.chainId });
  // A published key that is not the wallet-derived one came from a master whose kept copy is missing:
  // adopting the wallet-derived key would publish a key that opens none of the user's records.
  if (legacy.did !== published) {
    throw new UserFacingError(
      "Your records are locked to a key this device cannot find. Sign in on a device you used before to open them.",
      "MASTER_MISSING",
      `published ${published}, wallet-derived ${legacy.did}`,
    );
  }
  return adoptEncryptionKey(legacy);
}

/** Sign-out: this device forgets the user's master (the API's wallet-wrapped copy stays for their devices). */
export function forgetMasterOnDevice(account: string, keyring = deviceKeyring()): Promise<void> {
  return keyring.forget(account);
}
