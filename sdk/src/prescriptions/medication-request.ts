// The subject of an e-prescription: a FHIR R4 MedicationRequest with the medication coded in RxNorm or ATC,
// the dosage, the quantity, the repeats and the validity. Built and checked here once, for the doctor's app
// that writes it, the agent that verifies it and the chart export that lists it.
import type { MedicationRequest } from "@medplum/fhirtypes";
import { invalidInput } from "../errors.js";

export const RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm";
export const ATC_SYSTEM = "http://www.whocc.no/atc";
/** Identifier system of a prescription's opaque ID (the credential's `id`). */
export const PRESCRIPTION_ID_SYSTEM = "https://openchart.dev/fhir/prescription-id";
const URI_SYSTEM = "urn:ietf:rfc:3986";
const UCUM_SYSTEM = "http://unitsofmeasure.org";
export const MAX_REPEATS = 12;
/** A prescription is valid for at most this many days (one year, the longest most jurisdictions allow). */
export const MAX_VALIDITY_DAYS = 366;

const CODE_PATTERNS: Record<string, RegExp> = {
  // RxNorm concept IDs are numbers; ATC codes are like N02BE01 (levels 1 to 5).
  [RXNORM_SYSTEM]: /^[0-9]{1,10}$/,
  [ATC_SYSTEM]: /^[A-Z](?:[0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?)?$/,
};

export interface PrescriptionInput {
  medication: { system: typeof RXNORM_SYSTEM | typeof ATC_SYSTEM; code: string; display: string };
  /** How to take it, in words ("1 tablet every 8 hours for 5 days"). */
  dosage: string;
  quantity: { value: number; unit: string };
  /** How many times it may be dispensed again after the first (0 to MAX_REPEATS). */
  repeats: number;
  validFrom: Date;
  validUntil: Date;
}

export interface MedicationRequestParties {
  /** The prescription's opaque ID (the credential's `id`). */
  id: string;
  /** The patient's account DID. */
  patient: string;
  /** The prescribing doctor's DID. */
  prescriber: string;
  authoredOn: Date;
}

/** The MedicationRequest a doctor's input describes; refuses input a pharmacy could not act on. */
export function medicationRequestOf(input: PrescriptionInput, parties: MedicationRequestParties): MedicationRequest {
  const request: MedicationRequest = {
    resourceType: "MedicationRequest",
    identifier: [{ system: PRESCRIPTION_ID_SYSTEM, value: parties.id }],
    status: "active",
    intent: "order",
    medicationCodeableConcept: {
      coding: [{ system: input.medication.system, code: input.medication.code?.trim(), display: input.medication.display?.trim() }],
      text: input.medication.display?.trim(),
    },
    subject: { identifier: { system: URI_SYSTEM, value: parties.patient } },
    requester: { identifier: { system: URI_SYSTEM, value: parties.prescriber } },
    authoredOn: parties.authoredOn.toISOString(),
    dosageInstruction: [{ text: input.dosage?.trim() }],
    dispenseRequest: {
      validityPeriod: { start: input.validFrom?.toISOString?.(), end: input.validUntil?.toISOString?.() },
      numberOfRepeatsAllowed: input.repeats,
      quantity: { value: input.quantity?.value, unit: input.quantity?.unit?.trim(), system: UCUM_SYSTEM, code: input.quantity?.unit?.trim() },
    },
  };
  checkMedicationRequest(request);
  return request;
}

/** What a pharmacy needs from a MedicationRequest, in a few fields. */
export interface MedicationSummary {
  medication: { system: string; code: string; display: string };
  dosage: string;
  quantity: { value: number; unit: string };
  repeats: number;
  validFrom: string;
  validUntil: string;
  patient: string;
  prescriber: string;
}

/**
 * Checks a MedicationRequest from anywhere (a credential a pharmacy was shown) and returns its summary;
 * throws INVALID_INPUT naming the path of the first problem.
 */
export function checkMedicationRequest(value: unknown): MedicationSummary {
  const fail = (path: string, why: string): never => {
    throw invalidInput(`MedicationRequest.${path} ${why}`);
  };
  const r = value as MedicationRequest | null;
  if (!r || typeof r !== "object" || r.resourceType !== "MedicationRequest") return fail("resourceType", "must be MedicationRequest");
  if (r.status !== "active") fail("status", `must be active, got ${JSON.stringify(r.status)}`);
  if (r.intent !== "order") fail("intent", `must be order, got ${JSON.stringify(r.intent)}`);
  const coding = r.medicationCodeableConcept?.coding?.[0];
  const pattern = coding?.system ? CODE_PATTERNS[coding.system] : undefined;
  if (!coding || !pattern) return fail("medicationCodeableConcept.coding[0].system", `must be RxNorm (${RXNORM_SYSTEM}) or ATC (${ATC_SYSTEM})`);
  if (typeof coding.code !== "string" || !pattern.test(coding.code)) fail("medicationCodeableConcept.coding[0].code", `${JSON.stringify(coding.code)} is not a code of ${coding.system}`);
  if (!isText(coding.display, 200)) fail("medicationCodeableConcept.coding[0].display", "must name the medication (1 to 200 characters)");
  const dosage = r.dosageInstruction?.[0]?.text;
  if (!isText(dosage, 500)) fail("dosageInstruction[0].text", "must say how to take it (1 to 500 characters)");
  const dispense = r.dispenseRequest;
  const quantity = dispense?.quantity;
  if (typeof quantity?.value !== "number" || !(quantity.value > 0 && quantity.value <= 10_000)) fail("dispenseRequest.quantity.value", "must be a number above 0 and at most 10,000");
  if (!isText(quantity?.unit, 40)) fail("dispenseRequest.quantity.unit", "must name a unit (1 to 40 characters)");
  const repeats = dispense?.numberOfRepeatsAllowed;
  if (!Number.isInteger(repeats) || repeats! < 0 || repeats! > MAX_REPEATS) fail("dispenseRequest.numberOfRepeatsAllowed", `must be a whole number from 0 to ${MAX_REPEATS}`);
  const start = Date.parse(dispense?.validityPeriod?.start ?? "");
  const end = Date.parse(dispense?.validityPeriod?.end ?? "");
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) fail("dispenseRequest.validityPeriod", "must have a start before its end");
  if (end - start > MAX_VALIDITY_DAYS * 86_400_000) fail("dispenseRequest.validityPeriod", `may last at most ${MAX_VALIDITY_DAYS} days`);
  const patient = r.subject?.identifier?.value;
  const prescriber = r.requester?.identifier?.value;
  if (!isText(patient, 300)) fail("subject.identifier.value", "must be the patient's DID");
  if (!isText(prescriber, 300)) fail("requester.identifier.value", "must be the prescriber's DID");
  return {
    medication: { system: coding.system!, code: coding.code!, display: coding.display! },
    dosage: dosage!,
    quantity: { value: quantity!.value!, unit: quantity!.unit! },
    repeats: repeats!,
    validFrom: new Date(start).toISOString(),
    validUntil: new Date(end).toISOString(),
    patient: patient!,
    prescriber: prescriber!,
  };
}

const isText = (value: unknown, max: number): value is string => typeof value === "string" && value.trim().length > 0 && value.length <= max;
