import type { AnchoredLeaf, LeafState, SubmitResult } from "./api/anchoring.js";
import { callApi, type ClientOptions } from "./api-call.js";
import { invalidInput } from "./errors.js";
import { toBytes32, type Hex } from "./hex.js";
import type { Receipt } from "./receipt.js";
import { signedFetch } from "./auth/signed-fetch.js";
import type { SigningSession } from "./auth/sign-request.js";

export type { ClientOptions };

/** Who submits: the signed-in user's did-session, and the API's audience as its verifier expects it. */
export interface AnchorSigner {
  session: SigningSession;
  audience: string;
}

/**
 * Queues commitment leaves at an OpenChart API's anchoring service, signed with the user's did-session:
 * the service files them under that DID (its daily quota, its turn in a batch). Retrying with the same
 * `idempotencyKey` is always safe: the service answers as it did the first time (keys are per DID).
 */
export async function submitLeaves(
  apiUrl: string,
  leaves: readonly Hex[],
  idempotencyKey: string,
  signer: AnchorSigner,
  options: ClientOptions = {},
): Promise<SubmitResult> {
  if (leaves.length === 0) throw invalidInput("submit at least one leaf");
  const body = { leaves: leaves.map((leaf, i) => toBytes32(leaf, `leaves[${i}]`)) };
  if (!/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) throw invalidInput("the idempotency key must be 1 to 200 printable ASCII characters");
  const response = await callApi("anchoring service", apiUrl, "/anchors", options, (url, init) =>
    signedFetch(
      signer.session,
      url,
      { method: "POST", headers: { "content-type": "application/json", "idempotency-key": idempotencyKey }, body: JSON.stringify(body), signal: init.signal },
      { audience: signer.audience, ...(options.fetch ? { fetch: options.fetch } : {}) },
    ),
  );
  return (await response.json()) as SubmitResult;
}

/** A leaf's state at the service: pending, or anchored with everything a receipt needs but the document's part. */
export async function fetchReceipt(apiUrl: string, leaf: Hex, options: ClientOptions = {}): Promise<LeafState> {
  const response = await callApi("anchoring service", apiUrl, `/anchors/${toBytes32(leaf, "leaf")}`, options, (url, init) => (options.fetch ?? fetch)(url, { ...init, method: "GET" }));
  return (await response.json()) as LeafState;
}

/** The full receipt, from the service's answer and the client's own document hash and salt. */
export function completeReceipt(anchored: AnchoredLeaf, documentSha256: Hex, salt: Hex): Receipt {
  const { leaf, proof, root, chainId, contract, txHash, blockNumber, anchoredAt } = anchored;
  return { documentSha256, salt, leaf, proof, root, chainId, contract, txHash, blockNumber, anchoredAt };
}
