// E-prescriptions in the web app: the doctor's wallet signs the credential (EIP-712), the patient shows it as
// a link or QR code, the pharmacy page has the API verify and dispense it. The credential's shape and the
// typed data are the sdk's; the API routes' schemas are in the OpenAPI document at /docs.
import {
  assemblePrescription,
  medicationRequestOf,
  prescriptionDraft,
  prescriptionLink,
  prescriptionTypedData,
  type PrescriptionCredential,
  type PrescriptionInput,
  type PrescriptionRegistration,
  type PrescriptionVerdict,
} from "@openchart/sdk";
import type { ApiClient } from "./api";
import { UserFacingError } from "./problems";
import type { Eip1193Provider } from "./wallet";

export { RXNORM_SYSTEM, ATC_SYSTEM, readPrescriptionLink, type PrescriptionCredential, type PrescriptionVerdict } from "@openchart/sdk";

/** Registers, builds and has the doctor's wallet sign a prescription for `patient` (one wallet prompt). */
export async function signPrescription(api: ApiClient, provider: Eip1193Provider, doctor: { address: string; account: string }, patient: string, input: PrescriptionInput): Promise<PrescriptionCredential> {
  const { id, credentialStatus } = await api.signed<PrescriptionRegistration>("POST", "/prescriptions/registrations", {});
  const medicationRequest = medicationRequestOf(input, { id, patient, prescriber: doctor.account, authoredOn: new Date() });
  const draft = prescriptionDraft({ id, prescriber: doctor.account, medicationRequest, credentialStatus });
  const signature = await provider.request({ method: "eth_signTypedData_v4", params: [doctor.address, JSON.stringify(prescriptionTypedData(draft))] });
  if (typeof signature !== "string") throw new UserFacingError("Your wallet did not return a signature.", "INVALID_SIGNATURE");
  return assemblePrescription(draft, signature);
}

export function cancelPrescription(api: ApiClient, prescription: PrescriptionCredential): Promise<PrescriptionVerdict> {
  return api.signed("POST", "/prescriptions/cancel", { prescription });
}

export function verifyAtPharmacy(api: ApiClient, prescription: unknown, pharmacistLicense: string): Promise<PrescriptionVerdict> {
  return api.signed("POST", "/prescriptions/verify", { prescription, pharmacistLicense });
}

export function dispenseAtPharmacy(api: ApiClient, prescription: unknown, pharmacistLicense: string): Promise<PrescriptionVerdict> {
  return api.signed("POST", "/prescriptions/dispense", { prescription, pharmacistLicense });
}

/** The pharmacy page's link for a prescription, on this site. */
export function pharmacyLink(prescription: PrescriptionCredential, here: Location = location): Promise<string> {
  return prescriptionLink(prescription, `${here.origin}${here.pathname}#/pharmacy`);
}
