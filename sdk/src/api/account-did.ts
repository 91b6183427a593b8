// The account DIDs OpenChart shares with (did:pkh on an EVM chain, did:key), read with plain patterns: no
// schema library, so the sdk's on-chain entry (onchain.ts, loaded by every hardhat task) does not load typebox.

/** A wallet account on an EVM chain (CAIP-10): captures the chain ID and the address. */
const PKH_EIP155 = /^did:pkh:eip155:([1-9][0-9]{0,19}):(0x[0-9a-fA-F]{40})$/;
/** A did:key: captures its multibase (base58btc) public key. */
const DID_KEY = /^did:key:(z[1-9A-HJ-NP-Za-km-z]{40,200})$/;

export interface PkhAccount {
  chainId: number;
  /** As written in the DID (case kept). */
  address: string;
}

/** The chain and address of a `did:pkh:eip155` account, or undefined for anything else. */
export function parsePkhDid(did: unknown): PkhAccount | undefined {
  const match = typeof did === "string" ? PKH_EIP155.exec(did) : null;
  return match ? { chainId: Number(match[1]), address: match[2]! } : undefined;
}

/** The multibase public key of a did:key, or undefined for anything else. */
export function didKeyMultibase(did: unknown): string | undefined {
  return typeof did === "string" ? DID_KEY.exec(did)?.[1] : undefined;
}

/**
 * An account DID as the API names its signed-in callers: a did:pkh's address in lower case (a wallet may
 * show it checksummed), anything else as it is. Compare account DIDs only in this form.
 */
export function normalizeAccountDid(did: string): string {
  const pkh = parsePkhDid(did);
  return pkh ? `did:pkh:eip155:${pkh.chainId}:${pkh.address.toLowerCase()}` : did;
}

/** An account DID OpenChart can share with: a did:key or a did:pkh on an EVM chain. */
export const isAccountDid = (did: unknown): did is string => parsePkhDid(did) !== undefined || didKeyMultibase(did) !== undefined;
