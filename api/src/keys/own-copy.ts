import { parseWrappedMaster, type WrappedMaster } from "@openchart/sdk";
import { apiError } from "../errors.js";

/**
 * A wrapped master a session files for itself: well formed (else 400), of the kind the route keeps (else 400
 * with `wrongKind`), and naming the caller (else 403, after `refuseOtherDid` audited it), so that no session
 * can file a copy under someone else's account. The API checks only this: it cannot open the copy.
 */
export async function ownCopy(
  blob: string,
  expected: { kind: WrappedMaster["kind"]; did: string; wrongKind: string },
  refuseOtherDid: () => Promise<unknown>,
): Promise<WrappedMaster> {
  let wrapped: WrappedMaster;
  try {
    wrapped = parseWrappedMaster(blob);
  } catch (error) {
    throw apiError("INVALID_REQUEST", (error as Error).message);
  }
  if (wrapped.kind !== expected.kind) throw apiError("INVALID_REQUEST", expected.wrongKind);
  if (wrapped.did !== expected.did) {
    await refuseOtherDid();
    throw apiError("FORBIDDEN", "this wrapped key names another account: a session keeps only its own");
  }
  return wrapped;
}
