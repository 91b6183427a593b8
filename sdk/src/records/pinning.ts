import type { RemotePin } from "../api/pinning.js";
import { OpenChartError } from "../errors.js";
import { dropPin, fetchPin, listPins, requestPin } from "../pin-client.js";
import type { RecordSummary, VaultContext } from "./context.js";

/**
 * Where a record's ciphertext is kept beyond the platform's own IPFS node: the API's answer (`off` when
 * it has no pinning service), or `unavailable` when the API cannot be asked (none configured, no
 * session, not reachable). The vault's own node pinned the ciphertext when it was added.
 */
export type PinningState = RemotePin | { status: "unavailable"; reason: string };

/**
 * Asks the API to pin a record's ciphertext remotely. Sends the CID only. A failure is reported, not
 * thrown: the record is stored, and `syncPin` asks again.
 */
export async function submitPin(context: VaultContext, record: Pick<RecordSummary, "cid">): Promise<PinningState> {
  const api = signedApi(context);
  if (typeof api === "string") return { status: "unavailable", reason: api };
  try {
    return await requestPin(api.url, record.cid, api.signer);
  } catch (error) {
    return { status: "unavailable", reason: (error as Error).message };
  }
}

/** Where the record's remote pin stands; a pin the API never heard of (a lost first request) is asked again. */
export async function syncPin(context: VaultContext, record: Pick<RecordSummary, "cid">): Promise<PinningState> {
  const api = signedApi(context);
  if (typeof api === "string") return { status: "unavailable", reason: api };
  const state = await fetchPin(api.url, record.cid, api.signer).catch((error: unknown) => {
    if (error instanceof OpenChartError && error.code === "NOT_FOUND") return undefined;
    throw error;
  });
  return state ?? submitPin(context, record);
}

/**
 * The remote pin of each record, by record id, from one call to the API; a record whose CID the API
 * never heard of (a lost first request) is asked for again.
 */
export async function pinStates(context: VaultContext, records: readonly Pick<RecordSummary, "id" | "cid">[]): Promise<Record<string, PinningState>> {
  const api = signedApi(context);
  const states: Record<string, PinningState> = {};
  if (typeof api === "string") {
    for (const record of records) states[record.id] = { status: "unavailable", reason: api };
    return states;
  }
  const { service, pins } = await listPins(api.url, api.signer);
  const byCid = new Map(pins.map((pin) => [pin.cid, pin]));
  for (const record of records) {
    states[record.id] = !service ? { status: "off", cid: record.cid, attempts: 0, nextAttemptAt: null, reason: null, updatedAt: Date.now() } : byCid.get(record.cid) ?? (await submitPin(context, record));
  }
  return states;
}

/**
 * After a key rotation: the new ciphertext is pinned and the old one dropped at the remote service. The
 * drop is best effort (the record already points at the new CID): a failure leaves the old pin in place.
 */
export async function movePin(context: VaultContext, oldCid: string, record: Pick<RecordSummary, "cid">): Promise<PinningState> {
  const state = await submitPin(context, record);
  const api = signedApi(context);
  if (typeof api !== "string" && state.status !== "off" && state.status !== "unavailable") {
    await dropPin(api.url, oldCid, api.signer).catch(() => undefined);
  }
  return state;
}

function signedApi(context: VaultContext) {
  if (!context.anchorServiceUrl) return "no OpenChart API is configured";
  if (!context.anchorSigner) return "remote pinning needs a signed-in session (a did-session naming the API), not a bare DID";
  return { url: context.anchorServiceUrl, signer: context.anchorSigner };
}
