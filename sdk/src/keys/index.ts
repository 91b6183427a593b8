// The key hierarchy: one random master per user, wrapped to device keys and to an origin-bound wallet key,
// and split among guardians.
export { adoptEncryptionKey, checkMasterKey, encryptionKeyOfMaster, MASTER_KEY_BYTES, newMasterKey, type MasterKey, type MasterScheme } from "./master-key.js";
export {
  parseWrappedMaster,
  unwrapMaster,
  wrapMaster,
  WRAPPED_MASTER_MAX_CHARS,
  WRAPPED_MASTER_VERSION,
  type WalletKeyParams,
  type WrappedMaster,
} from "./wrapped-master.js";
export { newWalletKeyParams, WALLET_KEY_STATEMENT, walletKeyFromProvider, walletKeyMessage, walletKeyOf, type WalletKeyRequest } from "./wallet-key.js";
export { unlockWithDevice, wrapForDevice, type DeviceKeyring } from "./device-keyring.js";
export {
  GUARDIAN_SHARE_VERSION,
  openGuardianShare,
  parseGuardianShare,
  recoverMaster,
  rewrapShareFor,
  splitToGuardians,
  type DeliveredShare,
  type GuardianPick,
  type GuardianShare,
} from "./guardians.js";
export { browserDeviceKeyring } from "./browser-keyring.js";
