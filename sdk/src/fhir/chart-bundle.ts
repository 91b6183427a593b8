// A patient's chart as a FHIR R4 Bundle, built on the device from what the vault has already opened:
// no network and no decryption here, so the same code serves the web app, the CLI and the exit archive.
import type { Bundle, BundleEntry, Consent, DocumentReference, MedicationRequest, Patient, Provenance, Reference, Resource } from "@medplum/fhirtypes";
import { hexToBytes } from "@noble/hashes/utils.js";
import { bytesToBase64, bytesToBase64url } from "../auth/base64url.js";
import type { ConsentOpening } from "../consent.js";
import type { Hex } from "../hex.js";
import type { AnchoredLeaf, Receipt } from "../receipt.js";
import { LOINC_SYSTEM } from "../records/categories.js";

/** The extension that carries an attachment's SHA-256 (R4's Attachment.hash is SHA-1 only). */
export const SHA256_EXTENSION = "https://openchart.dev/fhir/StructureDefinition/attachment-sha256";
/** Identifier systems for OpenChart's own IDs: records (Ceramic stream IDs) and consents (on-chain consent IDs). */
export const RECORD_ID_SYSTEM = "https://openchart.dev/fhir/record-id";
export const CONSENT_ID_SYSTEM = "https://openchart.dev/fhir/consent-id";
/** A DID or CAIP-10 account, written as the URI it is. */
const URI_SYSTEM = "urn:ietf:rfc:3986";

/** One record as the bundle describes it: its opened header, and its bytes when they go inline. */
export interface ChartRecord {
  id: string;
  title: string;
  mediaType: string;
  category?: string;
  createdAt: string;
  size: number;
  sha256: Hex;
  /** The plaintext, inline as `attachment.data`; else the attachment points at `url`. */
  data?: Uint8Array;
  /** Where the bytes are (a path inside an exit archive); default a content-addressed `ni:` URI of the SHA-256 (RFC 6920). */
  url?: string;
  /** The full receipt (with the document hash and salt) or only its anchoring part; absent before anchoring. */
  receipt?: Receipt | AnchoredLeaf;
}

/** One grant as the bundle describes it. */
export interface ChartGrant {
  id: string;
  grantee: string;
  recordIds: readonly string[];
  createdAt: string;
  expiresAt: string;
  revoked: boolean;
  opening?: ConsentOpening;
  /** The on-chain consent ID, when the grant has an opening. */
  consentId?: Hex;
}

export interface ChartBundleInput {
  /** The patient's account DID. */
  patient: string;
  records: readonly ChartRecord[];
  grants?: readonly ChartGrant[];
  /**
   * Prescriptions as FHIR MedicationRequests (the e-prescription credential's subject). The bundle sets their
   * subject to the patient; none yet: the prescription module hands them in once it exists.
   */
  prescriptions?: readonly MedicationRequest[];
  /** Default now. */
  generatedAt?: Date;
}

/** The content-addressed URI of bytes with this SHA-256 (RFC 6920 "ni", sha-256). */
export function niUriOf(sha256: Hex): string {
  return `ni:///sha-256;${bytesToBase64url(hexToBytes(sha256.slice(2)))}`;
}

function entry<T extends Resource>(resource: T): BundleEntry<T> {
  return { fullUrl: `urn:uuid:${resource.id}`, resource };
}

function ref<T extends Resource>(resource: T, display?: string): Reference<T> {
  return { reference: `urn:uuid:${resource.id}`, ...(display ? { display } : {}) };
}

function patientResource(account: string): Patient {
  return { resourceType: "Patient", id: crypto.randomUUID(), identifier: [{ system: URI_SYSTEM, value: account }], active: true };
}

function documentReference(record: ChartRecord, patient: Reference<Patient>): DocumentReference {
  return {
    resourceType: "DocumentReference",
    id: crypto.randomUUID(),
    identifier: [{ system: RECORD_ID_SYSTEM, value: record.id }],
    status: "current",
    ...(record.category ? { category: [{ coding: [{ system: LOINC_SYSTEM, code: record.category }] }] } : {}),
    subject: patient,
    date: record.createdAt,
    description: record.title,
    content: [
      {
        attachment: {
          contentType: record.mediaType,
          ...(record.data ? { data: bytesToBase64(record.data) } : { url: record.url ?? niUriOf(record.sha256) }),
          size: record.size,
          title: record.title,
          creation: record.createdAt,
          extension: [{ url: SHA256_EXTENSION, valueString: record.sha256.slice(2) }],
        },
      },
    ],
  };
}

