/**
 * The wire rules the sdk declares (`sdk/src/api/`) that the agent applies too. The agent does not depend
 * on the sdk (a standalone issuer CLI should not pull in the Ceramic and IPFS clients), so it keeps these
 * few lines; the API's `agent-contract.test.ts` checks that they agree with the sdk's on every case.
 */

/** Any DID: method, then a method-specific ID of unreserved or percent-encoded characters and colons. */
export const DID_PATTERN = "^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$";
export const DID_MAX_LENGTH = 200;
const ANY_DID = new RegExp(DID_PATTERN);
const PKH_EIP155 = /^did:pkh:eip155:([1-9][0-9]{0,19}):(0x[0-9a-fA-F]{40})$/;

export const isDid = (value: unknown): value is string => typeof value === "string" && value.length <= DID_MAX_LENGTH && ANY_DID.test(value);

/** The lower-case address of a did:pkh:eip155 DID, or null for any other DID. */
export function pkhAddress(did: string): string | null {
  const match = PKH_EIP155.exec(did);
  return match ? match[2]!.toLowerCase() : null;
}

/** A service's base URL as routes are joined to it: without trailing slashes. */
export const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, "");
