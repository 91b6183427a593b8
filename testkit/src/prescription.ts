// One e-prescription as the tests and the bench build it: the doctor's app's steps (MedicationRequest,
// draft, EIP-712 signature by the doctor's wallet, assembly), for a registration the caller obtained.
import { RXNORM_SYSTEM, assemblePrescription, medicationRequestOf, prescriptionDraft, prescriptionTypedData, type PrescriptionCredential, type PrescriptionInput, type PrescriptionStatusEntry } from "@openchart/sdk";

const DAY = 86_400_000;

/** What an ethers Wallet (or a test wallet) offers: EIP-712 signing without the EIP712Domain type. */
export interface TypedDataSigner {
  signTypedData(domain: object, types: Record<string, { name: string; type: string }[]>, message: Record<string, unknown>): Promise<string>;
}

export interface SignPrescriptionOptions {
  registration: { id: string; credentialStatus: PrescriptionStatusEntry[] };
  patient: string;
  prescriber: string;
  issuedAt?: Date;
  input?: Partial<PrescriptionInput>;
}

/** Amoxicillin, 21 capsules, valid from a second before `issuedAt` for 30 days. */
export function amoxicillin(issuedAt = new Date()): PrescriptionInput {
  return {
    medication: { system: RXNORM_SYSTEM, code: "197361", display: "Amoxicillin 500 MG Oral Capsule" },
    dosage: "1 capsule every 8 hours for 7 days",
    quantity: { value: 21, unit: "capsule" },
    repeats: 0,
    validFrom: new Date(issuedAt.getTime() - 1000),
    validUntil: new Date(Date.now() + 30 * DAY),
  };
}

export async function signedPrescription(signer: TypedDataSigner, options: SignPrescriptionOptions): Promise<PrescriptionCredential> {
  const { registration, patient, prescriber } = options;
  const issuedAt = options.issuedAt ?? new Date();
  const medicationRequest = medicationRequestOf({ ...amoxicillin(issuedAt), ...options.input }, { id: registration.id, patient, prescriber, authoredOn: issuedAt });
  const draft = prescriptionDraft({ ...registration, prescriber, medicationRequest, issuedAt });
  const typed = prescriptionTypedData(draft);
  const { EIP712Domain: _domain, ...types } = typed.types;
  return assemblePrescription(draft, await signer.signTypedData(typed.domain, types, typed.message));
}
