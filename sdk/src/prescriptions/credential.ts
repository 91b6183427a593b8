// An e-prescription is a W3C verifiable credential the prescribing doctor's wallet signs with EIP-712
// (eth_signTypedData_v4): the wallet's did:pkh is the DID the doctor's license names, so no other key needs
// binding. Its subject is a FHIR R4 MedicationRequest. EIP-712 cannot type an arbitrary FHIR resource, so
// the signed message carries the subject and the status entries as RFC 8785 canonical JSON: any change to
// any field changes what was signed. A verifier rebuilds the typed data from the credential itself and
// never uses types or domains the credential brings along.
import type { MedicationRequest } from "@medplum/fhirtypes";
import canonicalizeModule from "canonicalize";
import { parsePkhDid } from "../api/did.js";
import { invalidInput } from "../errors.js";

export const PRESCRIPTION_TYPE = "PrescriptionCredential";
export const EIP712_SIGNATURE_TYPE = "EthereumEip712Signature2021";
const VC_CONTEXT = "https://www.w3.org/2018/credentials/v1";

/** A status entry (W3C Bitstring Status List) the API's prescription registry allocated. */
export interface PrescriptionStatusEntry {
  id: string;
  type: "BitstringStatusListEntry";
  /** revocation: the doctor cancelled it; suspension: a pharmacy dispensed it (no longer valid to dispense). */
  statusPurpose: "revocation" | "suspension";
  statusListIndex: string;
  statusListCredential: string;
}

export interface PrescriptionSubject {
  /** The patient's account DID. */
  id: string;
  medicationRequest: MedicationRequest;
}

export interface UnsignedPrescription {
  "@context": string[];
  type: string[];
  /** Opaque, from the API's registry: the only thing the API keeps about a prescription is status bits under it. */
  id: string;
  /** The doctor's did:pkh. */
  issuer: string;
  issuanceDate: string;
  expirationDate: string;
  credentialSubject: PrescriptionSubject;
  credentialStatus: PrescriptionStatusEntry[];
}

export interface PrescriptionCredential extends UnsignedPrescription {
  proof: { type: typeof EIP712_SIGNATURE_TYPE; created: string; proofPurpose: "assertionMethod"; verificationMethod: string; proofValue: string };
}

export const PRESCRIPTION_DOMAIN = { name: "OpenChart Prescription", version: "1" } as const;

const PRESCRIPTION_TYPES = {
  EIP712Domain: [
    { name: "name", type: "string" },
    { name: "version", type: "string" },
    { name: "chainId", type: "uint256" },
  ],
  Prescription: [
    { name: "context", type: "string[]" },
    { name: "type", type: "string[]" },
    { name: "id", type: "string" },
    { name: "issuer", type: "string" },
    { name: "issuanceDate", type: "string" },
    { name: "expirationDate", type: "string" },
    { name: "credentialSubject", type: "string" },
    { name: "credentialStatus", type: "string" },
  ],
};

export interface PrescriptionTypedData {
  domain: { name: string; version: string; chainId: number };
  types: typeof PRESCRIPTION_TYPES;
  primaryType: "Prescription";
  message: Record<string, string | string[]>;
}

export interface PrescriptionDraftInput {
  id: string;
  prescriber: string;
  medicationRequest: MedicationRequest;
  credentialStatus: PrescriptionStatusEntry[];
  issuedAt?: Date;
}

/** The credential before its signature; it expires with the MedicationRequest's validity period. */
export function prescriptionDraft(input: PrescriptionDraftInput): UnsignedPrescription {
  if (!parsePkhDid(input.prescriber)) throw invalidInput(`a prescription is signed by a wallet: the prescriber must be a did:pkh, got ${input.prescriber}`);
  const patient = input.medicationRequest.subject?.identifier?.value;
  const end = input.medicationRequest.dispenseRequest?.validityPeriod?.end;
  if (!patient || !end) throw invalidInput("the MedicationRequest must name its patient and the end of its validity");
  return {
    "@context": [VC_CONTEXT],
    type: ["VerifiableCredential", PRESCRIPTION_TYPE],
    id: input.id,
    issuer: input.prescriber,
    issuanceDate: (input.issuedAt ?? new Date()).toISOString(),
    expirationDate: new Date(end).toISOString(),
    credentialSubject: { id: patient, medicationRequest: input.medicationRequest },
    credentialStatus: input.credentialStatus,
  };
}

/** What the doctor's wallet signs for `credential` (signed or not: its proof is left out). */
export function prescriptionTypedData(credential: UnsignedPrescription): PrescriptionTypedData {
  const account = parsePkhDid(credential.issuer);
  if (!account) throw invalidInput(`the prescriber must be a did:pkh, got ${String(credential.issuer)}`);
  return {
    domain: { ...PRESCRIPTION_DOMAIN, chainId: account.chainId },
    types: PRESCRIPTION_TYPES,
    primaryType: "Prescription",
    message: {
      context: credential["@context"],
      type: credential.type,
      id: credential.id,
      issuer: credential.issuer,
      issuanceDate: credential.issuanceDate,
      expirationDate: credential.expirationDate,
      credentialSubject: canonicalJson(credential.credentialSubject),
      credentialStatus: canonicalJson(credential.credentialStatus),
    },
  };
}

/** The signed credential: the draft plus the wallet's signature over `prescriptionTypedData(draft)`. */
export function assemblePrescription(draft: UnsignedPrescription, signature: string, created = new Date()): PrescriptionCredential {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) throw invalidInput("the signature must be 65 bytes of hex");
  return {
    ...draft,
    proof: { type: EIP712_SIGNATURE_TYPE, created: created.toISOString(), proofPurpose: "assertionMethod", verificationMethod: `${draft.issuer}#blockchainAccountId`, proofValue: signature },
  };
}

// A CommonJS module whose `module.exports` is the function; its types declare it as a default export.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw invalidInput("the credential holds a value JSON cannot carry");
  return text;
}

/**
 * The prescription a sealed note of kind prescription carries (its text is the credential's JSON), or null for
 * a free-text one. Shape only: a pharmacy's verification (the agent's verifyPrescription) judges the rest.
 */
export function prescriptionInNote(text: string): PrescriptionCredential | null {
  try {
    const parsed = JSON.parse(text) as Partial<PrescriptionCredential> | null;
    const ok = Array.isArray(parsed?.type) && parsed.type.includes(PRESCRIPTION_TYPE) && parsed.credentialSubject?.medicationRequest?.resourceType === "MedicationRequest";
    return ok ? (parsed as PrescriptionCredential) : null;
  } catch {
    return null;
  }
}
