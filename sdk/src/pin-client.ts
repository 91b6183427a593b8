import type { AnchorSigner } from "./anchor-client.js";
import { callApi, type ClientOptions } from "./api-call.js";
import type { PinList, RemotePin } from "./api/pinning.js";
import { signedFetch, type SignedFetchInit } from "./auth/signed-fetch.js";
import { invalidInput } from "./errors.js";

const CID_V1 = /^b[a-z2-7]{20,200}$/;

function checkCid(cid: string): string {
  if (!CID_V1.test(cid)) throw invalidInput(`not a CIDv1 in base32: "${cid}"`);
  return cid;
}

/** One signed call to the API's pinning routes: the caller is the session's DID, nothing in the request names it. */
async function pinCall(apiUrl: string, method: "POST" | "GET" | "DELETE", cid: string, signer: AnchorSigner, options: ClientOptions): Promise<RemotePin> {
  const route = method === "POST" ? "/pins" : `/pins/${checkCid(cid)}`;
  const init: SignedFetchInit = method === "POST" ? { method, headers: { "content-type": "application/json" }, body: JSON.stringify({ cid: checkCid(cid) }) } : { method };
  const response = await callApi("pinning service", apiUrl, route, options, (url, { signal }) =>
    signedFetch(signer.session, url, { ...init, signal }, { audience: signer.audience, ...(options.fetch ? { fetch: options.fetch } : {}) }),
  );
  return (await response.json()) as RemotePin;
}

/**
 * Asks the API to have its remote pinning service keep a ciphertext. Only the CID is sent: never the
 * record, its title or its size. Asking again for the same CID is safe (the API keeps one request per
 * caller and CID, and queues a failed one again). Status `off`: the API has no service configured.
 */
export const requestPin = (apiUrl: string, cid: string, signer: AnchorSigner, options: ClientOptions = {}): Promise<RemotePin> =>
  pinCall(apiUrl, "POST", cid, signer, options);

/** Where the caller's pin request for `cid` stands; NOT_FOUND when the caller never asked. */
export const fetchPin = (apiUrl: string, cid: string, signer: AnchorSigner, options: ClientOptions = {}): Promise<RemotePin> =>
  pinCall(apiUrl, "GET", cid, signer, options);

/** Asks the API to drop the caller's remote pin of `cid` (an old ciphertext after a key rotation). */
export const dropPin = (apiUrl: string, cid: string, signer: AnchorSigner, options: ClientOptions = {}): Promise<RemotePin> =>
  pinCall(apiUrl, "DELETE", cid, signer, options);

/** The caller's pin requests (newest first), in one call: what a record list shows. */
export async function listPins(apiUrl: string, signer: AnchorSigner, options: ClientOptions = {}): Promise<PinList> {
  const response = await callApi("pinning service", apiUrl, "/pins", options, (url, { signal }) =>
    signedFetch(signer.session, url, { method: "GET", signal }, { audience: signer.audience, ...(options.fetch ? { fetch: options.fetch } : {}) }),
  );
  return (await response.json()) as PinList;
}