/** The anchoring receipt as the Provenance of a record: who anchored it where, and the receipt itself, signed-data style. */
function provenance(receipt: Receipt | AnchoredLeaf, target: Reference): Provenance {
  const contract = `eip155:${receipt.chainId}:${receipt.contract}`;
  return {
    resourceType: "Provenance",
    id: crypto.randomUUID(),
    target: [target],
    recorded: new Date(receipt.anchoredAt * 1000).toISOString(),
    policy: [`${contract}#RecordRegistry`],
    activity: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-DocumentCompletion", code: "AU", display: "authenticated" }] },
    agent: [
      {
        type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/provenance-participant-type", code: "verifier", display: "Verifier" }] },
        who: { identifier: { system: URI_SYSTEM, value: contract }, display: `RecordRegistry, transaction ${receipt.txHash}, block ${receipt.blockNumber}` },
      },
    ],
    signature: [
      {
        type: [{ system: "urn:iso-astm:E1762-95:2013", code: "1.2.840.10065.1.12.1.5", display: "Verification Signature" }],
        when: new Date(receipt.anchoredAt * 1000).toISOString(),
        who: { identifier: { system: URI_SYSTEM, value: contract } },
        sigFormat: "application/json",
        data: bytesToBase64(new TextEncoder().encode(JSON.stringify(receipt))),
      },
    ],
  };
}

function consent(grant: ChartGrant, patient: Reference<Patient>, documents: ReadonlyMap<string, Reference>, now: number): Consent {
  const active = !grant.revoked && Date.parse(grant.expiresAt) > now;
  const data = grant.recordIds.flatMap((id) => {
    const reference = documents.get(id);
    return reference ? [{ meaning: "instance" as const, reference }] : [];
  });
  return {
    resourceType: "Consent",
    id: crypto.randomUUID(),
    identifier: [{ system: RECORD_ID_SYSTEM, value: grant.id }, ...(grant.consentId ? [{ system: CONSENT_ID_SYSTEM, value: grant.consentId }] : [])],
    status: active ? "active" : "inactive",
    scope: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/consentscope", code: "patient-privacy" }] },
    category: [{ coding: [{ system: LOINC_SYSTEM, code: "59284-0", display: "Patient Consent" }] }],
    patient,
    dateTime: grant.createdAt,
    policyRule: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "OPTIN" }] },
    provision: {
      type: "permit",
      period: { start: grant.createdAt, end: grant.expiresAt },
      actor: [
        {
          role: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "IRCP", display: "information recipient" }] },
          reference: { identifier: { system: URI_SYSTEM, value: grant.grantee } },
        },
      ],
      action: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/consentaction", code: "access" }] }],
      ...(data.length > 0 ? { data } : {}),
    },
  };
}

/**
 * The chart as a `collection` Bundle: the Patient, a DocumentReference per record (inline or by URL, SHA-256
 * in an extension), a Provenance per anchored record carrying its receipt, a Consent per grant, and a
 * MedicationRequest per prescription. References are `urn:uuid:` full URLs inside the bundle.
 */
export function chartBundle(input: ChartBundleInput): Bundle {
  const generatedAt = input.generatedAt ?? new Date();
  const patient = patientResource(input.patient);
  const patientRef = ref(patient);
  const entries: BundleEntry[] = [entry(patient)];
  const documents = new Map<string, Reference>();
  for (const record of input.records) {
    const document = documentReference(record, patientRef);
    const documentRef = ref(document, record.title);
    documents.set(record.id, documentRef);
    entries.push(entry(document));
    if (record.receipt) entries.push(entry(provenance(record.receipt, documentRef)));
  }
  for (const grant of input.grants ?? []) entries.push(entry(consent(grant, patientRef, documents, generatedAt.getTime())));
  for (const prescription of input.prescriptions ?? []) {
    entries.push(entry({ ...prescription, id: crypto.randomUUID(), subject: patientRef }));
  }
  return { resourceType: "Bundle", id: crypto.randomUUID(), type: "collection", timestamp: generatedAt.toISOString(), entry: entries };
}
