import { reason, type Reason } from "../errors.js";
import { pkhAddress } from "./eip712.js";

/** The DID methods this agent creates and resolves; anything else is refused as unsupported. */
export const SUPPORTED_DID_METHODS = ["key", "pkh"] as const;

/** A reason to refuse a DID whose method this agent cannot resolve, or null. */
export function didMethodReason(did: string, role: string): Reason | null {
  const method = /^did:([a-z0-9]+):/.exec(did)?.[1];
  if (!method) return reason("unsupported_did_method", `the ${role} ${JSON.stringify(did)} is not a DID`);
  if (!(SUPPORTED_DID_METHODS as readonly string[]).includes(method)) {
    return reason("unsupported_did_method", `did:${method} is not supported (only ${SUPPORTED_DID_METHODS.map((m) => `did:${m}`).join(", ")})`);
  }
  return null;
}

/** DIDs are compared exactly, except the hex address of a did:pkh, whose letter case is not significant. */
export function sameDid(a: string, b: string): boolean {
  if (a === b) return true;
  const addressA = pkhAddress(a);
  return addressA !== null && addressA === pkhAddress(b) && a.split(":").slice(0, 4).join(":") === b.split(":").slice(0, 4).join(":");
}
