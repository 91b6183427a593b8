import { Type } from "typebox";
import { Check } from "typebox/value";

export { didKeyMultibase, isAccountDid, normalizeAccountDid, parsePkhDid, type PkhAccount } from "./account-did.js";

/**
 * Any DID the API accepts as a name (method, then a method-specific ID of unreserved or percent-encoded
 * characters and colons). The narrower rules of the two methods accounts use are in account-did.ts.
 */
export const DID_PATTERN = "^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$";
export const DID_MAX_LENGTH = 200;
export const Did = Type.String({ pattern: DID_PATTERN, maxLength: DID_MAX_LENGTH, description: "a DID" });

export const isDid = (value: unknown): value is string => Check(Did, value);

