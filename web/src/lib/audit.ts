import {
  connectRpc,
  consentHistory,
  consentRegistryAt,
  describeReceiptCheck,
  OpenChartError,
  parseReceipt,
  verifyReceipt,
  type ConsentEvent,
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

/** Grants and revokes between a patient and a grantee, oldest first. */
export async function readConsentTimeline(
  rpcUrl: string,
  consentRegistry: string,
  patient: string,
  grantee: string,
): Promise<ConsentEvent[]> {
  const provider = await connectRpc(rpcUrl);
  try {
    return await consentHistory(consentRegistryAt(consentRegistry, provider), patient, grantee);
  } finally {
    provider.destroy();
  }
}

export function plain(error: unknown): string {
  if (error instanceof OpenChartError) return error.message;
  return `something went wrong (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
}
