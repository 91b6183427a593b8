import { recoverTypedSignature, SignTypedDataVersion, type MessageTypes, type TypedMessage } from "@metamask/eth-sig-util";
import {
  EIP712_SIGNATURE_TYPE,
  PRESCRIPTION_TYPE,
  checkMedicationRequest,
  prescriptionTypedData,
  type MedicationSummary,
  type PrescriptionCredential,
  type PrescriptionStatusEntry,
} from "@openchart/sdk";
import type { VerifiableCredential } from "@veramo/core-types";
import type { OpenChartAgent } from "../agent.js";
import { messageOf, reason, type Reason } from "../errors.js";
import { LICENSE_TYPE } from "../issuer.js";
import { checkLicenseCredential } from "./credential.js";
import { pkhAddress } from "./dids.js";

export interface VerifyPrescriptionOptions {
  /** Issuers whose doctors' licenses count. */
  trustedIssuers: readonly string[];
  /** The DID that signs the prescription status lists (the API's registry). */
  registry: string;
  now?: number;
}

export interface VerifiedPrescription extends MedicationSummary {
  id: string;
  issuedAt: string;
  credential: PrescriptionCredential;
  /** The status entries, by what a set bit means. */
  cancellation: PrescriptionStatusEntry;
  dispense: PrescriptionStatusEntry;
}

export interface PrescriptionVerification {
  ok: boolean;
  /** Null when the credential is not even a readable, signed prescription. */
  prescription: VerifiedPrescription | null;
  cancelled: boolean;
  dispensed: boolean;
  reasons: Reason[];
}

/**
 * Verifies an e-prescription completely: its shape and FHIR subject, the prescriber's EIP-712 signature over
 * all of it, its validity window, that the prescriber held a license from a trusted issuer both when it was
 * issued and now (status list included), and its own status bits in the registry's lists (cancelled,
 * dispensed). Never throws: every refusal is a reason with a stable code.
 */
export async function verifyPrescription(agent: OpenChartAgent, input: unknown, options: VerifyPrescriptionOptions): Promise<PrescriptionVerification> {
  const refused = (why: Reason, prescription: VerifiedPrescription | null = null): PrescriptionVerification => ({ ok: false, prescription, cancelled: false, dispensed: false, reasons: [why] });
  const parsed = parse(input);
  if ("code" in parsed) return refused(parsed);
  const { credential, summary, cancellation, dispense } = parsed;
  const signer = signatureProblem(credential);
  if (signer) return refused(signer);
  const prescription: VerifiedPrescription = { ...summary, id: credential.id, issuedAt: credential.issuanceDate, credential, cancellation, dispense };
  const now = options.now ?? Date.now();
  const reasons: Reason[] = [];
  const issuedAt = Date.parse(credential.issuanceDate);
  if (Date.parse(credential.expirationDate) <= now || Date.parse(summary.validUntil) <= now) {
    reasons.push(reason("PRESCRIPTION_EXPIRED", `the prescription was valid until ${summary.validUntil}`));
  }
  if (Date.parse(summary.validFrom) > now) reasons.push(reason("PRESCRIPTION_NOT_YET_VALID", `the prescription is valid from ${summary.validFrom}`));
  reasons.push(...(await licenseReasons(agent, credential.issuer, issuedAt, now, options.trustedIssuers)));
  const status = await agent.veramo.checkCredentialStatus({
    credential: { issuer: options.registry, credentialStatus: credential.credentialStatus } as unknown as VerifiableCredential,
  });
  if (status.error) reasons.push(reason(status.error.code, status.error.message));
  if (status.revoked) reasons.push(reason("PRESCRIPTION_CANCELLED", "the prescribing doctor cancelled this prescription"));
  if (status.suspended) reasons.push(reason("PRESCRIPTION_DISPENSED", "this prescription was already dispensed"));
  return { ok: reasons.length === 0, prescription, cancelled: status.revoked, dispensed: status.suspended, reasons };
}

interface Parsed {
  credential: PrescriptionCredential;
  summary: MedicationSummary;
  cancellation: PrescriptionStatusEntry;
  dispense: PrescriptionStatusEntry;
}

