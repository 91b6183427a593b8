// SMART Health Links on the patient's side: the chosen records are read and decrypted on this device,
// put into FHIR (a DocumentReference around anything that is not FHIR already), encrypted with a new
// link's key, and sent as ciphertext; the key and the label go only into the link the patient hands out.
import type { ShlLinkList, ShlLinkView } from "@openchart/sdk";
import { prepareShl, sharedLinkOf, shlFileOfRecord, type SharedLink } from "@openchart/sdk/shl";
import QRCode from "qrcode";
import type { ApiClient } from "./api";

export interface HealthLinkDraft {
  recordIds: string[];
  label: string;
  passcode: string;
  /** Days until it expires; null: until revoked. */
  days: number | null;
}

interface RecordReader {
  readRecord(id: string): Promise<{ record: { title: string; mediaType: string; createdAt: string }; bytes: Uint8Array }>;
}

/** The viewer this app serves (its own page): the link opens in any browser with no wallet. */
export const viewerUrlOf = (location: Pick<Location, "origin" | "pathname">): string => `${location.origin}${location.pathname}`;

export async function createHealthLink(api: ApiClient, vault: RecordReader, draft: HealthLinkDraft, viewerUrl: string): Promise<SharedLink> {
  const files = await Promise.all(
    draft.recordIds.map(async (id) => {
      const { record, bytes } = await vault.readRecord(id);
      return shlFileOfRecord({ title: record.title, mediaType: record.mediaType, bytes, createdAt: Date.parse(record.createdAt) });
    }),
  );
  const { key, body } = await prepareShl({
    files,
    ...(draft.passcode ? { passcode: draft.passcode } : {}),
    ...(draft.days ? { expiresAt: Date.now() + draft.days * 86_400_000 } : {}),
    ...(draft.label.trim() ? { label: draft.label.trim() } : {}),
  });
  const link = await api.signed<ShlLinkView>("POST", "/shl/links", body);
  return sharedLinkOf(link, key, { ...(draft.label.trim() ? { label: draft.label.trim() } : {}), viewerUrl });
}

export const listHealthLinks = async (api: ApiClient): Promise<ShlLinkView[]> => (await api.signed<ShlLinkList>("GET", "/shl/links")).links;
export const revokeHealthLink = (api: ApiClient, id: string): Promise<ShlLinkView> => api.signed<ShlLinkView>("DELETE", `/shl/links/${id}`);

/** The QR code of a link as SVG markup, error correction M as the IG recommends. */
export const qrSvgOf = (text: string): Promise<string> => QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });

/** What a link's state means to the patient who made it. */
export function describeLinkState(link: ShlLinkView): string {
  switch (link.state) {
    case "active":
      return link.expiresAt ? `Active until ${new Date(link.expiresAt).toLocaleString()}` : "Active until you revoke it";
    case "revoked":
      return `Revoked ${new Date(link.revokedAt!).toLocaleString()}`;
    case "expired":
      return `Expired ${new Date(link.expiresAt!).toLocaleString()}`;
    case "locked":
      return "Locked after too many wrong passcodes";
  }
}
