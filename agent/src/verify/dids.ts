import { reason, type Reason } from "../errors.js";
import { isDid, parsePkhDid } from "@openchart/sdk/api";

/** The lower-case address of a did:pkh:eip155 DID, or null for any other DID. */
export const pkhAddress = (did: string): string | null => parsePkhDid(did)?.address.toLowerCase() ?? null;

/** The DID methods this agent creates and resolves; anything else is refused as unsupported. */
export const SUPPORTED_DID_METHODS = ["key", "pkh"] as const;

/** A reason to refuse a DID whose method this agent cannot resolve, or null. */
export function didMethodReason(did: string, role: string): Reason | null {
  const method = isDid(did) ? did.split(":")[1] : undefined;
  if (!method) return reason("UNSUPPORTED_DID_METHOD", `the ${role} ${JSON.stringify(did)} is not a DID`);
  if (!(SUPPORTED_DID_METHODS as readonly string[]).includes(method)) {
    return reason("UNSUPPORTED_DID_METHOD", `did:${method} is not supported (only ${SUPPORTED_DID_METHODS.map((m) => `did:${m}`).join(", ")})`);
  }
  return null;
}

/** DIDs are compared exactly, except the hex address of a did:pkh, whose letter case is not significant. */
export function sameDid(a: string, b: string): boolean {
  if (a === b) return true;
  const addressA = pkhAddress(a);
  return addressA !== null && addressA === pkhAddress(b) && a.split(":").slice(0, 4).join(":") === b.split(":").slice(0, 4).join(":");
}
