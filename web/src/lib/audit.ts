import {
  connectRpc,
  consentIdOfOpening,
  consentRegistryAt,
  consentTimeline,
  describeReceiptCheck,
  formatUtc,
  OpenChartError,
  parseConsentProof,
  parseReceipt,
  readConsent,
  verifyReceipt,
  type ConsentEvent,
  type ConsentOpening,
  type ConsentState,
  type Hex,
} from "@openchart/sdk";
import { fileChunks } from "./file-chunks";

export type AuditOutcome = { verified: true; message: string } | { verified: false; message: string };

/** Checks a document against its receipt and the chain, and says so in plain words. */
export async function auditDocument(
  document: File,
  receiptText: string,
  chain: { rpcUrl: string; registry?: string },
  onProgress?: (done: number, total: number) => void,
): Promise<AuditOutcome> {
  let json: unknown;
  try {
    json = JSON.parse(receiptText);
  } catch {
    return { verified: false, message: "NOT VERIFIED: the receipt file is not valid JSON." };
  }
  try {
    const receipt = parseReceipt(json);
    const provider = await connectRpc(chain.rpcUrl);
    try {
      const check = await verifyReceipt(fileChunks(document, onProgress), receipt, provider, { registry: chain.registry });
      if (!check.verified) return { verified: false, message: `NOT VERIFIED: ${check.reason}.` };
      return {
        verified: true,
        message: `${describeReceiptCheck(document.name, check)}.`,
      };
    } finally {
      provider.destroy();
    }
  } catch (error) {
    return { verified: false, message: `NOT VERIFIED: ${plain(error)}` };
  }
}

export type ConsentAudit =
  | { matched: true; consentId: Hex; opening: ConsentOpening; state: ConsentState; timeline: ConsentEvent[]; message: string }
  | { matched: false; message: string; consentId?: Hex };

/**
 * Checks a consent proof (the opening a patient exported) against the chain: the consent ID is recomputed
 * from the opening, so an opening altered in any field (another grantee, another record, another salt)
 * names a consent the chain never saw, and the proof is refused.
 */
export async function auditConsentProof(proofText: string, rpcUrl: string, chain: { chainId?: number; registry?: string } = {}): Promise<ConsentAudit> {
  let opening: ConsentOpening;
  try {
    opening = parseConsentProof(proofText).opening;
  } catch (error) {
    return { matched: false, message: `NOT A VALID CONSENT PROOF: ${plain(error)}` };
  }
  const consentId = consentIdOfOpening(opening);
  if (chain.chainId !== undefined && opening.chainId !== chain.chainId) {
    return { matched: false, consentId, message: `DOES NOT MATCH: the proof is for chain ${opening.chainId}, this endpoint is chain ${chain.chainId}.` };
  }
  if (chain.registry && chain.registry.toLowerCase() !== opening.registry.toLowerCase()) {
    return { matched: false, consentId, message: `DOES NOT MATCH: the proof names registry ${opening.registry}, not this site's ${chain.registry}.` };
  }
  try {
    const provider = await connectRpc(rpcUrl);
    try {
      const network = await provider.getNetwork();
      if (Number(network.chainId) !== opening.chainId) {
        return { matched: false, consentId, message: `DOES NOT MATCH: the proof is for chain ${opening.chainId}, the endpoint serves chain ${network.chainId}.` };
      }
      const registry = consentRegistryAt(opening.registry, provider);
      const [state, timeline] = await Promise.all([readConsent(registry, consentId), consentTimeline(registry, consentId)]);
      if (state.status === "none" && timeline.length === 0) {
        return { matched: false, consentId, message: "DOES NOT MATCH: no consent with this proof's ID was ever recorded on the chain (the proof was altered, or its consent was never granted)." };
      }
      return { matched: true, consentId, opening, state, timeline, message: describeConsentState(state) };
    } finally {
      provider.destroy();
    }
  } catch (error) {
    return { matched: false, consentId, message: `NOT CHECKED: ${plain(error)}` };
  }
}

/** A consent's current state in one sentence. */
export function describeConsentState(state: Pick<ConsentState, "status" | "expiresAt">): string {
  const until = formatUtc(state.expiresAt);
  switch (state.status) {
    case "active":
      return `ACTIVE: the consent holds until ${until}.`;
    case "expired":
      return `EXPIRED: the consent ended at ${until}.`;
    case "revoked":
      return "REVOKED: the patient ended this consent.";
    default:
      return "NOT ACTIVE: the chain holds no live consent under this ID.";
  }
}

export function plain(error: unknown): string {
  if (error instanceof OpenChartError) return error.message;
  return `something went wrong (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
}
