import { UserFacingError } from "./problems";

const PKH = /^did:pkh:eip155:([1-9][0-9]*):(0x[0-9a-fA-F]{40})$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** A person typed as a did:pkh or a bare 0x address, as the did:pkh on this chain (address lower-cased). */
export function accountDid(input: string, chainId: number): string {
  const text = input.trim();
  if (ADDRESS.test(text)) return `did:pkh:eip155:${chainId}:${text.toLowerCase()}`;
  const match = PKH.exec(text);
  if (!match) {
    throw new UserFacingError("Enter the doctor's wallet address (0x followed by 40 characters) or their did:pkh identifier.", "INVALID_INPUT", text);
  }
  if (Number(match[1]) !== chainId) {
    throw new UserFacingError(`This identifier belongs to another network (chain ${match[1]}); this site uses chain ${chainId}.`, "WRONG_NETWORK", text);
  }
  return `did:pkh:eip155:${chainId}:${match[2]!.toLowerCase()}`;
}

/** The 0x address inside a did:pkh. */
export function addressOfDid(did: string): string {
  const match = PKH.exec(did);
  if (!match) throw new UserFacingError("This account is not an Ethereum account.", "INVALID_INPUT", did);
  return match[2]!.toLowerCase();
}
