// The SMART Health Links viewer: opens any conformant link (this platform's or another's) with the sdk,
// decrypting on this device, and turns each file into previews the record viewer draws.
import { OpenChartError } from "@openchart/sdk";
import { openShl, parseShlink, ShlPasscodeError, viewablesOf, type ShlPayload, type ShlReceivedFile } from "@openchart/sdk/shl";
import { describeError } from "./problems";

/** One thing to show: bytes and their media type, as the record viewer takes them. */
export interface ShlPreview {
  title: string;
  mediaType: string;
  bytes: Uint8Array;
}

export function readLink(text: string): { payload: ShlPayload } | { error: string } {
  try {
    return { payload: parseShlink(text) };
  } catch (e) {
    return { error: describeError(e) };
  }
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2));

/** Each FHIR resource as FHIR JSON, and each inline attachment (a PDF, an image) as its own preview. */
export function previewsOf(files: ShlReceivedFile[]): ShlPreview[] {
  return files.flatMap((file, index): ShlPreview[] => {
    if (!file.contentType.startsWith("application/fhir+json")) return [{ title: `File ${index + 1} (${file.contentType})`, mediaType: "application/json", bytes: file.bytes }];
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(file.bytes));
    } catch {
      return [{ title: `File ${index + 1}`, mediaType: "text/plain", bytes: file.bytes }];
    }
    return viewablesOf(parsed).map((view) =>
      view.kind === "resource"
        ? { title: view.resourceType, mediaType: "application/fhir+json", bytes: json(view.resource) }
        : { title: view.title, mediaType: view.mediaType, bytes: view.bytes },
    );
  });
}

/** The link's files, or what went wrong in words (with the attempts left after a wrong passcode). */
export async function openLink(payload: ShlPayload, recipient: string, passcode: string): Promise<{ previews: ShlPreview[] } | { error: string; inactive?: boolean }> {
  try {
    return { previews: previewsOf(await openShl(payload, { recipient, ...(passcode ? { passcode } : {}) })) };
  } catch (e) {
    if (e instanceof ShlPasscodeError) {
      if (e.remainingAttempts === null) return { error: "This link needs its passcode." };
      return { error: `The passcode is wrong. ${e.remainingAttempts} attempt${e.remainingAttempts === 1 ? "" : "s"} left before the link locks.` };
    }
    if (e instanceof OpenChartError && e.code === "LINK_INACTIVE") return { error: `This link was revoked, has expired, or is locked. (${e.message})`, inactive: true };
    return { error: describeError(e) };
  }
}
