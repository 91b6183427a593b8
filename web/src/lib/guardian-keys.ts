// The user's master at work in guardian recovery: it stays inside these closures, as the consent keys do
// (session.ts hands them to the views with the signed-in user).
import {
  encryptionKeyOfMaster,
  recoverMaster,
  rewrapShareFor,
  splitToGuardians,
  type DeliveredShare,
  type GuardianPick,
  type GuardianSetBody,
  type MasterKey,
} from "@openchart/sdk";

export interface GuardianKeys {
  /** As a patient: a new k-of-n split of the master, each share sealed to one guardian (PUT /recovery/guardians). */
  split(threshold: number, guardians: readonly GuardianPick[]): Promise<GuardianSetBody>;
  /** As a guardian: the share sealed to me, sealed again to the requester's key (the approval's body). */
  rewrap(sealed: string, request: { patient: string; requesterKeyDid: string }): Promise<string>;
  /** As a requester: the old account's master from the shares guardians re-wrapped to my key. */
  recover(shares: readonly DeliveredShare[], expected: { patient: string; keyDid: string }): Promise<MasterKey>;
}

export function guardianKeysOf(account: string, master: MasterKey): GuardianKeys {
  const key = encryptionKeyOfMaster(master);
  return {
    split: (threshold, guardians) => splitToGuardians(master, { patient: account, threshold, guardians }),
    rewrap: (sealed, request) => rewrapShareFor(sealed, key, { ...request, guardian: account }),
    recover: (shares, expected) => recoverMaster(shares, key, expected),
  };
}
