import { createHmac, timingSafeEqual } from "node:crypto";
import type { PrescriptionStatusEntry } from "@openchart/sdk";
import type { OpenChartAgent } from "./agent.js";
import { initIssuer } from "./issuer.js";

/** The agent's DID that signs the prescription status lists (a did:key of its own, apart from the license issuer). */
export const PRESCRIPTION_REGISTRY_ALIAS = "openchart-prescriptions";
const ID_PREFIX = "urn:openchart:rx:";

export const initPrescriptionRegistry = async (agent: OpenChartAgent): Promise<string> => (await initIssuer(agent, PRESCRIPTION_REGISTRY_ALIAS)).did;

/**
 * A prescription's opaque ID binds its prescriber to its status entries: an HMAC under the registry's key, so
 * the registry keeps nothing per prescription but two status bits, and a doctor cannot sign someone else's
 * entries into a prescription of their own (to cancel or spend it).
 */
function registrationId(key: Uint8Array, prescriber: string, entries: readonly PrescriptionStatusEntry[]): string {
  const mac = createHmac("sha256", key).update("openchart prescription\n").update(prescriber.toLowerCase());
  for (const entry of entries) mac.update(`\n${entry.statusPurpose} ${entry.statusListCredential} ${entry.statusListIndex}`);
  return `${ID_PREFIX}${mac.digest("base64url")}`;
}

/** Allocates a prescription's cancellation (revocation) and dispense (suspension) bits for `prescriber`, and its ID. */
export async function registerPrescription(agent: OpenChartAgent, registry: string, prescriber: string, key: Uint8Array): Promise<{ id: string; credentialStatus: PrescriptionStatusEntry[] }> {
  const credentialStatus = (await agent.veramo.statusListAllocate({ issuer: registry })) as PrescriptionStatusEntry[];
  return { id: registrationId(key, prescriber, credentialStatus), credentialStatus };
}

/** Whether `id` is the one the registry gave `prescriber` with these entries. */
export function isRegistered(key: Uint8Array, id: string, prescriber: string, entries: readonly PrescriptionStatusEntry[]): boolean {
  const expected = Buffer.from(registrationId(key, prescriber, entries));
  const given = Buffer.from(id);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Sets a status bit and says whether this call set it. The status list plugin writes a list under a version
 * check (compare and set) and re-reads on a conflict, so of two pharmacies dispensing at once exactly one
 * sees `true`: no check-then-write race.
 */
export async function setPrescriptionBit(agent: OpenChartAgent, entry: PrescriptionStatusEntry): Promise<boolean> {
  const { changed } = await agent.veramo.statusListSetStatus({ statusListCredential: entry.statusListCredential, statusListIndex: Number(entry.statusListIndex), value: true });
  return changed;
}