function parse(input: unknown): Parsed | Reason {
  const malformed = (message: string) => reason("MALFORMED_PRESCRIPTION", message);
  const c = input as Partial<PrescriptionCredential> | null;
  if (!c || typeof c !== "object" || Array.isArray(c)) return malformed("a prescription is a JSON credential");
  if (!Array.isArray(c.type) || !c.type.includes(PRESCRIPTION_TYPE)) return malformed(`the credential is not a ${PRESCRIPTION_TYPE}`);
  for (const field of ["id", "issuer", "issuanceDate", "expirationDate"] as const) {
    if (typeof c[field] !== "string") return malformed(`the credential has no ${field}`);
  }
  if (!Number.isFinite(Date.parse(c.issuanceDate!)) || !Number.isFinite(Date.parse(c.expirationDate!))) return malformed("issuanceDate and expirationDate must be dates");
  if (c.proof?.type !== EIP712_SIGNATURE_TYPE || typeof c.proof.proofValue !== "string" || !/^0x[0-9a-fA-F]{130}$/.test(c.proof.proofValue)) {
    return malformed(`the proof must be an ${EIP712_SIGNATURE_TYPE} with a 65-byte proofValue`);
  }
  let summary: MedicationSummary;
  try {
    summary = checkMedicationRequest(c.credentialSubject?.medicationRequest);
  } catch (error) {
    return malformed(`credentialSubject.medicationRequest: ${messageOf(error)}`);
  }
  if (summary.patient !== c.credentialSubject?.id) return malformed("the MedicationRequest's subject is not the credential's subject");
  if (summary.prescriber !== c.issuer) return malformed("the MedicationRequest's requester is not the credential's issuer");
  const entries = Array.isArray(c.credentialStatus) ? c.credentialStatus : [];
  const cancellation = entries.find((e) => e?.statusPurpose === "revocation");
  const dispense = entries.find((e) => e?.statusPurpose === "suspension");
  if (entries.length !== 2 || !cancellation || !dispense) return malformed("the credential needs its two status entries (cancellation and dispense)");
  return { credential: c as PrescriptionCredential, summary, cancellation, dispense };
}

/** Why the proof is not the issuer's wallet's signature over this very credential, or null. */
function signatureProblem(credential: PrescriptionCredential): Reason | null {
  const address = pkhAddress(credential.issuer);
  if (!address) return reason("UNSUPPORTED_DID_METHOD", `a prescription is signed by a did:pkh:eip155 wallet, not ${credential.issuer}`);
  let recovered: string;
  try {
    const typed = prescriptionTypedData(credential);
    recovered = recoverTypedSignature({ data: typed as unknown as TypedMessage<MessageTypes>, signature: credential.proof.proofValue, version: SignTypedDataVersion.V4 });
  } catch (error) {
    return reason("PRESCRIPTION_SIGNATURE_INVALID", `the signature cannot be checked: ${messageOf(error)}`);
  }
  if (recovered.toLowerCase() !== address) return reason("PRESCRIPTION_SIGNATURE_INVALID", "the prescription was changed after the prescriber signed it, or someone else signed it");
  return null;
}

/** Why the prescriber did not hold a valid license both at `issuedAt` and now, or nothing. */
async function licenseReasons(agent: OpenChartAgent, prescriber: string, issuedAt: number, now: number, trustedIssuers: readonly string[]): Promise<Reason[]> {
  const did = prescriber.toLowerCase();
  const rows = await agent.veramo.dataStoreORMGetVerifiableCredentials({ where: [{ column: "subject", value: [did, prescriber] }] });
  const why: string[] = [];
  for (const { verifiableCredential: vc } of rows) {
    const jwt = vc.proof?.jwt;
    if (typeof jwt !== "string") continue;
    const checked = await checkLicenseCredential(jwt, 0, { veramo: agent.veramo, resolver: agent.resolver, holder: prescriber, trustedIssuers, now, type: LICENSE_TYPE });
    if (!checked.doctor) {
      why.push(...checked.reasons.filter((r) => r.code !== "WRONG_CREDENTIAL_TYPE").map((r) => r.message));
      continue;
    }
    const from = checked.doctor.validFrom ? Date.parse(checked.doctor.validFrom) : -Infinity;
    if (issuedAt >= from && issuedAt < Date.parse(checked.doctor.validUntil)) return [];
    why.push(`license ${String(vc.id)} was not valid when the prescription was issued (${new Date(issuedAt).toISOString()})`);
  }
  const detail = why.length > 0 ? why.join("; ") : "no license from a trusted issuer names the prescriber";
  return [reason("PRESCRIBER_NOT_LICENSED", `the prescriber's license does not hold: ${detail}`)];
}
