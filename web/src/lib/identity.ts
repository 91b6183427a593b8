import { isAddress, parsePkhDid } from "@openchart/sdk";
import { UserFacingError } from "./problems";

/**
 * A person typed as a did:pkh or a bare 0x address, as the did:pkh on this chain (address lower-cased).
 * `whose` names them in the error ("the doctor's", "the guardian's").
 */
export function accountDid(input: string, chainId: number, whose = "the doctor's"): string {
  const text = input.trim();
  if (isAddress(text)) return `did:pkh:eip155:${chainId}:${text.toLowerCase()}`;
  const account = parsePkhDid(text);
  if (!account) {
    throw new UserFacingError(`Enter ${whose} wallet address (0x followed by 40 characters) or their did:pkh identifier.`, "INVALID_INPUT", text);
  }
  if (account.chainId !== chainId) {
    throw new UserFacingError(`This identifier belongs to another network (chain ${account.chainId}); this site uses chain ${chainId}.`, "WRONG_NETWORK", text);
  }
  return `did:pkh:eip155:${chainId}:${account.address.toLowerCase()}`;
}

/** The 0x address inside a did:pkh. */
export function addressOfDid(did: string): string {
  const account = parsePkhDid(did);
  if (!account) throw new UserFacingError("This account is not an Ethereum account.", "INVALID_INPUT", did);
  return account.address.toLowerCase();
}
